"""Demo data for the budget: the article's "budget for a potential 15x cost increase" as saved scenarios,
and today's snapshot so the trends start with a point."""

from django.utils import timezone

from apps.accounts.models import Organization
from apps.budget.models import SavedScenario
from apps.budget.services import scenario_save

SCENARIOS = (("Alibaba ×15", "alibaba*15"), ("Alibaba goes API-only ×15", "alibaba:api-only*15"))


def seed_budget(organizations: dict[str, Organization]) -> None:
    from apps.exposure.history import snapshot_record

    for organization in organizations.values():
        for name, spec in SCENARIOS:
            if not SavedScenario.objects.filter(organization=organization, name=name).exists():
                scenario_save(organization=organization, name=name, spec=spec)
        snapshot_record(organization=organization, day=timezone.localdate())
