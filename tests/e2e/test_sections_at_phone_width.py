"""Every section and the pages of the new capabilities, at phone width, on the demo data.

At 390 px the page itself never scrolls sideways (a wide table scrolls inside its card) and no page logs a
JavaScript error, for the company and the agency, and for a share link's visitor.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.demo import DEMO_PASSWORD
from apps.common.navigation import SECTIONS
from tests.e2e.conftest import WAIT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Charts are drawn after the page loads (static/js/charts.js): wait until each placeholder holds its SVG.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-plotly-figure]')]
    .every(chart => chart.querySelector('.main-svg'))"""
PAGE_WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"


def _organization_pages(org_slug: str) -> list[str]:
    from apps.budget.models import SavedScenario

    pages = [reverse(section.url_name, args=[org_slug]) for section in SECTIONS]
    pages += [
        reverse("exposure:method", args=[org_slug]),
        reverse("archive:start", args=[org_slug]),
        reverse("archive:location_add", args=[org_slug]),
        reverse("archive:policy", args=[org_slug]),
        reverse("policies:policy_create", args=[org_slug]),
        reverse("policies:approvals", args=[org_slug]),
        reverse("reports:organization_report", args=[org_slug]),
    ]
    scenario = SavedScenario.objects.filter(organization__slug=org_slug).order_by("pk").first()
    if scenario is not None:
        pages.append(reverse("budget:scenario_detail", args=[org_slug, scenario.pk]))
    return pages


def _check(page, url: str, console_errors) -> list[str]:
    """Open the page; what is wrong with it at this width (status, sideways scroll, script errors)."""
    problems = []
    console_errors.clear()
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)
    expect(page.locator("h1").first).to_be_visible()
    if response is None or response.status >= 400:
        problems.append(f"{url}: answered {response.status if response else 'nothing'}")
    scroll_width, inner_width = page.evaluate(PAGE_WIDTH)
    if scroll_width > inner_width:
        problems.append(f"{url}: the page is {scroll_width} px wide on a {inner_width} px screen")
    problems += [f"{url}: {error}" for error in console_errors]
    return problems


def _open(browser, live_server, console_errors):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    return context, page


def test_every_section_and_new_page_fits_a_phone_without_script_errors(browser, live_server, console_errors):
    from apps.accounts.models import Client
    from apps.reports.services import share_link_create

    call_command("seed_demo")
    cartwheel = Client.objects.get(slug="cartwheel-retail")
    _link, raw = share_link_create(organization=cartwheel.organization, client=cartwheel)

    problems = []
    context, page = _open(browser, live_server, console_errors)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()

    urls = [
        *_organization_pages("northwind"),
        *_organization_pages("brightline"),
        reverse("reports:client_report", args=["brightline", "cartwheel-retail"]),
        reverse("password_change"),
    ]
    for url in urls:
        problems += _check(page, url, console_errors)
    context.close()

    # A share link's visitor (no account), and the password reset a locked-out user starts from.
    context, page = _open(browser, live_server, console_errors)
    for url in (f"/shared/{raw}/", reverse("password_reset")):
        problems += _check(page, url, console_errors)
    context.close()

    assert not problems, "\n".join(problems)
