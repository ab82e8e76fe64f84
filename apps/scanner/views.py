"""Code scans (under Inventory): the scans, one scan with its diff, the untracked queue, archive upload.

Viewers read; editors upload, link and dismiss (checked here by `organization_view`, not only in the
templates). Link and dismiss are plain POSTs that redirect back to the queue; an invalid form
re-renders the queue with that row's errors (422).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.common.forms import apply_validation_error
from apps.common.pagination import paginate
from apps.scanner import selectors, services
from apps.scanner.forms import FindingDismissForm, FindingLinkForm, ScanUploadForm
from apps.scanner.models import Finding

QUEUE_PER_PAGE = 30


@require_GET
@organization_view()
def scan_list(request: HttpRequest, organization: Organization) -> HttpResponse:
    page = paginate(request, selectors.scan_list(organization=organization))
    context = {
        "organization": organization,
        "page": page,
        "untracked": selectors.untracked_count(organization=organization),
    }
    template = "scanner/scan_list.html" + ("#scans" if request.htmx else "")
    return render(request, template, context)


@require_GET
@organization_view()
def scan_detail(request: HttpRequest, organization: Organization, scan_id: int) -> HttpResponse:
    scan = selectors.scan_get(organization=organization, scan_id=scan_id)
    kind = request.GET.get("kind", "")
    previous, diff = selectors.scan_diff_with_previous(scan=scan)
    counts = selectors.scan_kind_counts(scan=scan)
    context = {
        "organization": organization,
        "scan": scan,
        "kind": kind if kind in Finding.Kind.values else "",
        "kinds": [(value, label, counts[value]) for value, label in Finding.Kind.choices],
        "files": selectors.scan_findings_by_file(scan=scan, kind=kind),
        "previous": previous,
        "diff": diff,
    }
    return render(request, "scanner/scan_detail.html", context)


def _queue(
    request: HttpRequest, organization: Organization, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    page = paginate(request, selectors.untracked_groups(organization=organization), QUEUE_PER_PAGE)
    groups = selectors.untracked_groups_detailed(organization=organization, rows=list(page.object_list))
    bound = bound or {}
    for group in groups:
        finding = Finding(pk=group.finding_id)
        group.link_form = bound.get(("link", group.finding_id)) or FindingLinkForm(
            organization=organization, finding=finding
        )
        group.dismiss_form = bound.get(("dismiss", group.finding_id)) or FindingDismissForm(finding=finding)
    context = {
        "organization": organization,
        "page": page,
        "groups": groups,
        "dismissals": selectors.dismissals_for_organization(organization=organization),
    }
    template = "scanner/queue.html" + ("#rows" if request.htmx and request.method == "GET" else "")
    return render(request, template, context, status=status)


@require_GET
@organization_view()
def queue(request: HttpRequest, organization: Organization) -> HttpResponse:
    return _queue(request, organization)


def _back_to_queue(request: HttpRequest, organization: Organization) -> HttpResponse:
    url = reverse("scanner:queue", kwargs={"org_slug": organization.slug})
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@organization_view(Membership.Role.EDITOR)
def finding_link(request: HttpRequest, organization: Organization, finding_id: int) -> HttpResponse:
    finding = selectors.finding_get(organization=organization, finding_id=finding_id)
    form = FindingLinkForm(request.POST, organization=organization, finding=finding)
    if form.is_valid():
        try:
            dependency = services.finding_link(
                finding=finding,
                workflow=form.cleaned_data["workflow"],
                role=form.cleaned_data["role"],
                user=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, f"{finding.identifier} is now a dependency of {dependency.workflow.name}."
            )
            return _back_to_queue(request, organization)
    return _queue(request, organization, bound={("link", finding.pk): form}, status=422)


@require_POST
@organization_view(Membership.Role.EDITOR)
def finding_dismiss(request: HttpRequest, organization: Organization, finding_id: int) -> HttpResponse:
    finding = selectors.finding_get(organization=organization, finding_id=finding_id)
    form = FindingDismissForm(request.POST, finding=finding)
    if form.is_valid():
        try:
            services.finding_dismiss(finding=finding, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{finding.identifier} is dismissed, in this scan and later ones.")
            return _back_to_queue(request, organization)
    return _queue(request, organization, bound={("dismiss", finding.pk): form}, status=422)


@require_POST
@organization_view(Membership.Role.EDITOR)
def dismissal_undo(request: HttpRequest, organization: Organization, dismissal_id: int) -> HttpResponse:
    dismissal = selectors.dismissal_get(organization=organization, dismissal_id=dismissal_id)
    returned = services.dismissal_undo(dismissal=dismissal)
    messages.success(
        request,
        f"{dismissal.identifier} is back in the queue ({returned} finding{'s' if returned != 1 else ''}).",
    )
    return _back_to_queue(request, organization)


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.EDITOR)
def upload(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            archive = form.cleaned_data["archive"]
            try:
                job, created = services.scan_archive_submit(
                    organization=organization,
                    archive=archive.read(),
                    filename=archive.name,
                    content_type=archive.content_type or "",
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("archive", error)
            else:
                if created:
                    messages.success(
                        request, f"{archive.name} is queued: it is unpacked, scanned, then recorded."
                    )
                else:
                    messages.info(request, f"This exact archive was already uploaded: here is job #{job.pk}.")
                return redirect(job)
        status = 422
    context = {
        "organization": organization,
        "form": form,
        "failed_payload_days": settings.RISKBOARD_FAILED_PAYLOAD_DAYS,
    }
    return render(request, "scanner/upload.html", context, status=status)
