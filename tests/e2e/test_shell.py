import pytest

from apps.common.navigation import SECTIONS
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_logs_in_switches_organization_and_opens_every_section(page, log_in, console_errors):
    user = UserFactory(username="sam.switcher")
    northwind = OrganizationFactory(slug="northwind", name="Northwind Software")
    brightline = OrganizationFactory(slug="brightline", name="Brightline Agency", kind="agency")
    MembershipFactory(user=user, organization=northwind, role="admin")
    MembershipFactory(user=user, organization=brightline, role="viewer")

    log_in(user)
    assert "/o/brightline/" in page.url or "/o/northwind/" in page.url

    page.get_by_test_id("org-switcher").locator("summary").click()
    page.get_by_role("link", name="Northwind Software").click()
    page.wait_for_load_state("networkidle")
    assert "/o/northwind/" in page.url
    assert page.get_by_test_id("org-switcher").locator("summary").inner_text().endswith("Northwind Software")

    for section in SECTIONS:
        page.get_by_role("navigation", name="Sections").get_by_role("link", name=section.title).click()
        page.wait_for_load_state("networkidle")
        assert f"/o/northwind/{section.key}/" in page.url, section.key
        assert page.locator("h1").first.is_visible()
        current = page.get_by_role("navigation", name="Sections").locator("[aria-current=page]")
        assert section.title in current.inner_text()

    console_errors.assert_none()


def test_the_shell_fits_a_phone(browser, live_server, console_errors):
    user = UserFactory(username="pat.phone")
    MembershipFactory(user=user, organization=OrganizationFactory(slug="acme", name="Acme"), role="viewer")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    from tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the page scrolls sideways on a phone"
    context.close()
    console_errors.assert_none()
