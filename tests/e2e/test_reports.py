"""An agency admin shares one client's report by link; the client opens it without an account; the admin
revokes it and the link ends, also in the browser that had it open."""

import re

import pytest
from playwright.sync_api import expect

from apps.reports.models import ShareLink
from tests.factories import MembershipFactory, UserFactory
from tests.reports.conftest import make_agency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency_admin():
    agency = make_agency().organization
    user = UserFactory(username="ada.agency")
    MembershipFactory(user=user, organization=agency, role="admin")
    return user


def new_visitor(browser, live_server, console_errors, width=1280):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    return context, page


def test_an_admin_shares_one_clients_report_and_revokes_it(
    page, log_in, browser, live_server, console_errors, agency_admin
):
    log_in(agency_admin)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    page.get_by_test_id("share-helix-health").click()
    share_url = page.get_by_test_id("share-url").inner_text().strip()
    assert re.search(r"/shared/[A-Za-z0-9_-]{43}/$", share_url)

    visitor_errors = type(console_errors)()
    visitor, shared = new_visitor(browser, live_server, visitor_errors)
    shared.goto(share_url)
    expect(shared.get_by_test_id("report")).to_be_visible()
    assert "/shared/report/" in shared.url and share_url.rsplit("/", 2)[1] not in shared.url
    expect(shared.locator("h1")).to_have_text("Helix Health")
    expect(shared.get_by_test_id("report-exposure")).to_contain_text("Patient education drafting")
    expect(shared.get_by_test_id("report-exposure")).to_contain_text("Clinic newsletter summaries")
    expect(shared.locator("[data-plotly-figure][data-drawn]")).to_have_count(2)
    body = shared.locator("body").inner_text()
    assert "In-store kiosk" not in body and "Cartwheel" not in body
    assert shared.locator("a").count() == 0, "the shared page links nowhere"
    visitor_errors.assert_none()  # (after the revocation below, the browser rightly logs the 410s)

    page.goto(f"{live_server.url}/o/brightline/reports/")
    link = ShareLink.objects.get()
    page.get_by_test_id(f"revoke-{link.pk}").click()
    expect(page.get_by_test_id("share-links")).to_contain_text("revoked")

    response = shared.reload()
    assert response.status == 410
    expect(shared.get_by_test_id("shared-gone")).to_contain_text("This link has ended")
    assert shared.goto(share_url).status == 410
    visitor.close()
    console_errors.assert_none()


def test_the_shared_report_reads_on_a_phone_and_prints_without_the_app(
    browser, live_server, console_errors, agency_admin
):
    from apps.accounts.models import Client
    from apps.reports.services import share_link_create

    helix = Client.objects.get(slug="helix-health")
    _link, raw = share_link_create(organization=helix.organization, client=helix)
    context, phone = new_visitor(browser, live_server, console_errors, width=390)
    phone.goto(f"/shared/{raw}/")
    expect(phone.get_by_test_id("report-summary")).to_contain_text("1 of 2 workflows is highly exposed")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    phone.emulate_media(media="print")
    expect(phone.get_by_test_id("shared-note")).to_be_hidden()
    expect(phone.get_by_test_id("report-exposure")).to_be_visible()
    context.close()
    console_errors.assert_none()


def test_the_staff_report_page_prints_the_report_only(page, log_in, agency_admin, console_errors):
    log_in(agency_admin)
    page.goto("/o/brightline/reports/clients/helix-health/")
    expect(page.get_by_role("link", name="PDF")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Report actions")).to_be_hidden()
    expect(page.get_by_test_id("report-exposure")).to_be_visible()
    console_errors.assert_none()
