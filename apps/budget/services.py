from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Organization
from apps.budget.budget import ScenarioError, parse_scenario
from apps.budget.models import BudgetTarget, SavedScenario
from apps.common.vendors import VENDOR_SLUGS


@transaction.atomic
def budget_target_set(
    *,
    organization: Organization,
    open_min: Decimal | float,
    open_max: Decimal | float,
    user: AbstractBaseUser | None = None,
) -> BudgetTarget:
    target = BudgetTarget.objects.filter(organization=organization).first() or BudgetTarget(
        organization=organization
    )
    target.open_min, target.open_max = Decimal(str(open_min)), Decimal(str(open_max))
    target.updated_by = user
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def scenario_save(
    *, organization: Organization, name: str, spec: str, user: AbstractBaseUser | None = None
) -> SavedScenario:
    """Save a named scenario; the spec is checked and stored in its canonical form."""
    try:
        scenario = parse_scenario(spec, vendors=VENDOR_SLUGS)
    except ScenarioError as error:
        raise ValidationError({"spec": str(error)}) from error
    saved = SavedScenario(organization=organization, name=name.strip(), spec=scenario.spec, created_by=user)
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def scenario_delete(*, scenario: SavedScenario) -> None:
    scenario.delete()
