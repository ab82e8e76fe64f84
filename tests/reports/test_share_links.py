"""Share links: a token in the URL once, then a session; read-only, expiring, revocable at once."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import ShareLink, ShareLinkOpen
from apps.reports.services import share_link_create, share_link_revoke
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def open_link(browser: BrowserClient, raw: str):
    """Follow the link as a browser would: the token URL, then the page it redirects to."""
    first = browser.get(f"/shared/{raw}/")
    if first.status_code != 302:
        return first, None
    return browser.get(first["Location"]), first


def test_the_token_is_long_random_and_only_its_hash_is_stored(agency):
    link, raw = share_link_create(organization=agency.organization, client=agency.helix)
    assert len(raw) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    assert link.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ShareLink.objects.filter(pk=link.pk).values().get())
    assert link.expires_at - timezone.now() == pytest.approx(timedelta(days=30), abs=timedelta(minutes=1))


def test_opening_moves_the_token_into_the_session_and_shows_only_that_client(agency):
    _link, raw = share_link_create(organization=agency.organization, client=agency.helix)
    browser = BrowserClient()
    page, redirect = open_link(browser, raw)

    assert redirect["Location"] == reverse("shared:report", kwargs={"link_id": _link.pk})
    assert raw not in redirect["Location"]
    assert redirect["Referrer-Policy"] == "no-referrer"
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer" and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for name in agency.helix_workflows:
        assert name in html
    for name in agency.cartwheel_workflows + agency.internal_workflows + ["Cartwheel Retail"]:
        assert name not in html
    assert raw not in html


def test_the_shared_page_has_no_link_into_the_app(agency):
    _link, raw = share_link_create(organization=agency.organization, client=agency.helix)
    html = open_link(BrowserClient(), raw)[0].content.decode()
    links = re.findall(r'href="([^"]*)"', html)
    assert links, "the page links its stylesheets"
    assert all(link.startswith("/static/") for link in links), links
    assert "<form" not in html
    assert "csrfmiddlewaretoken" not in html


def test_each_view_is_logged(agency):
    link, raw = share_link_create(organization=agency.organization, client=agency.helix)
    browser = BrowserClient()
    page, redirect = open_link(browser, raw)
    browser.get(redirect["Location"])
    link.refresh_from_db()
    assert link.opens == 2 and link.last_opened_at is not None
    assert ShareLinkOpen.objects.filter(link=link).count() == 2


def test_a_revoked_link_ends_on_the_next_request_also_for_a_browser_that_opened_it(agency):
    link, raw = share_link_create(organization=agency.organization, client=agency.helix)
    browser = BrowserClient()
    page, redirect = open_link(browser, raw)
    assert page.status_code == 200

    share_link_revoke(link=link)

    assert browser.get(redirect["Location"]).status_code == 410
    assert BrowserClient().get(f"/shared/{raw}/").status_code == 410


def test_an_expired_link_answers_410(agency):
    link, raw = share_link_create(organization=agency.organization, client=agency.helix, days=1)
    browser = BrowserClient()
    page, redirect = open_link(browser, raw)
    assert page.status_code == 200
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert browser.get(redirect["Location"]).status_code == 410
    assert BrowserClient().get(f"/shared/{raw}/").status_code == 410


def test_unknown_tokens_and_pages_without_the_session_are_404(agency):
    link, _raw = share_link_create(organization=agency.organization, client=agency.helix)
    assert BrowserClient().get("/shared/not-a-token/").status_code == 404
    # Knowing the id is not enough: only a session that opened the token may see the page.
    assert BrowserClient().get(reverse("shared:report", kwargs={"link_id": link.pk})).status_code == 404


def test_a_frozen_link_shows_the_report_as_it_was(agency):
    frozen, frozen_raw = share_link_create(
        organization=agency.organization, client=agency.helix, mode="frozen"
    )
    live, live_raw = share_link_create(organization=agency.organization, client=agency.helix)
    workflow_with(
        organization=agency.organization, client=agency.helix, name="Added later", models=["qwen3:8b"]
    )

    assert "Added later" not in open_link(BrowserClient(), frozen_raw)[0].content.decode()
    assert "Added later" in open_link(BrowserClient(), live_raw)[0].content.decode()
    assert frozen.snapshot["client"]["slug"] == "helix-health"


def test_an_agency_admin_makes_a_link_shown_once_and_revokes_it(client, agency, agency_admin):
    client.force_login(agency_admin)
    org = agency.organization.slug
    response = client.post(
        reverse("reports:share_create", kwargs={"org_slug": org, "client_slug": agency.helix.slug}),
        {"days": 7, "mode": "live"},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    url = re.search(r'data-testid="share-url">([^<]+)<', response.content.decode()).group(1)
    raw = url.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert link.created_by == agency_admin
    # Shown once: the index never shows it again.
    assert raw not in client.get(reverse("reports:index", kwargs={"org_slug": org})).content.decode()

    client.post(reverse("reports:share_revoke", kwargs={"org_slug": org, "link_id": link.pk}))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_bad_days_re_render_the_form_with_the_error(client, agency, agency_admin):
    client.force_login(agency_admin)
    url = reverse(
        "reports:share_create",
        kwargs={"org_slug": agency.organization.slug, "client_slug": agency.helix.slug},
    )
    response = client.post(url, {"days": 0, "mode": "live"})
    assert response.status_code == 422
    assert "greater than or equal to 1" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_only_admins_make_or_revoke_links(client, agency, agency_viewer, helix_viewer):
    link, _raw = share_link_create(organization=agency.organization, client=agency.helix)
    org = agency.organization.slug
    create = reverse("reports:share_create", kwargs={"org_slug": org, "client_slug": agency.helix.slug})
    revoke = reverse("reports:share_revoke", kwargs={"org_slug": org, "link_id": link.pk})
    for user in (agency_viewer, helix_viewer):
        client.force_login(user)
        assert client.post(create, {"days": 7, "mode": "live"}).status_code == 403
        assert client.post(revoke).status_code == 403
    assert ShareLink.objects.count() == 1
