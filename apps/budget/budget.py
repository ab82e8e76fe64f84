"""The budget split and its scenarios: pure functions over plain values (no Django), per docs/contracts.md.

Rules (the `budget` contract):

- A workflow's monthly cost is split **equally among its primary dependencies**; fallbacks cost
  nothing until they are used.
- Each share is **open** when the dependency's catalog model has open weights, **proprietary** when it
  does not, **unclassified** when the model matches no catalog entry. A dependency through a third-party
  tool is tiered by the model underneath (the dependency's own model).
- A workflow without a cost counts as 0 and is listed as missing; one with a cost but no primary
  dependency is all **unclassified**.
- ``open_share`` = open ÷ (open + proprietary), ``None`` when both are 0; ``status`` is ``below``,
  ``within`` or ``above`` the organization's band (``None`` with no share).
- Scenario ``VENDOR*FACTOR`` multiplies every share of that vendor's models (open and proprietary) by
  FACTOR; ``VENDOR:api-only*FACTOR`` also moves that vendor's open shares to proprietary. Unclassified
  spend, fallbacks and workflows without cost are untouched. Each scenario is applied to today's
  budget on its own (scenarios do not compound).

Amounts are ``Decimal`` and exact until they are shown: ``cents()`` rounds half up, only for output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

OPEN, PROPRIETARY, UNCLASSIFIED = "open", "proprietary", "unclassified"
TIERS = (OPEN, PROPRIETARY, UNCLASSIFIED)
ZERO = Decimal(0)
CENT = Decimal("0.01")
DEFAULT_OPEN_MIN = Decimal("0.60")
DEFAULT_OPEN_MAX = Decimal("0.70")
MAX_FACTOR = Decimal(1000)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> float:
    """An amount as the JSON number the contract wants: rounded to cents."""
    return float(cents(amount))


@dataclass(frozen=True, slots=True)
class PrimaryModel:
    """One primary dependency of a workflow, as the budget sees it."""

    vendor: str | None  # the catalog model's vendor slug; None when the model matched nothing
    open_weights: bool | None  # None when the model matched nothing

    @property
    def tier(self) -> str:
        if self.open_weights is None:
            return UNCLASSIFIED
        return OPEN if self.open_weights else PROPRIETARY


@dataclass(frozen=True, slots=True)
class SpendLine:
    """Spend of one tier on one vendor (``vendor`` None = no known vendor)."""

    tier: str
    vendor: str | None
    amount: Decimal


def workflow_lines(monthly_cost: Decimal | None, primaries: Sequence[PrimaryModel]) -> list[SpendLine]:
    """Split one workflow's monthly cost into spend lines, per the contract."""
    if not monthly_cost:
        return []
    if not primaries:
        return [SpendLine(UNCLASSIFIED, None, Decimal(monthly_cost))]
    share = Decimal(monthly_cost) / len(primaries)
    return [SpendLine(primary.tier, primary.vendor, share) for primary in primaries]


@dataclass(frozen=True, slots=True)
class Band:
    open_min: Decimal = DEFAULT_OPEN_MIN
    open_max: Decimal = DEFAULT_OPEN_MAX

    def status(self, open_share: Decimal | None) -> str | None:
        if open_share is None:
            return None
        if open_share < self.open_min:
            return "below"
        if open_share > self.open_max:
            return "above"
        return "within"


@dataclass(frozen=True, slots=True)
class Totals:
    open: Decimal = ZERO
    proprietary: Decimal = ZERO
    unclassified: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.open + self.proprietary + self.unclassified

    @property
    def open_share(self) -> Decimal | None:
        classified = self.open + self.proprietary
        return self.open / classified if classified else None

    def by_tier(self, tier: str) -> Decimal:
        return getattr(self, tier)


def totals_of(lines: Iterable[SpendLine]) -> Totals:
    sums = dict.fromkeys(TIERS, ZERO)
    for line in lines:
        sums[line.tier] += line.amount
    return Totals(**sums)


# -- scenarios -----------------------------------------------------------------------------------

SPEC_PATTERN = re.compile(
    r"^\s*(?P<vendor>[a-z0-9][a-z0-9-]*)\s*(?P<api>:\s*api-only)?\s*[*x×]\s*(?P<factor>\d+(?:\.\d+)?)\s*$",
    re.IGNORECASE,
)


class ScenarioError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Scenario:
    vendor: str
    factor: Decimal
    api_only: bool = False

    @property
    def spec(self) -> str:
        """The canonical spec: ``alibaba*15`` or ``alibaba:api-only*15``."""
        factor = format(self.factor.normalize(), "f")
        return f"{self.vendor}{':api-only' if self.api_only else ''}*{factor}"

    @property
    def label(self) -> str:
        factor = format(self.factor.normalize(), "f")
        return f"{self.vendor} {'goes API-only at ' if self.api_only else ''}×{factor}"

    def apply(self, line: SpendLine) -> SpendLine:
        if line.vendor != self.vendor or line.tier == UNCLASSIFIED:
            return line
        tier = PROPRIETARY if self.api_only else line.tier
        return SpendLine(tier, line.vendor, line.amount * self.factor)


