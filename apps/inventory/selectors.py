from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from apps.accounts.models import Organization
from apps.inventory.matching import build_alias_index, match_model_id, normalize
from apps.inventory.models import (
    RISK_RANK,
    AIModel,
    Dependency,
    ModelAlias,
    OrganizationVendorRisk,
    Tool,
    Vendor,
    Workflow,
)

WORKFLOW_SORTS = {
    "exposure": ("-exposure_score", "name"),
    "-exposure": ("exposure_score", "name"),
    "name": ("name",),
    "-name": ("-name",),
    "cost": ("-monthly_cost", "name"),
    "-cost": ("monthly_cost", "name"),
    "criticality": ("criticality_rank", "-exposure_score"),
    "updated": ("-updated_at",),
}


def catalog_alias_index() -> dict[str, int]:
    """Every alias and model slug/name → model id, for matching identifiers to the catalog."""
    aliases = list(ModelAlias.objects.values_list("alias", "model_id"))
    names = [
        (name, model_id)
        for model_id, name, slug in AIModel.objects.values_list("id", "name", "slug")
        for name in (name, slug)
    ]
    return build_alias_index(iter(aliases + names))


def model_for_identifier(identifier: str, *, index: dict[str, int] | None = None) -> AIModel | None:
    model_id = match_model_id(identifier, catalog_alias_index() if index is None else index)
    return AIModel.objects.select_related("vendor").get(pk=model_id) if model_id else None


def catalog_search(*, query: str, limit: int = 12) -> list[AIModel]:
    """Type-ahead over the catalog: model names, families, vendors and every alias."""
    query = normalize(query)
    if not query:
        return []
    matches = (
        AIModel.objects.filter(
            Q(name__icontains=query)
            | Q(slug__icontains=query)
            | Q(family__icontains=query)
            | Q(vendor__name__icontains=query)
            | Q(aliases__alias__icontains=query)
        )
        .select_related("vendor")
        .prefetch_related("aliases")
        .distinct()
        .order_by("vendor__name", "name")
    )
    return list(matches[:limit])


def tools_for_organization(*, organization: Organization) -> QuerySet[Tool]:
    return (
        Tool.objects.filter(organization=organization)
        .prefetch_related("tool_models__model__vendor")
        .annotate(workflow_count=Count("dependencies__workflow", distinct=True))
    )


def workflow_queryset_for_list(*, organization: Organization) -> QuerySet[Workflow]:
    """Workflows with everything a list row shows, in a constant number of queries."""
    return (
        Workflow.objects.filter(organization=organization)
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "dependencies",
                queryset=Dependency.objects.select_related("model__vendor", "via_tool").order_by(
                    "role", "id"
                ),
            )
        )
        .annotate(
            criticality_rank=Case(
                When(criticality="high", then=Value(0)),
                When(criticality="medium", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    )


def workflow_list_filtered(*, organization: Organization, filters: dict) -> QuerySet[Workflow]:
    workflows = workflow_queryset_for_list(organization=organization)
    query = (filters.get("q") or "").strip()
    if query:
        workflows = workflows.filter(
            Q(name__icontains=query)
            | Q(team__icontains=query)
            | Q(owner__icontains=query)
            | Q(notes__icontains=query)
            | Q(dependencies__declared_model__icontains=query)
            | Q(dependencies__model__name__icontains=query)
        )
    if filters.get("client"):
        workflows = workflows.filter(client__slug=filters["client"])
    if filters.get("team"):
        workflows = workflows.filter(team=filters["team"])
    if filters.get("vendor"):
        workflows = workflows.filter(dependencies__model__vendor__slug=filters["vendor"])
    if filters.get("criticality"):
        workflows = workflows.filter(criticality=filters["criticality"])
    if (filters.get("difficulty") or "") in {"1", "2", "3", "4", "5"}:
        workflows = workflows.filter(switching_difficulty=int(filters["difficulty"]))
    if filters.get("band"):
        workflows = workflows.filter(exposure_band=filters["band"])
    if filters.get("review") == "1":
        workflows = workflows.filter(dependencies__model__isnull=True, dependencies__isnull=False)
    if query or filters.get("vendor") or filters.get("review"):
        workflows = workflows.distinct()
    return workflows.order_by(
        *WORKFLOW_SORTS.get(filters.get("sort") or "exposure", WORKFLOW_SORTS["exposure"])
    )


def workflow_teams(*, organization: Organization) -> list[str]:
    return list(
        Workflow.objects.filter(organization=organization)
        .exclude(team="")
        .order_by("team")
        .values_list("team", flat=True)
        .distinct()
    )


def workflow_for_organization(*, organization: Organization, workflow_id: int) -> Workflow:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Workflow.objects.select_related("client", "organization").prefetch_related(
            Prefetch(
                "dependencies",
                queryset=Dependency.objects.select_related("model__vendor", "via_tool").order_by(
                    "role", "id"
                ),
            )
        ),
        organization=organization,
        pk=workflow_id,
    )


def workflow_history(*, workflow: Workflow, limit: int = 50) -> list[dict]:
    """Who changed the workflow or its dependencies, when, and from what to what; newest first."""
    entries = []
    records = list(workflow.history.select_related("history_user").order_by("-history_date")[:limit])
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "type": newer.get_history_type_display(),
                "subject": "Workflow",
                "changes": changes,
            }
        )
    dependency_records = (
        Dependency.history.filter(workflow_id=workflow.id)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    for record in dependency_records:
        via = f" via tool #{record.via_tool_id}" if record.via_tool_id else ""
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.get_history_type_display(),
                "subject": f"Dependency {record.declared_model} ({record.role}){via}",
                "changes": [],
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


def dependencies_needing_review(*, organization: Organization) -> QuerySet[Dependency]:
    return Dependency.objects.filter(workflow__organization=organization, model__isnull=True).select_related(
        "workflow"
    )


@dataclass(frozen=True)
class VendorRiskView:
    """A vendor's risk as one organization sees it: the catalog level, raised by its own signals."""

    level: str
    reason: str
    raised_by_signals: bool


def effective_risk(vendor: Vendor, raised: OrganizationVendorRisk | None) -> VendorRiskView:
    if raised is not None and RISK_RANK[raised.risk_level] > RISK_RANK[vendor.risk_level]:
        return VendorRiskView(raised.risk_level, raised.reason, True)
    return VendorRiskView(vendor.risk_level, vendor.risk_reason, False)


def vendor_risks_for_organization(*, organization: Organization) -> dict[int, VendorRiskView]:
    """Every vendor's effective risk for the organization, keyed by vendor id (two queries)."""
    raised = {row.vendor_id: row for row in OrganizationVendorRisk.objects.filter(organization=organization)}
    return {vendor.id: effective_risk(vendor, raised.get(vendor.id)) for vendor in Vendor.objects.all()}


def imported_inventory_link(job) -> tuple[str, str]:
    """Where an `inventory` job's result lives (for the job page)."""
    from django.urls import reverse

    return "Open the inventory", reverse("inventory:index", kwargs={"org_slug": job.organization.slug})


def catalog_models() -> QuerySet[AIModel]:
    return (
        AIModel.objects.select_related("vendor").prefetch_related("aliases").order_by("vendor__name", "name")
    )
