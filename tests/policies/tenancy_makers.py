"""Policies of an organization, for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.policies.models import OrganizationPolicy

OBJECT_MAKERS: dict[str, Callable] = {
    "policy_id": lambda organization: (
        OrganizationPolicy.objects.create(
            organization=organization,
            key="tenancy",
            name="Tenancy",
            severity="warn",
            conditions={"fact": "vendor.slug", "op": "eq", "value": "alibaba"},
        ).pk
    ),
}
