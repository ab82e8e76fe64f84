"""The Jobs section: upload a payload, list jobs, follow one live, retry a failed one.

Viewers read; editors upload and retry (checked here, in the views, not only in templates).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.jobs import services
from apps.jobs.forms import JobFilterForm, JobUploadForm, kind_help
from apps.jobs.models import ImportJob
from apps.jobs.results import job_result_link
from apps.jobs.selectors import job_get, job_list

JOBS_PER_PAGE = 25


@require_GET
@organization_view()
def index(request: HttpRequest, organization: Organization) -> HttpResponse:
    filters = JobFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    jobs = job_list(organization=organization, kind=chosen.get("kind", ""), status=chosen.get("status", ""))
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    template = "jobs/job_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, {"organization": organization, "filters": filters, "page": page})


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.EDITOR)
def upload(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = JobUploadForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job, created = services.job_submit(
                    organization=organization,
                    kind=form.cleaned_data["kind"],
                    payload=upload.read(),
                    source=ImportJob.Source.UI,
                    filename=upload.name,
                    content_type=upload.content_type or "",
                    user=request.user,
                )
            except services.PayloadInvalid as invalid:
                form.add_error("file", [f"{error['where']}: {error['message']}" for error in invalid.errors])
            else:
                if created:
                    messages.success(request, f"{upload.name} is queued for import.")
                else:
                    messages.info(request, f"These exact bytes were already uploaded: here is job #{job.pk}.")
                return redirect(job)
        status = 422
    context = {
        "organization": organization,
        "form": form,
        "kind_help": kind_help(),
        "failed_payload_days": settings.RISKBOARD_FAILED_PAYLOAD_DAYS,
    }
    return render(request, "jobs/job_upload.html", context, status=status)


@require_GET
@organization_view()
def detail(request: HttpRequest, organization: Organization, job_id: int) -> HttpResponse:
    job = job_get(organization=organization, job_id=job_id)
    template = "jobs/job_detail.html" + ("#progress" if request.htmx else "")
    context = {"organization": organization, "job": job, "result_link": job_result_link(job)}
    return render(request, template, context)


@require_POST
@organization_view(Membership.Role.EDITOR)
def retry(request: HttpRequest, organization: Organization, job_id: int) -> HttpResponse:
    job = job_get(organization=organization, job_id=job_id)
    try:
        services.job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Job #{job.pk} is queued again.")
    return redirect(job)
