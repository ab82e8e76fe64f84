from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.common.forms import apply_validation_error
from apps.common.http import HtmxHttpRequest, partial
from apps.common.pagination import paginate
from apps.inventory import selectors, services
from apps.inventory.forms import (
    DEPENDENCY_PREFIX,
    DependencyForm,
    InventoryUploadForm,
    ToolForm,
    WorkflowForm,
    dependency_formset,
    dependency_initial,
)
from apps.inventory.importing import inventory_import
from apps.inventory.models import Dependency, RiskLevel, Vendor, Workflow
from apps.inventory.pending import PendingUploadExpired, decode_pending_upload, encode_pending_upload
from apps.inventory.spreadsheet import (
    SpreadsheetError,
    export_rows,
    parse_sheet,
    read_table,
    write_csv,
    write_xlsx,
)

EDITOR = Membership.Role.EDITOR
LIST_FILTERS = ("q", "client", "team", "vendor", "criticality", "difficulty", "band", "review", "sort")


def _list_filters(request: HtmxHttpRequest) -> dict[str, str]:
    """The inventory filters a request asks for; the list and its exports read them through this one place."""
    return {key: request.GET.get(key, "") for key in LIST_FILTERS}


def _export_query(filters: dict[str, str]) -> str:
    """The query string that exports exactly the rows on screen (every filter, no page)."""
    return urlencode({key: value for key, value in filters.items() if value})


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    filters = _list_filters(request)
    page = paginate(request, selectors.workflow_list_filtered(organization=organization, filters=filters))
    context = {
        "organization": organization,
        "page": page,
        "filters": filters,
        "export_query": _export_query(filters),
        "teams": selectors.workflow_teams(organization=organization),
        "clients": organization.clients.all() if organization.is_agency else [],
        "vendors": Vendor.objects.exclude(slug="unknown"),
        "risk_levels": RiskLevel.choices,
        "sorts": [
            ("exposure", "Exposure, highest first"),
            ("-exposure", "Exposure, lowest first"),
            ("name", "Name A–Z"),
            ("criticality", "Criticality"),
            ("cost", "Monthly cost"),
            ("updated", "Recently changed"),
        ],
        "review_count": selectors.dependencies_needing_review(organization=organization).count(),
    }
    template = partial("inventory/workflow_list.html", request, "results")
    context["swapping_results"] = template.endswith("#results")  # then the export links come out of band
    return render(request, template, context)


