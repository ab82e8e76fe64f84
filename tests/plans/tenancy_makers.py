"""Objects of the plans app for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from tests.plans.makers import make_alias, make_plan

OBJECT_MAKERS: dict[str, Callable] = {
    "plan_id": lambda organization: make_plan(organization).pk,
    "step_id": lambda organization: (
        make_plan(organization, name=f"Step of {organization.slug}").steps.first().pk
    ),
    "alias_id": lambda organization: make_alias(organization, name=f"alias-{organization.slug}").pk,
}
