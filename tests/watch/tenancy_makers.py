"""Objects of the watch capability for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.watch.models import AlertRule, Source
from tests.watch.factories import stored_signal


def _source(organization) -> int:
    return Source.objects.create(organization=organization, spec="hf:Qwen", kind="hf").pk


def _rule(organization) -> int:
    return AlertRule.objects.create(organization=organization, name="Tenancy rule").pk


OBJECT_MAKERS: dict[str, Callable] = {
    "signal_id": lambda organization: stored_signal(organization).pk,
    "source_id": _source,
    "rule_id": _rule,
    # Vendors are shared by every organization, like the catalog: the tenant boundary of a vendor
    # page is the organization in its URL (a non-member gets 404 from organization_view, which
    # the first check covers). No vendor belongs to "their" organization, so the second check
    # gets a slug that names no vendor.
    "vendor_slug": lambda organization: f"not-a-vendor-of-{organization.slug}",
}
