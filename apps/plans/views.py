from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.common.forms import apply_validation_error
from apps.common.http import HtmxHttpRequest, partial
from apps.inventory.selectors import workflow_for_organization
from apps.plans import charts, selectors, services
from apps.plans.forms import (
    AliasForm,
    DeploymentFormSet,
    MappingForm,
    PlanCreateForm,
    RegistryImportForm,
    StepForm,
    WorkflowAliasForm,
)
from apps.plans.litellm_config import ConfigError, parse_config, render_config
from apps.plans.models import ENVIRONMENTS, MigrationPlan, RegistryAlias

EDITOR = Membership.Role.EDITOR


def _client_filter(request: HtmxHttpRequest, organization: Organization):
    slug = request.GET.get("client", "")
    if not (organization.is_agency and slug):
        return None
    return get_object_or_404(organization.clients, slug=slug)


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    client = _client_filter(request, organization)
    today = timezone.localdate()
    bars = selectors.plan_timeline(organization=organization, client=client, today=today)
    context = {
        "organization": organization,
        "client": client,
        "clients": organization.clients.all() if organization.is_agency else [],
        "migrate_first": selectors.plans_migrate_first(organization=organization, client=client, limit=25),
        "plans": selectors.plan_list(organization=organization, client=client),
        "timeline": charts.plan_steps_timeline(bars, today=today) if bars else None,
    }
    return render(request, partial("plans/index.html", request, "results"), context)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def plan_create(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    workflow = workflow_for_organization(organization=organization, workflow_id=workflow_id)
    existing = selectors.open_plan_for_workflow(workflow=workflow)
    if existing is not None:
        messages.info(request, f"{workflow.name} already has an open plan.")
        return redirect(existing.get_absolute_url())
    options = selectors.target_options(workflow=workflow)
    form = PlanCreateForm(request.POST or None, workflow=workflow, options=options)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    workflow=workflow,
                    target_identifier=data["target_identifier"],
                    target_model=data["target_model"],
                    evidence=data["evidence"],
                    languages_served=data["languages_served"],
                    start_date=data["start_date"],
                    notes=data["notes"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Plan created: {workflow.name} → {plan.target_name}.")
                return redirect(plan.get_absolute_url())
        status = 422
    context = {"organization": organization, "workflow": workflow, "form": form, "options": options}
    return render(request, "plans/plan_form.html", context, status=status)


def _plan_context(request: HtmxHttpRequest, organization: Organization, plan: MigrationPlan) -> dict:
    link = selectors.workflow_alias(workflow=plan.workflow)
    return {
        "organization": organization,
        "plan": plan,
        "workflow": plan.workflow,
        "link": link,
        "warnings": selectors.plan_warnings(plan=plan),
        "steps": [(step, StepForm.for_step(step)) for step in plan.steps.all()],
        "alias_form": WorkflowAliasForm(workflow=plan.workflow),
        "alias_changes": plan.alias_changes.select_related("alias", "changed_by"),
        "due": selectors.plan_due(plan),
        "today": timezone.localdate(),
        "shared_with": (
            [
                wl.workflow
                for wl in link.alias.workflow_links.select_related("workflow")
                if wl.workflow_id != plan.workflow_id
            ]
            if link
            else []
        ),
    }


@require_GET
@organization_view()
def plan_detail(request: HtmxHttpRequest, organization: Organization, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(organization=organization, plan_id=plan_id)
    return render(request, "plans/plan_detail.html", _plan_context(request, organization, plan))


@require_POST
@organization_view(EDITOR)
def step_update(request: HtmxHttpRequest, organization: Organization, step_id: int) -> HttpResponse:
    step = selectors.step_for(organization=organization, step_id=step_id)
    form = StepForm.for_step(step, request.POST)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.step_update(
                step=step, owner=data["owner"], due=data["due"], status=data["status"], user=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            status = 422
    else:
        status = 422
    step.refresh_from_db()
    if not request.htmx:
        if status == 422:
            messages.error(
                request,
                " ".join(form.errors.get("__all__", []) + form.errors.get("status", [])) or "Check the step.",
            )
        return redirect(step.plan.get_absolute_url())
    if status == 200:
        form = StepForm.for_step(step)
    context = {
        "organization": organization,
        "plan": step.plan,
        "step": step,
        "form": form,
        "today": timezone.localdate(),
    }
    response = render(request, "plans/plan_detail.html#step-row", context, status=status)
    response["HX-Trigger"] = "plan-changed"
    return response


@require_GET
@organization_view()
def plan_summary(request: HtmxHttpRequest, organization: Organization, plan_id: int) -> HttpResponse:
    """The plan's status and the workflow's exposure, refreshed after a step changes (htmx)."""
    plan = selectors.plan_for(organization=organization, plan_id=plan_id)
    return render(request, "plans/plan_detail.html#summary", _plan_context(request, organization, plan))


@require_POST
@organization_view(EDITOR)
def plan_status(request: HtmxHttpRequest, organization: Organization, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(organization=organization, plan_id=plan_id)
    try:
        services.plan_set_status(plan=plan, status=request.POST.get("status", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Plan {plan.get_status_display().lower()}.")
    return redirect(plan.get_absolute_url())


@require_POST
@organization_view(EDITOR)
def plan_cut_over(request: HtmxHttpRequest, organization: Organization, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(organization=organization, plan_id=plan_id)
    try:
        change = services.plan_cut_over(plan=plan, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Cut over: {change.alias.name} now points at {change.after['deployments'][0]['model']}."
        )
    return redirect(plan.get_absolute_url())


@require_POST
@organization_view(EDITOR)
def workflow_alias(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    workflow = workflow_for_organization(organization=organization, workflow_id=workflow_id)
    form = WorkflowAliasForm(request.POST, workflow=workflow)
    if form.is_valid():
        try:
            alias = services.workflow_put_behind_alias(
                workflow=workflow,
                alias=form.cleaned_data["alias"],
                new_alias_name=form.cleaned_data["new_alias_name"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{workflow.name} now calls the alias {alias.name}.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    plan = selectors.open_plan_for_workflow(workflow=workflow)
    return redirect(plan.get_absolute_url() if plan else workflow.get_absolute_url())


# -- the registry ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organization_view()
def registry(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = AliasForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.membership.can_edit:
            return HttpResponse("Adding an alias needs the editor role.", status=403)
        if form.is_valid():
            try:
                alias = services.alias_create(organization=organization, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Alias {alias.name} created: map it to a model.")
                return redirect(alias.get_absolute_url())
        status = 422
    rows = [
        {
            "alias": alias,
            "mappings": [
                (
                    [d for d in alias.deployments.all() if d.environment == environment],
                    [f.fallback for f in alias.fallbacks.all() if f.environment == environment],
                )
                for environment in ENVIRONMENTS
            ],
        }
        for alias in selectors.alias_list(organization=organization)
    ]
    context = {
        "organization": organization,
        "rows": rows,
        "form": form,
        "import_form": RegistryImportForm(),
        "environments": ENVIRONMENTS,
    }
    return render(request, partial("plans/registry.html", request, "add-alias"), context, status=status)


def _mapping_forms(alias: RegistryAlias, environment: str, data=None):
    mapping = services.alias_mapping(alias=alias, environment=environment)
    initial = [
        {key: deployment[key] for key in ("model", "api_base", "api_version", "api_key_env", "rpm", "tpm")}
        for deployment in mapping["deployments"]
    ]
    formset = DeploymentFormSet(data, initial=initial, prefix=f"deployments-{environment}")
    form = MappingForm(
        data,
        alias=alias,
        initial={"environment": environment, "fallbacks": ", ".join(mapping["fallbacks"])},
        prefix=f"mapping-{environment}",
    )
    return mapping, form, formset


@require_http_methods(["GET", "POST"])
@organization_view()
def alias_detail(request: HtmxHttpRequest, organization: Organization, alias_id: int) -> HttpResponse:
    if request.method == "POST" and not request.membership.can_edit:
        return HttpResponse("Changing a mapping needs the editor role.", status=403)
    alias = selectors.alias_for(organization=organization, alias_id=alias_id)
    environments = selectors.alias_environments(alias=alias)
    editing = request.POST.get("environment") if request.method == "POST" else None
    status = 200
    panels = []
    for environment in environments:
        data = request.POST if editing == environment else None
        mapping, form, formset = _mapping_forms(alias, environment, data)
        if data is not None:
            if form.is_valid() and formset.is_valid():
                previous = mapping["deployments"]
                specs = []
                for index, row in enumerate(
                    row for row in formset.cleaned_data if row and not row.get("DELETE")
                ):
                    kept = (
                        previous[index]
                        if index < len(previous) and previous[index]["model"] == row["model"]
                        else {}
                    )
                    specs.append(
                        services.DeploymentSpec(
                            model=row["model"].strip(),
                            api_base=row["api_base"].strip(),
                            api_version=row["api_version"].strip(),
                            api_key_env=row["api_key_env"].strip(),
                            rpm=row["rpm"],
                            tpm=row["tpm"],
                            extra_params=kept.get("extra_params", {}),
                            model_info=kept.get("model_info", {}),
                        )
                    )
                try:
                    change = services.alias_set_mapping(
                        alias=alias,
                        environment=environment,
                        deployments=specs,
                        fallbacks=form.cleaned_data["fallbacks"],
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(
                        request,
                        f"{alias.name} ({environment}) updated."
                        if change
                        else "Nothing changed in the mapping.",
                    )
                    return redirect(alias.get_absolute_url())
            status = 422
        panels.append({"environment": environment, "mapping": mapping, "form": form, "formset": formset})
    if request.method == "POST" and editing not in environments:
        messages.error(request, "Choose the environment whose mapping you change.")
        status = 422
    context = {
        "organization": organization,
        "alias": alias,
        "panels": panels,
        "deployments": {
            env: [d for d in alias.deployments.all() if d.environment == env] for env in environments
        },
        "changes": selectors.alias_changes(alias=alias),
        "workflows": [link.workflow for link in alias.workflow_links.all()],
    }
    return render(request, "plans/alias_detail.html", context, status=status)


@require_GET
@organization_view()
def registry_export(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    environment = request.GET.get("environment", "production")
    if environment not in ENVIRONMENTS:
        environment = "production"
    deployments, fallbacks = selectors.registry_config(organization=organization, environment=environment)
    response = HttpResponse(
        render_config(deployments, fallbacks), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="litellm-{organization.slug}-{environment}.yaml"'
    return response


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def registry_import(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    errors: list[dict] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                config = parse_config(
                    form.cleaned_data["file"],
                    known_aliases=set(organization.registry_aliases.values_list("name", flat=True)),
                )
                result = services.registry_import(
                    organization=organization,
                    config=config,
                    environment=form.cleaned_data["environment"],
                    user=request.user,
                    reason=form.cleaned_data["reason"] or f"Uploaded {request.FILES['file'].name}",
                )
            except ConfigError as error:
                errors = error.errors
            else:
                unmatched = (
                    f"; not in the catalog (kept, flagged): {', '.join(result.unmatched_models)}"
                    if result.unmatched_models
                    else ""
                )
                messages.success(
                    request,
                    f"Imported: {result.aliases_created} aliases created, {result.aliases_updated} updated, "
                    f"{result.deployments} deployments{unmatched}.",
                )
                return redirect("plans:registry", org_slug=organization.slug)
        status = 422
    context = {"organization": organization, "form": form, "errors": errors}
    return render(request, "plans/registry_import.html", context, status=status)
