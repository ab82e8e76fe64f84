from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.access import organization_view
from apps.accounts.models import Organization
from apps.exposure import charts, scoring, selectors
from apps.exposure.factors import registered_factors


@require_GET
@organization_view()
def dashboard(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The leadership view: how exposed the organization is, where, and which workflows first."""
    summary = selectors.exposure_summary(organization=organization)
    by_vendor = selectors.exposure_by_vendor(organization=organization)
    context = {
        "organization": organization,
        "summary": summary,
        "most_exposed": selectors.most_exposed_workflows(organization=organization),
        "by_vendor": by_vendor,
        "by_client": selectors.exposure_by_client(organization=organization),
        "vendor_chart": charts.workflows_by_vendor_and_band(by_vendor) if by_vendor else None,
        "band_chart": charts.exposure_band_split(summary) if summary["workflows"] else None,
    }
    return render(request, "exposure/dashboard.html", context)


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
