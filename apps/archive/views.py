"""The Archive section: coverage, artifacts and their copies, starting an archive and following it.

Viewers read; editors start archives, upload bundle files and ask for a re-hash; admins manage the
storage locations and the redundancy policy (checked here, in the views, not only in templates).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.archive import selectors, services
from apps.archive.forms import ArchiveStartForm, BundleFileForm, LocationForm, PolicyForm
from apps.archive.models import RedundancyPolicy
from apps.inventory.models import AIModel
from apps.inventory.selectors import workflow_for_organization


@require_GET
@organization_view()
def coverage(request: HttpRequest, organization: Organization) -> HttpResponse:
    rows = selectors.coverage_for_organization(organization=organization)
    counts = {
        level: sum(1 for row in rows if row.level == level) for level in ("full", "partial", "none", "n/a")
    }
    context = {
        "organization": organization,
        "rows": rows,
        "counts": counts,
        "artifacts": selectors.artifact_list(organization=organization),
        "locations": selectors.location_list(organization=organization),
        "policy": selectors.policy_of(organization.pk),
        "runs": selectors.run_list(organization=organization),
    }
    return render(request, "archive/coverage.html", context)


def _start_context(request: HttpRequest, organization: Organization) -> dict:
    workflow = model = None
    if workflow_id := request.GET.get("workflow") or request.POST.get("workflow"):
        if not str(workflow_id).isdigit():
            raise_404()
        workflow = workflow_for_organization(organization=organization, workflow_id=int(workflow_id))
    if model_id := request.GET.get("model") or request.POST.get("model"):
        if not str(model_id).isdigit():
            raise_404()
        model = get_object_or_404(AIModel.objects.select_related("vendor"), pk=int(model_id))
    candidates: list[tuple[AIModel, str]] = []
    if workflow is not None:
        candidates = selectors.workflow_coverage(workflow=workflow).models
    if model is None and len(candidates) >= 1:
        model = candidates[0][0]
    suggested = selectors.hf_repo_for_model(model) if model is not None and model.open_weights else ""
    return {
        "organization": organization,
        "workflow": workflow,
        "model": model,
        "candidates": [
            (candidate, level, selectors.hf_repo_for_model(candidate)) for candidate, level in candidates
        ],
        "suggested": f"hf:{suggested}" if suggested else "",
        "existing": (
            selectors.artifact_list(organization=organization).filter(model=model)
            if model is not None
            else []
        ),
    }


def raise_404() -> None:
    from django.http import Http404

    raise Http404("No such object.")


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.EDITOR)
def start(request: HttpRequest, organization: Organization) -> HttpResponse:
    context = _start_context(request, organization)
    workflow = context["workflow"]
    form = ArchiveStartForm(
        request.POST or None,
        organization=organization,
        with_bundle=workflow is not None,
        initial={
            "source": context["suggested"],
            "locations": list(selectors.location_list(organization=organization)),
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            source = form.cleaned_data["source"]
            try:
                run = services.archive_run_submit(
                    organization=organization,
                    locations=list(form.cleaned_data["locations"]),
                    source=source,
                    workflow=workflow,
                    include_bundle=bool(form.cleaned_data.get("include_bundle")),
                    user=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Archiving {run.source}: follow it here.")
                return redirect(run)
        status = 422
    context |= {"form": form, "bundle_form": BundleFileForm(), "policy": selectors.policy_of(organization.pk)}
    if workflow is not None:
        context["bundle_files"] = workflow.archive_files.defer("content").order_by("kind", "filename")
    return render(request, "archive/start.html", context, status=status)


@require_POST
@organization_view(Membership.Role.EDITOR)
def bundle_file_upload(request: HttpRequest, organization: Organization) -> HttpResponse:
    context = _start_context(request, organization)
    workflow = context["workflow"]
    if workflow is None:
        raise_404()
    form = BundleFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.bundle_file_add(
                workflow=workflow,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, f"{upload.name} is part of the bundle of {workflow.name}.")
            return redirect(reverse("archive:start", args=[organization.slug]) + f"?workflow={workflow.pk}")
    context |= {
        "form": ArchiveStartForm(
            organization=organization, with_bundle=True, initial={"source": context["suggested"]}
        ),
        "bundle_form": form,
        "policy": selectors.policy_of(organization.pk),
        "bundle_files": workflow.archive_files.defer("content").order_by("kind", "filename"),
    }
    return render(request, "archive/start.html", context, status=422)


@require_GET
@organization_view()
def run_detail(request: HttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    run = selectors.run_for(organization=organization, run_id=run_id)
    coverage = selectors.workflow_coverage(workflow=run.workflow) if run.workflow_id else None
    template = "archive/run_detail.html" + ("#progress" if request.htmx else "")
    return render(request, template, {"organization": organization, "run": run, "coverage": coverage})


@require_GET
@organization_view()
def artifact_detail(request: HttpRequest, organization: Organization, artifact_id: int) -> HttpResponse:
    artifact = selectors.artifact_for(organization=organization, artifact_id=artifact_id)
    policy = selectors.policy_of(organization.pk)
    copies = list(artifact.copies.all())
    context = {
        "organization": organization,
        "artifact": artifact,
        "copies": copies,
        "level": selectors.artifact_level(artifact, policy),
        "policy": policy,
        "verifications": selectors.verifications_for(artifact=artifact),
        "files": artifact.files.all(),
        "restore_path": _restore_path(copies, artifact),
    }
    return render(request, "archive/artifact_detail.html", context)


def _restore_path(copies, artifact) -> str:
    for copy in copies:
        if copy.location.scheme == "file" and copy.status == "verified":
            return copy.url.removeprefix("file://")
    return f"/mnt/restore/{artifact.relative_folder}/"


@require_POST
@organization_view(Membership.Role.EDITOR)
def artifact_verify(request: HttpRequest, organization: Organization, artifact_id: int) -> HttpResponse:
    from apps.archive.tasks import verify_copies

    artifact = selectors.artifact_for(organization=organization, artifact_id=artifact_id)
    copy_ids = [copy.pk for copy in artifact.copies.all() if copy.status != "writing"]
    transaction.on_commit(lambda: verify_copies.delay(copy_ids), robust=True)
    messages.success(request, f"Every copy of {artifact} is being re-hashed; refresh in a moment.")
    return redirect(artifact)


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.ADMIN)
def location_add(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = LocationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                location = services.location_create(organization=organization, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("url", error.messages)
            else:
                messages.success(request, f"{location.name} is ready for copies.")
                return redirect("archive:index", org_slug=organization.slug)
        status = 422
    return render(
        request, "archive/location_form.html", {"organization": organization, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.ADMIN)
def policy_edit(request: HttpRequest, organization: Organization) -> HttpResponse:
    current = RedundancyPolicy.objects.filter(organization=organization).first() or RedundancyPolicy(
        organization=organization
    )
    form = PolicyForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.policy_save(organization=organization, **form.cleaned_data)
            messages.success(request, "The redundancy policy is saved; coverage is recomputed.")
            return redirect("archive:index", org_slug=organization.slug)
        status = 422
    return render(
        request, "archive/policy_form.html", {"organization": organization, "form": form}, status=status
    )