@require_GET
@organization_view()
def workflow_detail(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    workflow = selectors.workflow_for_organization(organization=organization, workflow_id=workflow_id)
    context = {
        "organization": organization,
        "workflow": workflow,
        "history": selectors.workflow_history(workflow=workflow),
        "vendor_risks": selectors.vendor_risks_for_organization(organization=organization),
    }
    return render(request, "inventory/workflow_detail.html", context)


def _workflow_form_page(request: HtmxHttpRequest, organization: Organization, workflow: Workflow | None):
    """Create and edit share one page: the workflow's fields and its dependency rows, saved together."""
    instance = workflow or Workflow(organization=organization)
    validate_url = reverse("inventory:workflow_validate_field", kwargs={"org_slug": organization.slug})
    if request.method == "POST":
        form = WorkflowForm(
            request.POST, instance=instance, organization=organization, validate_url=validate_url
        )
        formset = dependency_formset(organization=organization, data=request.POST)
        rows_changed = _apply_row_buttons_without_javascript(request, formset, organization)
        if not rows_changed and form.is_valid() and formset.is_valid():
            try:
                saved = services.workflow_save(
                    workflow=form.save(commit=False), dependencies=formset.specs(), user=request.user
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                verb = "updated" if workflow else "added"
                messages.success(
                    request,
                    f"“{saved.name}” {verb}: exposure {saved.exposure_score:g} ({saved.exposure_band}).",
                )
                return redirect(saved)
        status = 200 if rows_changed else 422
    else:
        form = WorkflowForm(instance=instance, organization=organization, validate_url=validate_url)
        initial = dependency_initial(workflow) if workflow else [{"role": Dependency.Role.PRIMARY}]
        formset = dependency_formset(organization=organization, initial=initial)
        status = 200
    context = {
        "organization": organization,
        "workflow": workflow,
        "form": form,
        "formset": formset,
        "switching_scale": Workflow.SWITCHING_SCALE,
    }
    return render(request, "inventory/workflow_form.html", context, status=status)


def _apply_row_buttons_without_javascript(request, formset, organization) -> bool:
    """Without htmx, "Add dependency" and "Remove" submit the form; re-render it with the rows changed."""
    add, remove = "add_row" in request.POST, request.POST.get("remove_row")
    if not add and remove is None:
        return False
    data = request.POST.copy()
    total = int(data.get(f"{DEPENDENCY_PREFIX}-TOTAL_FORMS", 0) or 0)
    if add:
        data[f"{DEPENDENCY_PREFIX}-TOTAL_FORMS"] = str(total + 1)
        data[f"{DEPENDENCY_PREFIX}-{total}-role"] = Dependency.Role.PRIMARY
    if remove is not None and remove.isdigit():
        data[f"{DEPENDENCY_PREFIX}-{remove}-DELETE"] = "on"
    formset.__init__(data, prefix=DEPENDENCY_PREFIX, form_kwargs={"organization": organization})
    return True


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def workflow_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    return _workflow_form_page(request, organization, None)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def workflow_edit(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    workflow = selectors.workflow_for_organization(organization=organization, workflow_id=workflow_id)
    return _workflow_form_page(request, organization, workflow)


@require_POST
@organization_view(EDITOR)
def workflow_delete(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    workflow = selectors.workflow_for_organization(organization=organization, workflow_id=workflow_id)
    services.workflow_delete(workflow=workflow)
    messages.success(request, f"“{workflow.name}” deleted.")
    return redirect("inventory:index", org_slug=organization.slug)


@require_POST
@organization_view(EDITOR)
def workflow_validate_field(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Inline validation: re-check the whole form, answer with the one field that changed."""
    workflow_id = request.POST.get("workflow_id")
    instance = (
        selectors.workflow_for_organization(organization=organization, workflow_id=int(workflow_id))
        if workflow_id and workflow_id.isdigit()
        else Workflow(organization=organization)
    )
    validate_url = reverse("inventory:workflow_validate_field", kwargs={"org_slug": organization.slug})
    form = WorkflowForm(request.POST, instance=instance, organization=organization, validate_url=validate_url)
    name = request.htmx.trigger_name or request.POST.get("_field", "")
    if name not in form.fields:
        raise Http404("No such field.")
    form.is_valid()
    return render(request, "inventory/workflow_form.html#field", {"field": form[name]})


@require_GET
@organization_view(EDITOR)
def dependency_row(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """A new, empty dependency row (plus out-of-band updates of the row count and the add button)."""
    index = _row_index(request)
    form = DependencyForm(
        prefix=f"{DEPENDENCY_PREFIX}-{index}",
        organization=organization,
        initial={"role": Dependency.Role.PRIMARY},
    )
    context = {
        "organization": organization,
        "dep_form": form,
        "index": index,
        "next_index": index + 1,
        "prefix": DEPENDENCY_PREFIX,
    }
    return render(request, "inventory/_dependency_row_added.html", context)


@require_GET
@organization_view(EDITOR)
def dependency_row_removed(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """A removed row: hidden, marked for deletion, so the formset keeps its numbering."""
    index = _row_index(request)
    return render(
        request,
        "inventory/workflow_form.html#removed_row",
        {"index": index, "prefix": DEPENDENCY_PREFIX, "declared_model": request.GET.get("model", "")},
    )


def _row_index(request) -> int:
    index = request.GET.get("index", "")
    if not index.isdigit() or int(index) > 200:
        raise Http404("Bad row index.")
    return int(index)


@require_GET
@organization_view()
def model_search(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Type-ahead: catalog models matching what was typed, as <option>s for the shared datalist."""
    query = next(
        (
            value
            for key, value in request.GET.items()
            if key in ("q", "model") or key.endswith("declared_model")
        ),
        "",
    )
    return render(
        request,
        "inventory/workflow_form.html#model_options",
        {"models": selectors.catalog_search(query=query)},
    )


@require_GET
@organization_view()
def model_match(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """What a typed model name resolves to in the catalog, shown under the dependency row."""
    identifier = next((value for key, value in request.GET.items() if key.endswith("declared_model")), "")
    model = selectors.model_for_identifier(identifier) if identifier.strip() else None
    return render(
        request,
        "inventory/workflow_form.html#model_match",
        {"identifier": identifier.strip(), "matched_model": model},
    )


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def inventory_import_view(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Upload → preview (every error, exact counts, nothing written) → commit (atomic)."""
    if request.method == "GET":
        return render(
            request, "inventory/import.html", {"organization": organization, "form": InventoryUploadForm()}
        )
    if "commit" in request.POST:
        try:
            filename, content = decode_pending_upload(request.POST.get("pending", ""))
        except PendingUploadExpired as error:
            raise Http404(str(error)) from error
    else:
        form = InventoryUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "inventory/import.html", {"organization": organization, "form": form}, status=422
            )
        upload = form.cleaned_data["file"]
        filename, content = upload.name, upload.read()
    try:
        sheet = parse_sheet(read_table(content, filename))
    except SpreadsheetError as error:
        context = {"organization": organization, "form": InventoryUploadForm(), "file_error": str(error)}
        return render(request, "inventory/import.html", context, status=422)
    commit = "commit" in request.POST
    summary = inventory_import(organization=organization, sheet=sheet, user=request.user, dry_run=not commit)
    if commit and not summary.errors:
        messages.success(
            request,
            f"Imported {filename}: {summary.workflows_created} workflows added, "
            f"{summary.workflows_updated} updated, {summary.dependencies_created} dependencies added.",
        )
        return redirect("inventory:index", org_slug=organization.slug)
    context = {
        "organization": organization,
        "summary": summary,
        "sheet": sheet,
        "filename": filename,
        "pending": encode_pending_upload(filename, content),
        "form": InventoryUploadForm(),
    }
    return render(request, "inventory/import.html", context, status=422 if summary.errors else 200)


@require_GET
@organization_view()
def inventory_export(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    filters = _list_filters(request)
    workflows = selectors.workflow_list_filtered(organization=organization, filters=filters)
    stamp = timezone.now().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            write_xlsx(export_rows(workflows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{organization.slug}-inventory-{stamp}.xlsx"'
        return response
    response = HttpResponse(write_csv(export_rows(workflows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-inventory-{stamp}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@organization_view()
def tool_list(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = ToolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.membership.can_edit:
            raise PermissionDenied("Adding a tool needs the editor role.")
        if form.is_valid():
            try:
                tool = services.tool_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    website=form.cleaned_data["website"],
                    notes=form.cleaned_data["notes"],
                    models=form.model_links(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Tool “{tool.name}” added.")
                return redirect("inventory:tool_list", org_slug=organization.slug)
        status = 422
    context = {
        "organization": organization,
        "tools": selectors.tools_for_organization(organization=organization),
        "form": form,
    }
    return render(request, "inventory/tool_list.html", context, status=status)


@require_GET
@organization_view()
def catalog(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    query = request.GET.get("q", "")
    models = selectors.catalog_search(query=query, limit=500) if query else selectors.catalog_models()
    context = {
        "organization": organization,
        "models": models,
        "query": query,
        "vendors": Vendor.objects.all(),
    }
    return render(request, partial("inventory/catalog.html", request, "models"), context)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def review_queue(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Dependencies whose model matched nothing in the catalog: map each to a catalog model."""
    if request.method == "POST":
        dependency = get_object_or_404(
            Dependency, pk=request.POST.get("dependency_id"), workflow__organization=organization
        )
        model = selectors.model_for_identifier(request.POST.get("model", ""))
        if model is None:
            messages.error(request, f"“{request.POST.get('model', '')}” is not in the catalog either.")
        else:
            services.dependency_link_model(dependency=dependency, model=model)
            messages.success(request, f"{dependency.declared_model} is now mapped to {model.name}.")
        return redirect("inventory:review_queue", org_slug=organization.slug)
    context = {
        "organization": organization,
        "dependencies": selectors.dependencies_needing_review(organization=organization),
    }
    return render(request, "inventory/review_queue.html", context)
