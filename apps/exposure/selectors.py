from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from apps.accounts.models import Client, Organization
from apps.common.sql import as_decimal, sql_rows
from apps.exposure.sql import sql_names
from apps.inventory.models import Dependency, Workflow
from apps.inventory.selectors import vendor_risks_for_organization, workflow_queryset_for_list


def _scoped(organization: Organization, client: Client | None) -> QuerySet[Workflow]:
    workflows = Workflow.objects.filter(organization=organization)
    return workflows.filter(client=client) if client is not None else workflows


@dataclass(frozen=True)
class WorkflowRollup:
    """The organization's (or a client's) workflows summed three ways in one scan: overall, per client,
    and per criticality × switching-difficulty cell."""

    overall: dict
    by_client: list[dict]
    cells: dict[tuple[str, int], dict]


def workflow_rollup(*, organization: Organization, client: Client | None = None) -> WorkflowRollup:
    """One statement over the workflows instead of three full scans (summary, clients, heatmap)."""
    names = sql_names()
    params: list = [organization.pk]
    client_filter = ""
    if client is not None:
        client_filter = f"AND w.{names['w_client']} = %s"
        params.append(client.pk)
    aggregates = """COUNT(*) AS workflows,
               COUNT(*) FILTER (WHERE w.{w_band} = 'high') AS high,
               COUNT(*) FILTER (WHERE w.{w_band} = 'medium') AS medium,
               COUNT(*) FILTER (WHERE w.{w_band} = 'low') AS low,
               SUM(w.{w_cost}) AS spend,
               SUM(w.{w_cost}) FILTER (WHERE w.{w_band} = 'high') AS spend_high,
               AVG(w.{w_score}) AS average
        FROM {workflow} w
        LEFT JOIN {client} c ON c.{c_id} = w.{w_client}
        WHERE w.{w_org} = %s {client_filter}"""
    # Three groupings in one statement (GROUPING SETS, written so SQLite runs it too). The typed branch
    # comes first: PostgreSQL types a column of a UNION from its first non-NULL branch, pairwise.
    rows = sql_rows(
        """
        SELECT 1 AS by_client, 0 AS by_cell, NULL AS client_name, NULL AS client_slug,
               w.{w_criticality} AS criticality, w.{w_difficulty} AS difficulty, {aggregates}
        GROUP BY w.{w_criticality}, w.{w_difficulty}
        UNION ALL
        SELECT 0, 1, c.{c_name}, c.{c_slug}, NULL, NULL, {aggregates}
        GROUP BY w.{w_client}, c.{c_name}, c.{c_slug}
        UNION ALL
        SELECT 1, 1, NULL, NULL, NULL, NULL, {aggregates}
        """.format(aggregates=aggregates.format(client_filter=client_filter, **names), **names),
        params * 3,
    )
    for row in rows:
        row["spend"], row["spend_high"] = as_decimal(row["spend"]), as_decimal(row["spend_high"])
    overall: dict = {}
    by_client, cells = [], {}
    for row in rows:
        if row["by_client"] and row["by_cell"]:
            overall = row
        elif not row["by_client"]:
            by_client.append(row)
        else:
            cells[(row["criticality"], row["difficulty"])] = row
    by_client.sort(key=lambda row: (-row["high"], -(row["average"] or 0)))
    return WorkflowRollup(overall=overall, by_client=by_client, cells=cells)


def exposure_summary(
    *, organization: Organization, client: Client | None = None, rollup: WorkflowRollup | None = None
) -> dict:
    """Headline numbers for leadership, from the one-scan rollup (pass it in when you already have it)."""
    rollup = rollup or workflow_rollup(organization=organization, client=client)
    keys = ("workflows", "high", "medium", "low", "spend", "spend_high", "average")
    totals = {key: rollup.overall.get(key) for key in keys}
    totals["workflows"] = totals["workflows"] or 0
    spend = totals["spend"] or Decimal(0)
    totals["spend_high_share"] = float(totals["spend_high"] or 0) / float(spend) if spend else None
    totals["unmapped"] = Dependency.objects.filter(
        workflow__in=_scoped(organization, client).values("id"), model__isnull=True
    ).count()
    return totals


def most_exposed_workflows(
    *, organization: Organization, limit: int = 10, client: Client | None = None
) -> QuerySet[Workflow]:
    workflows = workflow_queryset_for_list(organization=organization)
    if client is not None:
        workflows = workflows.filter(client=client)
    return workflows.order_by("-exposure_score", "name")[:limit]


def exposure_by_vendor(*, organization: Organization, client: Client | None = None) -> list[dict]:
    """Per vendor: how many workflows depend on it as a primary, by band, and the spend riding on them.

    One grouped query: (vendor, workflow) pairs are made distinct first (a hash aggregate), then counted
    per vendor, instead of four COUNT(DISTINCT …) that each sort every primary dependency.
    """
    names = sql_names()
    params: list = [organization.pk]
    client_filter = ""
    if client is not None:
        client_filter = f"AND w.{names['w_client']} = %s"
        params.append(client.pk)
    rows = sql_rows(
        """
        SELECT pairs.vendor_id, v.{v_slug} AS slug, v.{v_name} AS name, COUNT(*) AS workflows,
               COUNT(*) FILTER (WHERE pairs.band = 'high') AS high,
               COUNT(*) FILTER (WHERE pairs.band = 'medium') AS medium,
               COUNT(*) FILTER (WHERE pairs.band = 'low') AS low
        FROM (
            SELECT DISTINCT m.{m_vendor} AS vendor_id, w.{w_id} AS workflow_id, w.{w_band} AS band
            FROM {dependency} d
            JOIN {workflow} w ON w.{w_id} = d.{d_workflow}
            JOIN {aimodel} m ON m.{m_id} = d.{d_model}
            WHERE w.{w_org} = %s AND d.{d_role} = 'primary' {client_filter}
        ) pairs
        JOIN {vendor} v ON v.{v_id} = pairs.vendor_id
        GROUP BY pairs.vendor_id, v.{v_slug}, v.{v_name}
        ORDER BY workflows DESC, v.{v_name}
        """.format(client_filter=client_filter, **names),
        params,
    )
    risks = vendor_risks_for_organization(organization=organization)
    return [
        {
            "slug": row["slug"],
            "name": row["name"],
            "risk_level": risks[row["vendor_id"]].level,
            "workflows": row["workflows"],
            "high": row["high"],
            "medium": row["medium"],
            "low": row["low"],
        }
        for row in rows
    ]


def exposure_by_client(*, organization: Organization, rollup: WorkflowRollup | None = None) -> list[dict]:
    if not organization.is_agency:
        return []
    rollup = rollup or workflow_rollup(organization=organization)
    return [
        {
            "client": row["client_name"] or "Internal",
            "slug": row["client_slug"],
            "spend": row["spend"],
            "workflows": row["workflows"],
            "high": row["high"],
            "average": round(row["average"] or 0, 1),
        }
        for row in rollup.by_client
    ]


def exposure_ranking(*, organization: Organization | None = None) -> QuerySet[Workflow]:
    workflows = Workflow.objects.select_related("organization", "client").order_by("-exposure_score", "name")
    if organization is not None:
        workflows = workflows.filter(organization=organization)
    return workflows
