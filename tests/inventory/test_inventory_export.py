"""The inventory's Export CSV/XLSX links export exactly the filters on screen, after any htmx swap.

An agency's account manager picks a client in the filter and sends "this client's sheet": it must
hold that client's workflows and none of another client's.
"""

import csv
import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, ClientFactory, MembershipFactory, workflow_with

pytestmark = pytest.mark.django_db

EXPORT_LINK = re.compile(r'data-testid="export-(csv|xlsx)" href="([^"]+)"')


@pytest.fixture
def agency():
    return AgencyFactory(slug="northwind", name="Northwind Agency")


@pytest.fixture
def clients(agency):
    return ClientFactory(organization=agency, slug="bakery", name="Bakery"), ClientFactory(
        organization=agency, slug="cinema", name="Cinema"
    )


@pytest.fixture
def manager_client(client, agency):
    client.force_login(MembershipFactory(organization=agency, role="viewer").user)
    return client


@pytest.fixture
def workflows(agency, clients):
    bakery, cinema = clients
    workflow_with(
        organization=agency, name="Bakery menu copy", team="Content", client=bakery, models=["qwen3:8b"]
    )
    workflow_with(organization=agency, name="Bakery social posts", client=bakery, models=["gpt-4o-mini"])
    workflow_with(organization=agency, name="Cinema trailers blurb", client=cinema, models=["qwen3:8b"])
    workflow_with(organization=agency, name="Agency newsletter copy", team="Content", models=["gpt-4o-mini"])


def export_links(page_html: str) -> dict[str, str]:
    return {kind: html.unescape(href) for kind, href in EXPORT_LINK.findall(page_html)}


def csv_workflow_names(response) -> set[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[0] for row in rows[1:]}


def xlsx_workflow_names(response) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_export_of_one_client_holds_none_of_another_clients_workflows(manager_client, agency, workflows):
    export = reverse("inventory:export", kwargs={"org_slug": agency.slug})

    as_csv = manager_client.get(export, {"client": "bakery", "format": "csv"})
    as_xlsx = manager_client.get(export, {"client": "bakery", "format": "xlsx"})

    assert csv_workflow_names(as_csv) == {"Bakery menu copy", "Bakery social posts"}
    assert xlsx_workflow_names(as_xlsx) == {"Bakery menu copy", "Bakery social posts"}


def test_the_links_after_an_htmx_filter_swap_export_that_client_only(manager_client, agency, workflows):
    index = reverse("inventory:index", kwargs={"org_slug": agency.slug})
    first_visit = manager_client.get(index)
    assert export_links(first_visit.content.decode())["csv"].endswith("?format=csv")  # nothing chosen yet

    swapped = manager_client.get(index, {"client": "cinema", "page": "1"}, headers={"HX-Request": "true"})

    fragment = swapped.content.decode()
    assert 'id="export-links" hx-swap-oob="true"' in fragment  # replaces the header's links
    links = export_links(fragment)
    assert "page=" not in links["csv"]
    assert csv_workflow_names(manager_client.get(links["csv"])) == {"Cinema trailers blurb"}
    assert xlsx_workflow_names(manager_client.get(links["xlsx"])) == {"Cinema trailers blurb"}


def test_htmx_restoring_history_gets_the_whole_page_with_its_links_in_place(
    manager_client, agency, workflows
):
    index = reverse("inventory:index", kwargs={"org_slug": agency.slug})

    restored = manager_client.get(
        index, {"client": "cinema"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()

    assert "<header" in restored and "hx-swap-oob" not in restored
    assert restored.count('id="export-links"') == 1
    assert "client=cinema" in export_links(restored)["csv"]


def test_every_filter_on_screen_reaches_the_export(manager_client, agency, workflows):
    index = reverse("inventory:index", kwargs={"org_slug": agency.slug})
    filters = {"q": "copy", "vendor": "alibaba", "team": "Content", "sort": "name"}

    page = manager_client.get(index, filters)

    listed = set(re.findall(r"<strong>([^<]+)</strong></a>", page.content.decode()))
    assert listed == {"Bakery menu copy"}
    link = export_links(page.content.decode())["csv"]
    assert csv_workflow_names(manager_client.get(link)) == listed
