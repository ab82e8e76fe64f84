"""Next actions for the leadership dashboard: what to do first, in business terms, from the data.

A provider is a function ``provider(*, organization, client, limit) -> list[NextAction]``; apps
register theirs with ``register_action_provider`` in their AppConfig.ready() (plans adds "no plan",
archive adds "no verified archive"). The built-in providers below cover: no benchmarked alternative
for a highly exposed workflow, a recent warning/critical signal on a vendor workflows use, a workflow
without a monthly cost, and a model that matches nothing in the catalog. Each provider runs a
constant number of queries and returns at most ``limit`` actions.

Ranking: ``priority = exposure × weight + min(20, monthly $ ÷ 250)``: the most exposed and the most
spend first; the weight says how urgent the kind is (a vendor moving now 1.2, no alternative 1.0,
an unmapped model 0.9, a missing cost 0.7). An action's link is shown only to members whose role
may open it (``url_role``); the action itself is shown to everyone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Client, Membership, Organization
from apps.common.sql import sql_rows
from apps.exposure.sql import sql_names
from apps.inventory.models import Dependency, Workflow

SPEND_BONUS_CAP = 20.0
SPEND_PER_POINT = 250.0
SIGNAL_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class NextAction:
    kind: str
    title: str  # what to do, imperative
    reason: str  # why, in business terms
    workflow: str  # the workflow it is about (or the most exposed of several)
    exposure: float
    monthly_usd: Decimal | None
    url: str
    link_label: str
    url_role: str = Membership.Role.VIEWER
    weight: float = 1.0

    @property
    def priority(self) -> float:
        spend = float(self.monthly_usd or 0)
        return self.exposure * self.weight + min(SPEND_BONUS_CAP, spend / SPEND_PER_POINT)

    def link_for(self, membership: Membership | None) -> str | None:
        """The URL when this member may follow it, else None (viewers never see links they cannot use)."""
        return self.url if membership is not None and membership.has_role(self.url_role) else None


ActionProvider = Callable[..., list[NextAction]]
_providers: list[ActionProvider] = []


def register_action_provider(provider: ActionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def next_actions(
    *, organization: Organization, client: Client | None = None, limit: int = 8
) -> list[NextAction]:
    actions = [
        action
        for provider in _providers
        for action in provider(organization=organization, client=client, limit=limit)
    ]
    actions.sort(key=lambda action: (-action.priority, action.workflow, action.kind))
    return actions[:limit]


def _workflows(organization: Organization, client: Client | None):
    workflows = Workflow.objects.filter(organization=organization)
    return workflows.filter(client=client) if client is not None else workflows


def _url(name: str, organization: Organization, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": organization.slug, **kwargs})


def _money(amount) -> str:
    return f"${amount:,.0f}/month" if amount is not None else "cost unknown"


# -- built-in providers --------------------------------------------------------------------------


def no_benchmarked_alternative(
    *, organization: Organization, client: Client | None, limit: int
) -> list[NextAction]:
    highly_exposed = (
        _workflows(organization, client).filter(exposure_band="high").order_by("-exposure_score", "name")
    )
    if connection.vendor == "postgresql":
        workflows = highly_exposed.exclude(exposure_factors__contains=[{"key": "benchmarked_alternative"}])[
            :limit
        ]
    else:  # SQLite (`make run`) has no JSON containment; its demo data is small
        workflows = [
            workflow
            for workflow in highly_exposed
            if not any(factor.get("key") == "benchmarked_alternative" for factor in workflow.exposure_factors)
        ][:limit]
    return [
        NextAction(
            kind="no_alternative",
            title=f"Benchmark an alternative for {workflow.name}",
            reason=f"Highly exposed ({workflow.exposure_score:.0f}) with nothing tested to switch to"
            + (f"; {_money(workflow.monthly_cost)} rides on it" if workflow.monthly_cost else ""),
            workflow=workflow.name,
            exposure=workflow.exposure_score,
            monthly_usd=workflow.monthly_cost,
            url=_url("benchmarks:index", organization),
            link_label="Open benchmarks",
        )
        for workflow in workflows
    ]


def recent_vendor_signals(
    *, organization: Organization, client: Client | None, limit: int
) -> list[NextAction]:
    from apps.watch.models import Signal

    since = timezone.now() - SIGNAL_WINDOW
    signals = list(
        Signal.objects.filter(
            organization=organization,
            vendor__isnull=False,
            severity__in=["warning", "critical"],
            observed_at__gte=since,
        )
        .exclude(status=Signal.Status.NOISE)
        .select_related("vendor")
        .order_by("-observed_at", "-id")[:limit]
    )
    if not signals:
        return []
    vendor_ids = {signal.vendor_id for signal in signals}
    affected = affected_workflows_by_vendor(organization=organization, client=client, vendor_ids=vendor_ids)
    actions = []
    for signal in signals:
        hit = affected.get(signal.vendor_id)
        if not hit:
            continue
        actions.append(
            NextAction(
                kind="recent_signal",
                title=f"Review the {signal.severity} {signal.get_kind_display().lower()} at {signal.vendor.name}",
                reason=f"{signal.subject} ({signal.observed_at:%d %b}): {hit['count']} workflow"
                f"{'s' if hit['count'] != 1 else ''} and {_money(hit['spend'])} depend on it; most exposed "
                f"{hit['top_name']} ({hit['top_score']:.0f})",
                workflow=hit["top_name"],
                exposure=hit["top_score"],
                monthly_usd=hit["spend"],
                url=_url("watch:index", organization) + f"?vendor={signal.vendor.slug}",
                link_label="Open the signals",
                weight=1.2,
            )
        )
    return actions


def affected_workflows_by_vendor(
    *, organization: Organization, client: Client | None, vendor_ids: set[int], names: int = 0
) -> dict[int, dict]:
    """Per vendor: how many workflows use it as a primary, their spend, the most exposed (and the first names).

    One query: the (vendor, workflow) pairs are counted and summed per vendor with hash aggregates (no
    sort of thousands of names), then the most exposed workflow and the first `names` of each vendor are
    read walking the (organization, exposure) index. Names compare by code point, as Python does.
    """
    if not vendor_ids:
        return {}
    if connection.vendor != "postgresql":
        return _affected_workflows_by_vendor_portable(organization, client, vendor_ids, names)
    sql_ids = sql_names()
    params = {"org": organization.pk, "vendors": sorted(vendor_ids), "names": names}
    scope = "w.{w_org} = %(org)s".format(**sql_ids)
    if client is not None:
        scope += " AND w.{w_client} = %(client)s".format(**sql_ids)
        params["client"] = client.pk
    uses_vendor = (
        "EXISTS (SELECT 1 FROM {dependency} d JOIN {aimodel} m ON m.{m_id} = d.{d_model} "
        "WHERE d.{d_workflow} = w.{w_id} AND d.{d_role} = 'primary' AND m.{m_vendor} = p.vendor_id)"
    ).format(**sql_ids)
    rows = sql_rows(
        """
        WITH per_vendor AS (
            SELECT pairs.vendor_id, COUNT(*) AS count, SUM(pairs.monthly_cost) AS spend
            FROM (
                SELECT DISTINCT m.{m_vendor} AS vendor_id, w.{w_id} AS workflow_id, w.{w_cost} AS monthly_cost
                FROM {dependency} d
                JOIN {workflow} w ON w.{w_id} = d.{d_workflow}
                JOIN {aimodel} m ON m.{m_id} = d.{d_model}
                WHERE {scope} AND d.{d_role} = 'primary' AND m.{m_vendor} = ANY(%(vendors)s)
            ) pairs
            GROUP BY pairs.vendor_id
        )
        SELECT p.vendor_id, p.count, p.spend, top.name AS top_name, top.score AS top_score,
               ARRAY(
                   SELECT w.{w_name} FROM {workflow} w WHERE {scope} AND {uses_vendor}
                   ORDER BY w.{w_score} DESC, w.{w_name} COLLATE "C" LIMIT %(names)s
               ) AS names
        FROM per_vendor p
        CROSS JOIN LATERAL (
            SELECT w.{w_name} AS name, w.{w_score} AS score FROM {workflow} w WHERE {scope} AND {uses_vendor}
            ORDER BY w.{w_score} DESC, w.{w_name} COLLATE "C" DESC LIMIT 1
        ) top
        """.format(scope=scope, uses_vendor=uses_vendor, **sql_ids),
        params,
    )
    return {
        row["vendor_id"]: {
            "count": row["count"],
            "spend": row["spend"] or Decimal(0),
            "top_score": row["top_score"],
            "top_name": row["top_name"],
            "names": list(row["names"]),
        }
        for row in rows
    }


def _affected_workflows_by_vendor_portable(
    organization: Organization, client: Client | None, vendor_ids: set[int], names: int
) -> dict[int, dict]:
    """The same answer through the ORM, for the SQLite of `make run` (small data, no LATERAL or arrays)."""
    pairs = (
        Dependency.objects.filter(
            workflow__in=_workflows(organization, client),
            role=Dependency.Role.PRIMARY,
            model__vendor_id__in=vendor_ids,
        )
        .values_list(
            "model__vendor_id",
            "workflow_id",
            "workflow__name",
            "workflow__exposure_score",
            "workflow__monthly_cost",
        )
        .distinct()
    )
    by_vendor: dict[int, dict[int, tuple]] = {}
    for vendor_id, workflow_id, name, score, cost in pairs:
        by_vendor.setdefault(vendor_id, {})[workflow_id] = (name, score, cost)
    found = {}
    for vendor_id, workflows in by_vendor.items():
        ranked = sorted(workflows.values(), key=lambda row: (-row[1], row[0]))
        top = max(ranked, key=lambda row: (row[1], row[0]))
        found[vendor_id] = {
            "count": len(workflows),
            "spend": sum((row[2] for row in workflows.values() if row[2] is not None), Decimal(0)),
            "top_score": top[1],
            "top_name": top[0],
            "names": [row[0] for row in ranked[:names]],
        }
    return found


def missing_cost(*, organization: Organization, client: Client | None, limit: int) -> list[NextAction]:
    workflows = (
        _workflows(organization, client)
        .filter(monthly_cost__isnull=True)
        .order_by("-exposure_score", "name")[:limit]
    )
    return [
        NextAction(
            kind="missing_cost",
            title=f"Fill in the monthly cost of {workflow.name}",
            reason=f"Exposure {workflow.exposure_score:.0f} ({workflow.exposure_band}); without a cost it is left "
            "out of the budget split and of the spend at risk",
            workflow=workflow.name,
            exposure=workflow.exposure_score,
            monthly_usd=None,
            url=_url("inventory:workflow_edit", organization, workflow_id=workflow.id),
            link_label="Edit the workflow",
            url_role=Membership.Role.EDITOR,
            weight=0.7,
        )
        for workflow in workflows
    ]


def unmapped_models(*, organization: Organization, client: Client | None, limit: int) -> list[NextAction]:
    rows = (
        Dependency.objects.filter(
            workflow__in=_workflows(organization, client).values("id"), model__isnull=True
        )
        .values("workflow__name", "workflow__exposure_score", "workflow__monthly_cost", "declared_model")
        .order_by("-workflow__exposure_score", "workflow__name", "declared_model")[:limit]
    )
    return [
        NextAction(
            kind="unmapped_model",
            title=f"Map “{row['declared_model']}” to a catalog model",
            reason=f"{row['workflow__name']} ({_money(row['workflow__monthly_cost'])}) depends on a model of unknown "
            "vendor and licence: its exposure and its budget tier are guesses",
            workflow=row["workflow__name"],
            exposure=row["workflow__exposure_score"],
            monthly_usd=row["workflow__monthly_cost"],
            url=_url("inventory:review_queue", organization),
            link_label="Open the review queue",
            url_role=Membership.Role.EDITOR,
            weight=0.9,
        )
        for row in rows
    ]


for _provider in (no_benchmarked_alternative, recent_vendor_signals, missing_cost, unmapped_models):
    register_action_provider(_provider)
