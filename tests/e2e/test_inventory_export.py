import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, ClientFactory, MembershipFactory, UserFactory, workflow_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_account_manager_picks_a_client_and_downloads_only_that_clients_sheet(
    page, log_in, console_errors
):
    agency = AgencyFactory(slug="northwind", name="Northwind Agency")
    bakery = ClientFactory(organization=agency, slug="bakery", name="Bakery")
    cinema = ClientFactory(organization=agency, slug="cinema", name="Cinema")
    workflow_with(organization=agency, name="Bakery menu copy", client=bakery, models=["qwen3:8b"])
    workflow_with(organization=agency, name="Cinema trailers blurb", client=cinema, models=["qwen3:8b"])
    manager = UserFactory(username="amy.accounts")
    MembershipFactory(user=manager, organization=agency, role="viewer")

    log_in(manager)
    page.goto("/o/northwind/inventory/")
    page.get_by_label("Client").select_option(label="Bakery")
    page.wait_for_url(re.compile(r"client=bakery"))
    expect(page.get_by_test_id("workflow-table")).not_to_contain_text("Cinema trailers blurb")

    export_csv = page.get_by_role("link", name="Export CSV")
    expect(export_csv).to_have_attribute("href", re.compile(r"[?&]client=bakery(&|$)"))
    expect(page.get_by_role("link", name="Export XLSX")).to_have_attribute(
        "href", re.compile(r"client=bakery")
    )
    with page.expect_download() as download_info:
        export_csv.click()
    with open(download_info.value.path(), encoding="utf-8-sig") as sheet:
        names = {row[0] for row in list(csv.reader(io.StringIO(sheet.read())))[1:]}
    assert names == {"Bakery menu copy"}
    console_errors.assert_none()
