"""Report pages and exports inside the app. Client viewers may open only their own client's report
and its exports (`allow_client=True` below, and `_client_for` checks the binding); everything else
here is for staff. The public share-link pages are in shared_views.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Client, Membership, Organization
from apps.common.forms import apply_validation_error
from apps.reports import charts, selectors, services
from apps.reports.exports import EXPORT_FORMATS, report_export
from apps.reports.forms import ClientViewerForm, ShareLinkForm
from apps.reports.sections import report_build


def _client_for(request: HttpRequest, organization: Organization, client_slug: str) -> Client:
    """The client named in the URL; a client viewer gets a 404 for any client but their own."""
    client = selectors.client_for_organization(organization=organization, client_slug=client_slug)
    membership = request.membership
    if membership.is_client_viewer and membership.client_id != client.pk:
        raise Http404("No such client.")
    return client


def _index_context(organization: Organization, **extra) -> dict:
    return {
        "organization": organization,
        "clients": selectors.clients_for_reports(organization=organization),
        "links": selectors.share_links_for_organization(organization=organization)[:50],
        "viewers": selectors.client_viewers(organization=organization),
        "share_form": ShareLinkForm(),
        "viewer_form": ClientViewerForm(organization=organization),
        "export_formats": EXPORT_FORMATS,
        **extra,
    }


@require_GET
@organization_view(allow_client=True)
def index(request: HttpRequest, organization: Organization) -> HttpResponse:
    if request.membership.is_client_viewer:
        return redirect(
            "reports:client_report", org_slug=organization.slug, client_slug=request.membership.client.slug
        )
    return render(request, "reports/index.html", _index_context(organization))


def _render_report(request: HttpRequest, organization: Organization, client: Client | None) -> HttpResponse:
    report = report_build(organization=organization, client=client)
    context = {
        "organization": organization,
        "client": client,
        "report": report,
        "figures": charts.report_figures(report),
        "export_formats": EXPORT_FORMATS,
        "share_form": ShareLinkForm() if client and request.membership.is_admin else None,
    }
    return render(request, "reports/report.html", context)


@require_GET
@organization_view()
def organization_report(request: HttpRequest, organization: Organization) -> HttpResponse:
    return _render_report(request, organization, None)


@require_GET
@organization_view(allow_client=True)
def client_report(request: HttpRequest, organization: Organization, client_slug: str) -> HttpResponse:
    return _render_report(request, organization, _client_for(request, organization, client_slug))


def _export_response(organization: Organization, client: Client | None, export_format: str) -> HttpResponse:
    if export_format not in EXPORT_FORMATS:
        raise Http404(f"No export format {export_format!r}.")
    export = report_export(organization=organization, client=client, export_format=export_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@organization_view()
def organization_export(request: HttpRequest, organization: Organization, export_format: str) -> HttpResponse:
    return _export_response(organization, None, export_format)


@require_GET
@organization_view(allow_client=True)
def client_export(
    request: HttpRequest, organization: Organization, client_slug: str, export_format: str
) -> HttpResponse:
    return _export_response(organization, _client_for(request, organization, client_slug), export_format)


@require_POST
@organization_view(Membership.Role.ADMIN)
def share_create(request: HttpRequest, organization: Organization, client_slug: str) -> HttpResponse:
    """Make a share link; its URL is on this response only (only a hash of the token is kept)."""
    client = _client_for(request, organization, client_slug)
    form = ShareLinkForm(request.POST)
    new_link = None
    status = 200
    if form.is_valid():
        try:
            link, raw = services.share_link_create(
                organization=organization,
                client=client,
                days=form.cleaned_data["days"],
                mode=form.cleaned_data["mode"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            status = 422
        else:
            new_link = {"link": link, "url": request.build_absolute_uri(f"/shared/{raw}/")}
    else:
        status = 422
    context = _index_context(organization, new_link=new_link, share_client=client)
    if status == 422:
        context["share_form"] = form
    response = render(request, "reports/index.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page holds the link's token
    return response


@require_POST
@organization_view(Membership.Role.ADMIN)
def share_revoke(request: HttpRequest, organization: Organization, link_id: int) -> HttpResponse:
    link = selectors.share_link_for_organization(organization=organization, link_id=link_id)
    services.share_link_revoke(link=link)
    messages.success(request, f"The link to {link.client}'s report is revoked: it no longer opens.")
    return redirect("reports:index", org_slug=organization.slug)


@require_http_methods(["POST"])
@organization_view(Membership.Role.ADMIN)
def client_viewer_add(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = ClientViewerForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            membership = services.client_viewer_add(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{membership.user} can now read {membership.client}'s report.")
            return redirect("reports:index", org_slug=organization.slug)
    return render(request, "reports/index.html", _index_context(organization, viewer_form=form), status=422)
