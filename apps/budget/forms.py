from decimal import Decimal

from django import forms

from apps.budget.budget import MAX_FACTOR, Scenario, ScenarioError, parse_scenario
from apps.common.vendors import VENDOR_NAMES, VENDOR_SLUGS


class ScenarioForm(forms.Form):
    """A "what if" in words: a vendor's spend ×N, optionally because it goes API-only."""

    vendor = forms.ChoiceField(
        choices=[(slug, VENDOR_NAMES.get(slug, slug)) for slug in VENDOR_SLUGS if slug != "unknown"]
    )
    factor = forms.DecimalField(
        min_value=Decimal(0),
        max_value=MAX_FACTOR,
        decimal_places=2,
        initial=15,
        help_text="×15 is the article's warning",
    )
    api_only = forms.BooleanField(
        required=False, label="Goes API-only", help_text="Its open-weight spend becomes proprietary too"
    )
    name = forms.CharField(
        max_length=80, required=False, help_text="To save it; defaults to the scenario itself"
    )

    def scenario(self) -> Scenario:
        data = self.cleaned_data
        spec = f"{data['vendor']}{':api-only' if data['api_only'] else ''}*{data['factor']}"
        try:
            return parse_scenario(spec, vendors=VENDOR_SLUGS)
        except ScenarioError as error:  # the fields already bound it; kept for a clear message
            raise forms.ValidationError(str(error)) from error

    def name_or_label(self) -> str:
        return (self.cleaned_data.get("name") or "").strip() or self.scenario().label


class BudgetTargetForm(forms.Form):
    open_min = forms.IntegerField(min_value=0, max_value=100, label="Open-weight share at least (%)")
    open_max = forms.IntegerField(min_value=0, max_value=100, label="Open-weight share at most (%)")

    def clean(self):
        data = super().clean()
        if (
            data.get("open_min") is not None
            and data.get("open_max") is not None
            and data["open_min"] > data["open_max"]
        ):
            self.add_error("open_max", "The upper bound must be at least the lower bound.")
        return data

    def shares(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.cleaned_data["open_min"]) / 100, Decimal(self.cleaned_data["open_max"]) / 100
