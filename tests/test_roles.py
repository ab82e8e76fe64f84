"""Every write route of an organization refuses a too-low role with 403 and changes nothing.

Like the tenancy walk (tests/test_tenancy.py), this walks the URLconf, so a route added later is covered
the day it is added, and it makes the objects a URL names with the same OBJECT_MAKERS (teach them a new
parameter in `tests/<app>/tenancy_makers.py`). A write route is one whose view accepts POST.

Each route is posted to as viewer, editor and admin of the same organization (fresh objects for each):
a role below the route's minimum gets 403 and the database is byte-for-byte unchanged; the minimum role
and above are not refused (any answer but 403, never a 500). Writes need the editor role unless
WRITE_ROLES says otherwise: a new admin-only route (or one any member may use) fails here until it is
listed below, which is the point.
"""

import pytest
from django.db import connection, transaction
from django.urls import get_resolver, reverse

from apps.accounts.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory
from tests.test_tenancy import OBJECT_MAKERS, organization_routes

pytestmark = pytest.mark.django_db

VIEWER, EDITOR, ADMIN = Membership.Role.VIEWER, Membership.Role.EDITOR, Membership.Role.ADMIN
ROLES = [VIEWER, EDITOR, ADMIN]
DEFAULT_WRITE_ROLE = EDITOR

# Route name → the lowest role that may post to it, where that is not DEFAULT_WRITE_ROLE.
WRITE_ROLES: dict[str, str] = {
    # Members, clients and API tokens are the organization's settings: admins only.
    "accounts:member_list": ADMIN,
    "accounts:member_change_role": ADMIN,
    "accounts:member_remove": ADMIN,
    "accounts:client_list": ADMIN,
    "accounts:token_list": ADMIN,
    "accounts:token_revoke": ADMIN,
    # Alert rules decide who gets e-mailed and where webhooks go.
    "watch:rule_create": ADMIN,
    "watch:rule_edit": ADMIN,
    "watch:rule_delete": ADMIN,
    # Marking one's own notifications read changes nothing anyone else sees.
    "watch:inbox_read": VIEWER,
    # Where archive copies go (and what counts as enough of them) is the organization's setting.
    "archive:location_add": ADMIN,
    "archive:policy": ADMIN,
    # Sharing a client's report outside the organization, and client logins, are admins' decisions.
    "reports:share_create": ADMIN,
    "reports:share_revoke": ADMIN,
    "reports:client_viewer_add": ADMIN,
    # The budget's target band is the organization's setting.
    "budget:target_update": ADMIN,
    # Policies and model approvals are the organization's rules: admins write them, editors follow them.
    "policies:approvals": ADMIN,
    "policies:policy_create": ADMIN,
    "policies:policy_edit": ADMIN,
    "policies:policy_add_template": ADMIN,
    "policies:policy_delete": ADMIN,
}

# Rows that change on every request of a logged-in user, whatever the role: not the organization's data.
UNWATCHED_TABLES = {"django_session"}


def _accepted_methods(view) -> list[str] | None:
    """The methods `require_http_methods` (or require_GET/require_POST) lets through; None: any method."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return view.__closure__[code.co_freevars.index("request_method_list")].cell_contents
        view = getattr(view, "__wrapped__", None)
    return None


def _views_by_name() -> dict[str, object]:
    views = {}

    def walk(patterns, namespace: str = "") -> None:
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif entry.name:
                views.setdefault(f"{namespace}{entry.name}", entry.callback)

    walk(get_resolver().url_patterns)
    return views


def write_routes() -> list[tuple[str, frozenset]]:
    views = _views_by_name()
    routes = []
    for name, params in organization_routes():
        methods = _accepted_methods(views[name])
        if "org_slug" in params and (methods is None or "POST" in methods):
            routes.append((name, params))
    return routes


def database_fingerprint() -> dict[str, str]:
    """An md5 of every row of every table (PostgreSQL), to prove a refused request wrote nothing."""
    tables = sorted(set(connection.introspection.table_names()) - UNWATCHED_TABLES)
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {quote(table)} t)"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def test_the_walk_finds_the_write_routes():
    names = {name for name, _ in write_routes()}
    assert {"inventory:workflow_create", "inventory:workflow_delete", "accounts:member_change_role"} <= names
    assert "inventory:index" not in names  # GET only
    assert set(WRITE_ROLES) <= names, f"WRITE_ROLES names routes that are gone: {set(WRITE_ROLES) - names}"


@pytest.mark.parametrize(("route_name", "params"), write_routes(), ids=lambda value: str(value))
def test_a_too_low_role_gets_403_and_changes_nothing(client, route_name, params):
    unknown = params - {"org_slug"} - OBJECT_MAKERS.keys()
    assert not unknown, (
        f"{route_name}: add a maker for {sorted(unknown)} to OBJECT_MAKERS (tests/<app>/tenancy_makers.py)"
    )
    organization = OrganizationFactory(slug="roles")
    minimum = WRITE_ROLES.get(route_name, DEFAULT_WRITE_ROLE)
    members = {role: MembershipFactory(organization=organization, role=role).user for role in ROLES}
    objects = {name: OBJECT_MAKERS[name](organization) for name in params - {"org_slug"}}
    url = reverse(route_name, kwargs={"org_slug": organization.slug, **objects})

    for role in ROLES:
        client.force_login(members[role])
        before = database_fingerprint()
        with transaction.atomic():  # each role finds the objects as made, whatever the one before did
            response = client.post(url)
            changed = {table for table, digest in database_fingerprint().items() if before[table] != digest}
            transaction.set_rollback(True)

        if Membership.RANK[role] < Membership.RANK[minimum]:
            assert response.status_code == 403, (
                f"{role} posted to {url} ({route_name} needs {minimum}) and got {response.status_code}; "
                "if this role may write here, list the route in WRITE_ROLES"
            )
            assert not changed, f"{role}'s refused post to {url} changed {sorted(changed)}"
        else:
            assert response.status_code != 403, (
                f"{role} was refused at {url}; if {route_name} needs a higher role, list it in WRITE_ROLES"
            )
            assert response.status_code < 500, f"{role}'s post to {url} failed with {response.status_code}"
