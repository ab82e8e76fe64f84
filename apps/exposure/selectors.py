from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum

from apps.accounts.models import Client, Organization
from apps.inventory.models import Dependency, Workflow
from apps.inventory.selectors import vendor_risks_for_organization, workflow_queryset_for_list


def _scoped(organization: Organization, client: Client | None) -> QuerySet[Workflow]:
    workflows = Workflow.objects.filter(organization=organization)
    return workflows.filter(client=client) if client is not None else workflows


def exposure_summary(*, organization: Organization, client: Client | None = None) -> dict:
    """Headline numbers for leadership, from one aggregate query."""
    totals = _scoped(organization, client).aggregate(
        workflows=Count("id"),
        high=Count("id", filter=Q(exposure_band="high")),
        medium=Count("id", filter=Q(exposure_band="medium")),
        low=Count("id", filter=Q(exposure_band="low")),
        spend=Sum("monthly_cost"),
        spend_high=Sum("monthly_cost", filter=Q(exposure_band="high")),
        average=Avg("exposure_score"),
    )
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
    """Per vendor: how many workflows depend on it as a primary, by band, and the spend riding on them."""
    rows = (
        Dependency.objects.filter(
            workflow__in=_scoped(organization, client).values("id"),
            role=Dependency.Role.PRIMARY,
            model__isnull=False,
        )
        .values("model__vendor_id", "model__vendor__slug", "model__vendor__name")
        .annotate(
            workflows=Count("workflow", distinct=True),
            high=Count("workflow", distinct=True, filter=Q(workflow__exposure_band="high")),
            medium=Count("workflow", distinct=True, filter=Q(workflow__exposure_band="medium")),
            low=Count("workflow", distinct=True, filter=Q(workflow__exposure_band="low")),
        )
        .order_by("-workflows", "model__vendor__name")
    )
    risks = vendor_risks_for_organization(organization=organization)
    return [
        {
            "slug": row["model__vendor__slug"],
            "name": row["model__vendor__name"],
            "risk_level": risks[row["model__vendor_id"]].level,
            "workflows": row["workflows"],
            "high": row["high"],
            "medium": row["medium"],
            "low": row["low"],
        }
        for row in rows
    ]


def exposure_by_client(*, organization: Organization) -> list[dict]:
    if not organization.is_agency:
        return []
    rows = (
        Workflow.objects.filter(organization=organization)
        .values("client__name", "client__slug")
        .annotate(
            workflows=Count("id"),
            high=Count("id", filter=Q(exposure_band="high")),
            average=Avg("exposure_score"),
            spend=Sum("monthly_cost"),
        )
        .order_by("-high", "-average")
    )
    return [
        {
            "client": row["client__name"] or "Internal",
            "slug": row["client__slug"],
            "spend": row["spend"],
            "workflows": row["workflows"],
            "high": row["high"],
            "average": round(row["average"] or 0, 1),
        }
        for row in rows
    ]


def exposure_ranking(*, organization: Organization | None = None) -> QuerySet[Workflow]:
    workflows = Workflow.objects.select_related("organization", "client").order_by("-exposure_score", "name")
    if organization is not None:
        workflows = workflows.filter(organization=organization)
    return workflows
