"""Objects of the reports app for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.reports.services import share_link_create
from tests.factories import ClientFactory


def _share_link(organization) -> int:
    link, _raw = share_link_create(organization=organization, client=ClientFactory(organization=organization))
    return link.pk


OBJECT_MAKERS: dict[str, Callable] = {
    "client_slug": lambda organization: ClientFactory(organization=organization).slug,
    "link_id": _share_link,
}
