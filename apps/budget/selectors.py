"""Reads for the budget: the exact per-workflow split (command, tables) and SQL aggregates (pages at scale).

Both follow apps/budget/budget.py. The aggregates let PostgreSQL divide each workflow's cost among its
primary dependencies and sum by (client, team, tier, vendor), so a page over 10,000 workflows reads a
few dozen grouped rows instead of every dependency; tests/budget/test_selectors.py checks that the two
paths agree on the hand-checked sheet.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.shortcuts import get_object_or_404

from apps.accounts.models import Client, Organization
from apps.budget.budget import (
    UNCLASSIFIED,
    Band,
    PrimaryModel,
    Scenario,
    SpendLine,
    Totals,
    WorkflowSpend,
    scenario_lines,
    totals_of,
)
from apps.budget.models import BudgetTarget, SavedScenario
from apps.inventory.models import Dependency, Workflow

PRIMARY = Dependency.Role.PRIMARY


def budget_band(*, organization: Organization) -> Band:
    target = BudgetTarget.objects.filter(organization=organization).first()
    return Band(target.open_min, target.open_max) if target else Band()


def budget_target(*, organization: Organization) -> BudgetTarget:
    """The stored target, or an unsaved one with the defaults."""
    return BudgetTarget.objects.filter(organization=organization).first() or BudgetTarget(
        organization=organization
    )


def _workflows(organization: Organization, client: Client | None) -> QuerySet[Workflow]:
    workflows = Workflow.objects.filter(organization=organization)
    return workflows.filter(client=client) if client is not None else workflows


def primary_models_of(workflow: Workflow) -> tuple[PrimaryModel, ...]:
    """From prefetched dependencies (with model and vendor)."""
    return tuple(
        PrimaryModel(
            vendor=dependency.model.vendor.slug if dependency.model_id else None,
            open_weights=dependency.model.open_weights if dependency.model_id else None,
        )
        for dependency in workflow.dependencies.all()
        if dependency.role == PRIMARY
    )


def workflow_spends(*, organization: Organization, client: Client | None = None) -> list[WorkflowSpend]:
    """Every workflow (of the client) with its primary models, in two queries: the exact path."""
    workflows = _workflows(organization, client).prefetch_related(
        Prefetch(
            "dependencies",
            queryset=Dependency.objects.filter(role=PRIMARY).select_related("model__vendor").order_by("id"),
        )
    )
    return [
        WorkflowSpend(
            id=workflow.id,
            name=workflow.name,
            monthly_cost=workflow.monthly_cost,
            primaries=primary_models_of(workflow),
        )
        for workflow in workflows.order_by("name")
    ]


def workflow_split(workflow: Workflow) -> Totals:
    """One workflow's split, from its prefetched dependencies."""
    return totals_of(WorkflowSpend(workflow.name, workflow.monthly_cost, primary_models_of(workflow)).lines)


# -- SQL aggregates ----------------------------------------------------------------------------


def _primary_share_rows(workflows: QuerySet[Workflow]) -> QuerySet[Dependency]:
    """Primary dependencies of costed workflows, each annotated with its `share` of the cost."""
    primaries_of_workflow = (
        Dependency.objects.filter(workflow=OuterRef("workflow"), role=PRIMARY)
        .order_by()
        .values("workflow")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        Dependency.objects.filter(
            workflow__in=workflows.order_by().values("id"), role=PRIMARY, workflow__monthly_cost__gt=0
        )
        .annotate(primaries=Subquery(primaries_of_workflow, output_field=IntegerField()))
        .annotate(
            share=ExpressionWrapper(
                F("workflow__monthly_cost") / F("primaries"),
                output_field=DecimalField(max_digits=30, decimal_places=16),
            )
        )
    )


def _tier(open_weights: bool | None, model_id_known: bool) -> str:
    if not model_id_known:
        return UNCLASSIFIED
    return "open" if open_weights else "proprietary"