def parse_scenario(spec: str, *, vendors: Iterable[str]) -> Scenario:
    """``VENDOR*FACTOR`` or ``VENDOR:api-only*FACTOR`` (``x`` or ``×`` also accepted for ``*``)."""
    match = SPEC_PATTERN.match(spec or "")
    if not match:
        raise ScenarioError(
            f"'{spec}' is not a scenario: write VENDOR*FACTOR (e.g. alibaba*15) or VENDOR:api-only*FACTOR"
        )
    vendor = match["vendor"].lower()
    known = set(vendors)
    if vendor not in known:
        raise ScenarioError(f"'{vendor}' is not a vendor slug (one of {', '.join(sorted(known))})")
    factor = Decimal(match["factor"])
    if factor > MAX_FACTOR:
        raise ScenarioError(f"the factor {factor} is larger than {MAX_FACTOR}")
    return Scenario(vendor=vendor, factor=factor, api_only=bool(match["api"]))


def scenario_lines(lines: Iterable[SpendLine], scenario: Scenario) -> list[SpendLine]:
    return [scenario.apply(line) for line in lines]


# -- a whole budget ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkflowSpend:
    """A workflow as the budget needs it."""

    name: str
    monthly_cost: Decimal | None
    primaries: tuple[PrimaryModel, ...] = ()
    id: int | None = None

    @property
    def lines(self) -> list[SpendLine]:
        return workflow_lines(self.monthly_cost, self.primaries)


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    scenario: Scenario
    spec: str  # as the user wrote it
    totals: Totals
    delta: Decimal
    workflow_deltas: tuple[tuple[WorkflowSpend, Decimal, Decimal], ...]  # (workflow, new total, delta)


@dataclass(frozen=True, slots=True)
class Budget:
    totals: Totals
    band: Band
    workflows: tuple[tuple[WorkflowSpend, Totals], ...]
    missing_cost: tuple[str, ...]
    scenarios: tuple[ScenarioOutcome, ...] = field(default=())

    @property
    def status(self) -> str | None:
        return self.band.status(self.totals.open_share)


def budget_of(
    workflows: Sequence[WorkflowSpend], *, band: Band, scenarios: Sequence[tuple[str, Scenario]] = ()
) -> Budget:
    """Today's split, the per-workflow rows (by spend, highest first) and each scenario's outcome."""
    per_workflow = [(workflow, totals_of(workflow.lines)) for workflow in workflows]
    totals = totals_of(line for workflow in workflows for line in workflow.lines)
    outcomes = []
    for spec, scenario in scenarios:
        deltas = []
        new_lines: list[SpendLine] = []
        for workflow, today in per_workflow:
            changed = scenario_lines(workflow.lines, scenario)
            new_lines.extend(changed)
            new_total = totals_of(changed).total
            if new_total != today.total:
                deltas.append((workflow, new_total, new_total - today.total))
        deltas.sort(key=lambda row: (-row[2], row[0].name))
        scenario_totals = totals_of(new_lines)
        outcomes.append(
            ScenarioOutcome(
                scenario=scenario,
                spec=spec,
                totals=scenario_totals,
                delta=scenario_totals.total - totals.total,
                workflow_deltas=tuple(deltas),
            )
        )
    return Budget(
        totals=totals,
        band=band,
        workflows=tuple(sorted(per_workflow, key=lambda row: (-row[1].total, row[0].name))),
        missing_cost=tuple(sorted(w.name for w in workflows if w.monthly_cost is None)),
        scenarios=tuple(outcomes),
    )


def share_value(share: Decimal | None) -> float | None:
    return None if share is None else float(share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def budget_document(budget: Budget, *, organization: str, client: str | None) -> dict:
    """The ``riskboard.budget/1`` document (docs/contracts.md); extra fields only ever added."""

    def split(totals: Totals) -> dict:
        return {
            "monthly_usd": money(totals.total),
            "open_usd": money(totals.open),
            "proprietary_usd": money(totals.proprietary),
            "unclassified_usd": money(totals.unclassified),
        }

    return {
        "schema": "riskboard.budget/1",
        "organization": organization,
        "client": client,
        **split(budget.totals),
        "open_share": share_value(budget.totals.open_share),
        "band": {"open_min": float(budget.band.open_min), "open_max": float(budget.band.open_max)},
        "status": budget.status,
        "missing_cost": list(budget.missing_cost),
        "workflows": [{"workflow": workflow.name, **split(totals)} for workflow, totals in budget.workflows],
        "scenarios": [
            {
                "spec": outcome.spec,
                **split(outcome.totals),
                "delta_usd": money(outcome.delta),
                "open_share": share_value(outcome.totals.open_share),
                "status": budget.band.status(outcome.totals.open_share),
                "workflows": [
                    {"workflow": workflow.name, "monthly_usd": money(new_total), "delta_usd": money(delta)}
                    for workflow, new_total, delta in outcome.workflow_deltas
                ],
            }
            for outcome in budget.scenarios
        ],
    }
