"""Objects of the budget app for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.budget.services import scenario_save

OBJECT_MAKERS: dict[str, Callable] = {
    "scenario_id": lambda organization: (
        scenario_save(
            organization=organization, name=f"Alibaba x15 {organization.slug}", spec="alibaba*15"
        ).pk
    ),
}
