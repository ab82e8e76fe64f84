from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.access import organization_view
from apps.accounts.models import Organization
from apps.budget import selectors as budget_selectors
from apps.budget.budget import Totals
from apps.exposure import actions, charts, history, leadership, scoring, selectors
from apps.exposure.factors import registered_factors


@require_GET
@organization_view()
def dashboard(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The leadership view: how exposed the organization (or one client) is, where, and what to do first."""
    client = None
    if organization.is_agency and request.GET.get("client"):
        client = budget_selectors.client_for(organization=organization, slug=request.GET["client"])
    rollup = selectors.workflow_rollup(organization=organization, client=client)
    summary = selectors.exposure_summary(organization=organization, client=client, rollup=rollup)
    by_vendor = selectors.exposure_by_vendor(organization=organization, client=client)
    snapshots = history.snapshots_for(organization=organization) if client is None else []
    spend = budget_totals(organization=organization, client=client)
    context = {
        "organization": organization,
        "client": client,
        "summary": summary,
        "most_exposed": selectors.most_exposed_workflows(organization=organization, client=client),
        "by_vendor": by_vendor,
        "by_client": selectors.exposure_by_client(organization=organization, rollup=rollup)
        if client is None
        else [],
        "vendor_chart": charts.workflows_by_vendor_and_band(by_vendor) if by_vendor else None,
        "band_chart": charts.exposure_band_split(summary) if summary["workflows"] else None,
        "trend_chart": charts.exposure_trend(snapshots) if len(snapshots) > 1 else None,
        "actions": [
            (action, action.link_for(request.membership))
            for action in actions.next_actions(organization=organization, client=client)
        ],
        "heatmap": leadership.criticality_switching_heatmap(
            organization=organization, client=client, rollup=rollup
        ),
        "signals": leadership.recent_signals_with_workflows(organization=organization, client=client),
        "spend": spend,
        "band": budget_selectors.budget_band(organization=organization),
        "can_edit": request.membership.can_edit,
    }
    return render(request, "exposure/dashboard.html", context)


def budget_totals(*, organization: Organization, client=None) -> Totals:
    return budget_selectors.spend_totals(organization=organization, client=client)


@require_GET
@organization_view()
def method(request: HttpRequest, organization: Organization) -> HttpResponse:
    """How the score is computed: every registered factor, from the same entries the score uses."""
    context = {
        "organization": organization,
        "factors": registered_factors(),
        "high_band_from": scoring.HIGH_BAND_FROM,
        "medium_band_from": scoring.MEDIUM_BAND_FROM,
    }
    return render(request, "exposure/method.html", context)
