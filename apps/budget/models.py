from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from apps.accounts.models import Organization
from apps.budget.budget import DEFAULT_OPEN_MAX, DEFAULT_OPEN_MIN

SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class BudgetTarget(models.Model):
    """The organization's target band for the open-weight share of its AI spend (admins edit it)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="budget_target")
    open_min = models.DecimalField(
        max_digits=4, decimal_places=3, default=DEFAULT_OPEN_MIN, validators=SHARE_VALIDATORS
    )
    open_max = models.DecimalField(
        max_digits=4, decimal_places=3, default=DEFAULT_OPEN_MAX, validators=SHARE_VALIDATORS
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.organization}: open {self.open_min:.0%}–{self.open_max:.0%}"

    def clean(self) -> None:
        if self.open_min is not None and self.open_max is not None and self.open_min > self.open_max:
            raise ValidationError({"open_max": "The upper bound must be at least the lower bound."})


class SavedScenario(models.Model):
    """A named "what if" for the budget, kept so leadership can compare several side by side."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="budget_scenarios")
    name = models.CharField(max_length=80)
    spec = models.CharField(max_length=60, help_text="VENDOR*FACTOR or VENDOR:api-only*FACTOR")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="budget_scenario_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.spec})"

    def get_absolute_url(self) -> str:
        return reverse(
            "budget:scenario_detail", kwargs={"org_slug": self.organization.slug, "scenario_id": self.pk}
        )