@dataclass
class SpendGroups:
    """Spend lines grouped by client and team (the org view needs all three levels)."""

    lines: list[SpendLine] = field(default_factory=list)
    by_client: dict[int | None, list[SpendLine]] = field(default_factory=lambda: defaultdict(list))
    by_team: dict[str, list[SpendLine]] = field(default_factory=lambda: defaultdict(list))

    def add(self, client_id: int | None, team: str, line: SpendLine) -> None:
        self.lines.append(line)
        self.by_client[client_id].append(line)
        self.by_team[team].append(line)


def spend_groups(*, organization: Organization, client: Client | None = None) -> SpendGroups:
    """Spend by (client, team, tier, vendor), summed in PostgreSQL: two queries whatever the size."""
    workflows = _workflows(organization, client)
    groups = SpendGroups()
    rows = (
        _primary_share_rows(workflows)
        .values("workflow__client_id", "workflow__team", "model__open_weights", "model__vendor__slug")
        .annotate(amount=Sum("share"), mapped=Count("model_id"))
        .order_by()
    )
    for row in rows:
        groups.add(
            row["workflow__client_id"],
            row["workflow__team"],
            SpendLine(
                _tier(row["model__open_weights"], bool(row["mapped"])),
                row["model__vendor__slug"],
                row["amount"] or Decimal(0),
            ),
        )
    without_primary = (
        workflows.filter(monthly_cost__gt=0)
        .exclude(Exists(Dependency.objects.filter(workflow=OuterRef("pk"), role=PRIMARY)))
        .values("client_id", "team")
        .annotate(amount=Sum("monthly_cost"))
        .order_by()
    )
    for row in without_primary:
        groups.add(row["client_id"], row["team"], SpendLine(UNCLASSIFIED, None, row["amount"]))
    return groups


def scenario_workflow_deltas(
    *, organization: Organization, scenario: Scenario, client: Client | None = None, limit: int = 50
) -> tuple[list[dict], int]:
    """The workflows a scenario moves, by how much (largest first, at most `limit`) and how many there are."""
    rows = (
        _primary_share_rows(_workflows(organization, client))
        .filter(model__vendor__slug=scenario.vendor)
        .values("workflow_id", "workflow__name", "workflow__monthly_cost")
        .annotate(vendor_spend=Sum("share"))
        .order_by("-vendor_spend", "workflow__name")
    )
    count = rows.count() if scenario.factor != 1 else 0
    if not count:
        return [], 0
    moved = []
    for row in rows[:limit]:
        delta = row["vendor_spend"] * (scenario.factor - 1)
        moved.append(
            {
                "workflow_id": row["workflow_id"],
                "workflow": row["workflow__name"],
                "monthly_usd": row["workflow__monthly_cost"],
                "vendor_usd": row["vendor_spend"],
                "new_monthly_usd": row["workflow__monthly_cost"] + delta,
                "delta_usd": delta,
            }
        )
    return moved, count


@dataclass(frozen=True)
class ScenarioView:
    scenario: Scenario
    totals: Totals
    delta: Decimal


def scenario_view(*, lines: list[SpendLine], today: Totals, scenario: Scenario) -> ScenarioView:
    totals = totals_of(scenario_lines(lines, scenario))
    return ScenarioView(scenario=scenario, totals=totals, delta=totals.total - today.total)


def workflows_by_spend(*, organization: Organization, client: Client | None = None) -> QuerySet[Workflow]:
    """Workflows with a cost, highest first, with what a row needs to show its split."""
    return (
        _workflows(organization, client)
        .filter(monthly_cost__isnull=False)
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "dependencies",
                queryset=Dependency.objects.select_related("model__vendor", "via_tool").order_by(
                    "role", "id"
                ),
            )
        )
        .order_by("-monthly_cost", "name")
    )


def workflows_missing_cost(*, organization: Organization, client: Client | None = None) -> QuerySet[Workflow]:
    return _workflows(organization, client).filter(monthly_cost__isnull=True).order_by("name")


def saved_scenarios(*, organization: Organization) -> QuerySet[SavedScenario]:
    return SavedScenario.objects.filter(organization=organization).order_by("name")


def saved_scenario_for(*, organization: Organization, scenario_id: int) -> SavedScenario:
    return get_object_or_404(SavedScenario, organization=organization, pk=scenario_id)


def client_for(*, organization: Organization, slug: str) -> Client:
    return get_object_or_404(Client, organization=organization, slug=slug)
