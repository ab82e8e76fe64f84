"""Reads for the budget: the exact per-workflow split (command, tables) and SQL aggregates (pages at scale).

Both follow apps/budget/budget.py. The aggregates let PostgreSQL divide each workflow's cost among its
primary dependencies and sum by (client, team, tier, vendor), so a page over 10,000 workflows reads a
few dozen grouped rows instead of every dependency; tests/budget/test_selectors.py checks that the two
paths agree on the hand-checked sheet.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Prefetch,
    QuerySet,
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
from apps.budget.moves import Evidence, MoveCandidate
from apps.common.sql import as_decimal, sql_rows
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


# One CTE holds every primary dependency of a costed workflow with its share of the cost: PostgreSQL
# counts each workflow's primaries with a window function (one sort), so the aggregates below read
# 20,000 dependencies in tens of milliseconds. Plain SQL because the ORM cannot aggregate over a
# window; every value is a parameter and every name comes from the models' _meta.
_SHARES_SQL = """
WITH shares AS (
    SELECT w.{w_id} AS workflow_id, w.{w_name} AS workflow_name, w.{w_cost} AS monthly_cost,
           w.{w_client} AS client_id, w.{w_team} AS team, w.{w_criticality} AS criticality,
           w.{w_sensitivity} AS data_sensitivity, m.{m_open} AS open_weights, v.{v_slug} AS vendor,
           d.{d_model} IS NOT NULL AS mapped,
           w.{w_cost} / COUNT(*) OVER (PARTITION BY d.{d_workflow}) AS share
    FROM {dependency} d
    JOIN {workflow} w ON w.{w_id} = d.{d_workflow}
    LEFT JOIN {aimodel} m ON m.{m_id} = d.{d_model}
    LEFT JOIN {vendor} v ON v.{v_id} = m.{m_vendor}
    WHERE w.{w_org} = %s AND d.{d_role} = 'primary' AND w.{w_cost} > 0 {client_filter}
)
"""


def _shares_sql(organization: Organization, client: Client | None) -> tuple[str, list]:
    from apps.inventory.models import AIModel, Vendor

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    names = {
        "dependency": connection.ops.quote_name(Dependency._meta.db_table),
        "workflow": connection.ops.quote_name(Workflow._meta.db_table),
        "aimodel": connection.ops.quote_name(AIModel._meta.db_table),
        "vendor": connection.ops.quote_name(Vendor._meta.db_table),
        "w_id": column(Workflow, "id"),
        "w_name": column(Workflow, "name"),
        "w_cost": column(Workflow, "monthly_cost"),
        "w_client": column(Workflow, "client"),
        "w_team": column(Workflow, "team"),
        "w_criticality": column(Workflow, "criticality"),
        "w_sensitivity": column(Workflow, "data_sensitivity"),
        "w_org": column(Workflow, "organization"),
        "m_id": column(AIModel, "id"),
        "m_open": column(AIModel, "open_weights"),
        "m_vendor": column(AIModel, "vendor"),
        "v_id": column(Vendor, "id"),
        "v_slug": column(Vendor, "slug"),
        "d_model": column(Dependency, "model"),
        "d_workflow": column(Dependency, "workflow"),
        "d_role": column(Dependency, "role"),
    }
    params: list = [organization.pk]
    client_filter = ""
    if client is not None:
        client_filter = f"AND w.{names['w_client']} = %s"
        params.append(client.pk)
    return _SHARES_SQL.format(client_filter=client_filter, **names), params


def _rows(sql: str, params: list) -> list[dict]:
    """Rows as dicts, `amount` as a Decimal (SQLite sums money as a float)."""
    rows = sql_rows(sql, params)
    for row in rows:
        if "amount" in row:
            row["amount"] = as_decimal(row["amount"])
    return rows


def _tier(open_weights: bool | None, mapped: bool) -> str:
    if not mapped:
        return UNCLASSIFIED
    return "open" if open_weights else "proprietary"


@dataclass
class SpendGroups:
    """Spend lines three ways: by (tier, vendor) for the totals and scenarios, and per client and per
    team (tier only) for their rows; each list sums to the same totals."""

    lines: list[SpendLine] = field(default_factory=list)
    by_client: dict[int | None, list[SpendLine]] = field(default_factory=lambda: defaultdict(list))
    by_team: dict[str, list[SpendLine]] = field(default_factory=lambda: defaultdict(list))


def _names(*fields: tuple) -> dict[str, str]:
    return {key: connection.ops.quote_name(model._meta.get_field(name).column) for key, model, name in fields}


def spend_groups(*, organization: Organization, client: Client | None = None) -> SpendGroups:
    """Spend by (tier, vendor), by (client, tier) and by (team, tier), summed in PostgreSQL with
    three groupings of one statement whatever the size: a few dozen rows come back, not one per
    (client, team, vendor). A costed workflow with no primary dependency counts as all unclassified
    (docs/contracts.md)."""
    shares, params = _shares_sql(organization, client)
    names = {
        "workflow": connection.ops.quote_name(Workflow._meta.db_table),
        "dependency": connection.ops.quote_name(Dependency._meta.db_table),
        **_names(
            ("w_id", Workflow, "id"),
            ("w_cost", Workflow, "monthly_cost"),
            ("w_org", Workflow, "organization"),
            ("w_client", Workflow, "client"),
            ("w_team", Workflow, "team"),
            ("d_workflow", Dependency, "workflow"),
            ("d_role", Dependency, "role"),
        ),
    }
    client_filter = f"AND w.{names['w_client']} = %s" if client is not None else ""
    rows = _rows(
        shares
        + """, every_share AS (
            SELECT client_id, team, open_weights, vendor, mapped, share FROM shares
            UNION ALL
            SELECT w.{w_client}, w.{w_team}, NULL, NULL, FALSE, w.{w_cost} FROM {workflow} w
            WHERE w.{w_org} = %s AND w.{w_cost} > 0 {client_filter} AND NOT EXISTS (
                SELECT 1 FROM {dependency} d WHERE d.{d_workflow} = w.{w_id} AND d.{d_role} = 'primary'
            )
        )
        SELECT 1 AS no_client, 1 AS no_team, 0 AS no_vendor, NULL AS client_id, NULL AS team,
               open_weights, vendor, mapped, SUM(share) AS amount
        FROM every_share GROUP BY open_weights, mapped, vendor
        UNION ALL
        SELECT 0, 1, 1, client_id, NULL, open_weights, NULL, mapped, SUM(share)
        FROM every_share GROUP BY client_id, open_weights, mapped
        UNION ALL
        SELECT 1, 0, 1, NULL, team, open_weights, NULL, mapped, SUM(share)
        FROM every_share GROUP BY team, open_weights, mapped
        """.format(client_filter=client_filter, **names),
        [*params, *params],
    )
    groups = SpendGroups()
    for row in rows:
        line = SpendLine(
            _tier(row["open_weights"], row["mapped"]),
            None if row["no_vendor"] else row["vendor"],
            row["amount"] or Decimal(0),
        )
        if not row["no_vendor"]:
            groups.lines.append(line)
        elif not row["no_client"]:
            groups.by_client[row["client_id"]].append(line)
        else:
            groups.by_team[row["team"]].append(line)
    return groups


def spend_totals(*, organization: Organization, client: Client | None = None) -> Totals:
    """Today's split by tier alone (the dashboard's gauge), in one statement: the same shares as
    `spend_groups`, summed by tier only, plus the costed workflows that have no primary dependency."""
    shares, params = _shares_sql(organization, client)
    names = {
        "workflow": connection.ops.quote_name(Workflow._meta.db_table),
        "dependency": connection.ops.quote_name(Dependency._meta.db_table),
        "w_id": connection.ops.quote_name(Workflow._meta.get_field("id").column),
        "w_cost": connection.ops.quote_name(Workflow._meta.get_field("monthly_cost").column),
        "w_org": connection.ops.quote_name(Workflow._meta.get_field("organization").column),
        "w_client": connection.ops.quote_name(Workflow._meta.get_field("client").column),
        "d_workflow": connection.ops.quote_name(Dependency._meta.get_field("workflow").column),
        "d_role": connection.ops.quote_name(Dependency._meta.get_field("role").column),
    }
    client_filter = f"AND w.{names['w_client']} = %s" if client is not None else ""
    rows = _rows(
        shares
        + "SELECT open_weights, mapped, SUM(share) AS amount FROM shares GROUP BY open_weights, mapped "
        "UNION ALL "
        "SELECT NULL, FALSE, SUM(w.{w_cost}) FROM {workflow} w WHERE w.{w_org} = %s AND w.{w_cost} > 0 "
        "{client_filter} AND NOT EXISTS (SELECT 1 FROM {dependency} d WHERE d.{d_workflow} = w.{w_id} "
        "AND d.{d_role} = 'primary')".format(client_filter=client_filter, **names),
        [*params, *params],
    )
    return totals_of(
        SpendLine(_tier(row["open_weights"], row["mapped"]), None, row["amount"])
        for row in rows
        if row["amount"] is not None
    )


def scenario_workflow_deltas(
    *, organization: Organization, scenario: Scenario, client: Client | None = None, limit: int = 50
) -> tuple[list[dict], int]:
    """The workflows a scenario moves, by how much (largest first, at most `limit`) and how many there are."""
    if scenario.factor == 1:
        return [], 0
    shares, params = _shares_sql(organization, client)
    rows = _rows(
        shares + "SELECT workflow_id, workflow_name, monthly_cost, SUM(share) AS vendor_spend, "
        "COUNT(*) OVER () AS moved FROM shares WHERE vendor = %s "
        "GROUP BY workflow_id, workflow_name, monthly_cost ORDER BY vendor_spend DESC, workflow_name LIMIT %s",
        [*params, scenario.vendor, limit],
    )
    moved = []
    for row in rows:
        delta = row["vendor_spend"] * (scenario.factor - 1)
        moved.append(
            {
                "workflow_id": row["workflow_id"],
                "workflow": row["workflow_name"],
                "monthly_usd": row["monthly_cost"],
                "vendor_usd": row["vendor_spend"],
                "new_monthly_usd": row["monthly_cost"] + delta,
                "delta_usd": delta,
            }
        )
    return moved, rows[0]["moved"] if rows else 0


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


# -- what to move --------------------------------------------------------------------------------


def move_candidates(
    *, organization: Organization, direction: str, client: Client | None = None
) -> tuple[list[MoveCandidate], int]:
    """Workflows linked to a benchmark suite that have spend to move, each with its best alternative in
    the tier that moves in; plus how many other allowed workflows have spend to move but no suite.

    Reuses the benchmark ranking (latest finished run per suite, DEFAULT_THRESHOLDS, self-hostable only
    for regulated data): queries grow with the number of suites, not of workflows.
    """
    from apps.benchmarks.ranking import DEFAULT_THRESHOLDS, Thresholds, rank_alternatives
    from apps.benchmarks.selectors import latest_runs_by_suite, run_comparison

    leaving_open = direction == "to_proprietary"
    shares, params = _shares_sql(organization, client)
    allowed = "criticality <> 'high'" if direction == "to_open" else "data_sensitivity <> 'regulated'"
    # Few workflows are linked to a suite: select those first, then PostgreSQL returns the spend to move
    # of those alone and how many workflows have spend to move (not thousands of rows to count here).
    linked_ids = list(
        _workflows(organization, client)
        .filter(bench_suites__isnull=False)
        .values_list("id", flat=True)
        .distinct()
    )
    rows = _rows(
        shares
        + f", moved AS (SELECT workflow_id, SUM(share) AS amount FROM shares WHERE mapped AND open_weights = %s "
        f"AND {allowed} GROUP BY workflow_id) "
        f"SELECT workflow_id, amount FROM moved WHERE workflow_id IN ({', '.join(['%s'] * len(linked_ids)) or 'NULL'}) "
        "UNION ALL SELECT NULL, COUNT(*) FROM moved",
        [*params, leaving_open, *linked_ids],
    )
    moving = int(next(row["amount"] for row in rows if row["workflow_id"] is None))
    spend_by_workflow = {row["workflow_id"]: row["amount"] for row in rows if row["workflow_id"] is not None}
    linked_ids = [workflow_id for workflow_id in linked_ids if workflow_id in spend_by_workflow]
    linked = list(
        Workflow.objects.filter(pk__in=linked_ids)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "dependencies", queryset=Dependency.objects.filter(role=PRIMARY).select_related("model")
            ),
            "bench_suites",
        )
    )
    suites = {suite.pk: suite for workflow in linked for suite in workflow.bench_suites.all()}
    latest = latest_runs_by_suite(suite_ids=suites)
    comparisons = {suite_id: (run, run_comparison(run=run)) for suite_id, run in latest.items()}
    want_open = not leaving_open
    candidates = []
    for workflow in linked:
        primaries = list(workflow.dependencies.all())
        ids = {d.model_id for d in primaries if d.model_id}
        names = {d.declared_model for d in primaries} | {d.model.name for d in primaries if d.model_id}
        regulated = workflow.data_sensitivity == Workflow.Sensitivity.REGULATED
        thresholds = Thresholds(
            min_pass_rate=DEFAULT_THRESHOLDS.min_pass_rate, self_hostable_only=regulated and want_open
        )
        best = []
        for suite in workflow.bench_suites.all():
            if suite.pk not in comparisons:
                continue
            run, comparison = comparisons[suite.pk]
            standings = [s for s in comparison.standings if s.open_weights is want_open]
            ranked = rank_alternatives(
                standings, current_ids=ids, current_names=names, thresholds=thresholds
            ).best
            if ranked is not None:
                best.append((ranked, run, suite))
        evidence = None
        if best:
            top = rank_alternatives([b[0] for b in best], thresholds=Thresholds(min_pass_rate=None)).best
            standing, run, suite = next(b for b in best if b[0] is top)
            evidence = Evidence(
                model=standing.name,
                run_id=run.pk,
                suite=suite.name,
                pass_rate=standing.pass_rate,
                cost_per_1k=standing.cost_per_1k,
                open_weights=standing.open_weights,
                self_hostable=standing.self_hostable,
            )
        candidates.append(
            MoveCandidate(
                workflow_id=workflow.pk,
                workflow=workflow.name,
                switching_difficulty=workflow.switching_difficulty,
                criticality=workflow.criticality,
                regulated=regulated,
                amount=spend_by_workflow[workflow.pk],
                current_models=tuple(
                    sorted(d.model.name if d.model_id else d.declared_model for d in primaries)
                ),
                evidence=evidence,
            )
        )
    return candidates, moving - len(linked)
