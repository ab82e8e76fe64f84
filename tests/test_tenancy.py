"""Every route that names an organization or one of its objects is a 404 to other tenants.

The test walks the URLconf, so a new route is covered the day it is added. A route whose URL
takes a parameter this file does not know fails loudly: teach OBJECT_MAKERS how to make one, here
or in a `tests/<app>/tenancy_makers.py` that defines its own OBJECT_MAKERS dict (merged below).
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    ClientFactory,
    MembershipFactory,
    OrganizationFactory,
    WorkflowFactory,
    workflow_with,
)

pytestmark = pytest.mark.django_db

# Parameter name → function(organization) returning the value that names an object of that organization.
OBJECT_MAKERS: dict[str, Callable] = {
    "membership_id": lambda org: MembershipFactory(organization=org).id,
    "workflow_id": lambda org: WorkflowFactory(organization=org).id,
}

for _module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if not _module.ispkg:  # test modules (tests/test_roles.py imports this one) hold no makers
        continue
    try:
        _makers = importlib.import_module(f"tests.{_module.name}.tenancy_makers")
    except ModuleNotFoundError:
        continue
    OBJECT_MAKERS.update(_makers.OBJECT_MAKERS)

# "api": the ingest API authenticates by organization token, not session; its tenancy (another
# organization's job is a 404) is tested in tests/jobs/test_api_job_status.py.
# "shared": share links are opened by their token, without an account, by design; what they show
# and when they end is tested in tests/reports/test_share_links.py.
SKIPPED_NAMESPACES = {"admin", "api", "shared"}
# Password reset links name a user by a signed, single-use token, not an organization's object; tested in
# tests/accounts/test_passwords.py.
SKIPPED_ROUTES = {"password_reset_confirm"}
DENIED = {403, 404}


def _walk(
    patterns, prefix_namespace: str = "", params: frozenset = frozenset()
) -> Iterator[tuple[str, frozenset]]:
    for entry in patterns:
        converters = frozenset(getattr(entry.pattern, "converters", {}).keys())
        if isinstance(entry, URLResolver):
            namespace = prefix_namespace
            if entry.namespace:
                namespace = f"{prefix_namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, namespace, params | converters)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix_namespace}{entry.name}", params | converters


def organization_routes() -> list[tuple[str, frozenset]]:
    routes = {}
    for name, params in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in SKIPPED_ROUTES or not params:
            continue
        routes[name] = params
    return sorted(routes.items())


def _request(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def test_the_walk_finds_the_organization_routes():
    names = [name for name, _ in organization_routes()]
    assert "accounts:member_list" in names
    assert "inventory:index" in names


@pytest.mark.parametrize(("route_name", "params"), organization_routes(), ids=lambda value: str(value))
def test_another_tenant_gets_404(client, route_name, params):
    mine = OrganizationFactory(slug="mine")
    theirs = OrganizationFactory(slug="theirs")
    me = MembershipFactory(organization=mine, role="admin").user
    client.force_login(me)

    unknown = params - {"org_slug"} - OBJECT_MAKERS.keys()
    assert not unknown, f"{route_name}: add a maker for {sorted(unknown)} to OBJECT_MAKERS in {__file__}"
    their_objects = {name: OBJECT_MAKERS[name](theirs) for name in params - {"org_slug"}}

    if "org_slug" in params:
        url = reverse(route_name, kwargs={"org_slug": theirs.slug, **their_objects})
        assert _request(client, url).status_code in DENIED, f"{url} answered another organization's member"
    if their_objects:
        kwargs = {**their_objects, **({"org_slug": mine.slug} if "org_slug" in params else {})}
        url = reverse(route_name, kwargs=kwargs)
        assert _request(client, url).status_code in DENIED, f"{url} showed another organization's object"


# --- The client dimension ---------------------------------------------------------------------------
# A client viewer (Membership role "client", bound to one client of an agency) may open only these
# routes, and only for their own client; every other organization page answers 403 or 404.
CLIENT_VIEWER_ROUTES = {
    "accounts:organization_home",  # redirects to their report
    "reports:index",  # redirects to their report
    "reports:client_report",
    "reports:client_export",
}


def _client_viewer_setup(client):
    agency = OrganizationFactory(slug="agency", kind="agency")
    mine = ClientFactory(organization=agency, slug="client-a", name="Client A")
    workflow_with(organization=agency, client=mine, name="A's workflow", models=["qwen3:8b"])
    theirs = ClientFactory(organization=agency, slug="client-b", name="Client B")
    workflow_with(organization=agency, client=theirs, name="B's secret workflow", models=["qwen3:8b"])
    workflow_with(organization=agency, name="Agency internal workflow", models=["qwen3:8b"])
    viewer = MembershipFactory(organization=agency, role="client", client=mine).user
    client.force_login(viewer)
    return agency, mine, theirs


def test_the_client_routes_exist():
    names = {name for name, _ in organization_routes()}
    assert names >= CLIENT_VIEWER_ROUTES


@pytest.mark.parametrize(("route_name", "params"), organization_routes(), ids=lambda value: str(value))
def test_a_client_viewer_gets_nothing_of_another_client_and_no_staff_page(client, route_name, params):
    agency, mine, theirs = _client_viewer_setup(client)
    # Objects of the viewer's own organization, but never of their own client (the makers add new ones).
    objects = {name: OBJECT_MAKERS[name](agency) for name in params - {"org_slug"}}
    if "client_slug" in params:
        objects["client_slug"] = theirs.slug
    url = reverse(
        route_name, kwargs={"org_slug": agency.slug, **objects} if "org_slug" in params else objects
    )
    response = _request(client, url)
    if route_name in CLIENT_VIEWER_ROUTES and "client_slug" not in params:
        assert response.status_code == 302, f"{url} should send a client viewer to their report"
    else:
        assert response.status_code in DENIED, f"{url} answered a client viewer with {response.status_code}"


@pytest.mark.parametrize("export_format", ["page", "pdf", "csv", "xlsx", "cyclonedx"])
def test_a_client_viewer_gets_their_own_client_and_nothing_of_others(client, export_format):
    agency, mine, theirs = _client_viewer_setup(client)
    if export_format == "page":
        url = reverse("reports:client_report", kwargs={"org_slug": agency.slug, "client_slug": mine.slug})
    else:
        url = reverse(
            "reports:client_export",
            kwargs={"org_slug": agency.slug, "client_slug": mine.slug, "export_format": export_format},
        )
    response = client.get(url)
    assert response.status_code == 200
    if export_format in {"page", "csv", "cyclonedx"}:
        text = response.content.decode("utf-8-sig")
        assert "A&#x27;s workflow" in text or "A's workflow" in text
        assert "secret" not in text and "Client B" not in text and "internal" not in text
