from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.common.forms import apply_validation_error
from apps.common.http import HtmxHttpRequest
from apps.inventory.selectors import workflow_for_organization
from apps.policies import evaluation, selectors, services
from apps.policies.forms import ModelApprovalForm, PolicyForm, RiskTreatmentForm
from apps.policies.models import OrganizationPolicy
from apps.policies.templates import TEMPLATES, TEMPLATES_BY_KEY

ADMIN, EDITOR = Membership.Role.ADMIN, Membership.Role.EDITOR


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Open and accepted violations, the organization's policies and the templates it can add."""
    policies = list(selectors.policy_list(organization=organization))
    present = {policy.key for policy in policies}
    context = {
        "organization": organization,
        "summary": selectors.violation_summary(organization=organization),
        "policies": policies,
        "templates": [template for template in TEMPLATES if template.key not in present],
    }
    return render(request, "policies/index.html", context)


def _policy_form_page(request: HtmxHttpRequest, organization: Organization, policy: OrganizationPolicy):
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_save(policy=form.save(commit=False), user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Policy “{policy.name}” saved; every workflow was re-evaluated.")
            return redirect("policies:index", org_slug=organization.slug)
    status = 422 if request.method == "POST" else 200
    context = {"organization": organization, "form": form, "policy": policy, "facts": evaluation.FACTS}
    return render(request, "policies/policy_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organization_view(ADMIN)
def policy_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    policy = OrganizationPolicy(organization=organization, conditions={})
    return _policy_form_page(request, organization, policy)


@require_http_methods(["GET", "POST"])
@organization_view(ADMIN)
def policy_edit(request: HtmxHttpRequest, organization: Organization, policy_id: int) -> HttpResponse:
    policy = selectors.policy_get(organization=organization, policy_id=policy_id)
    return _policy_form_page(request, organization, policy)


@require_POST
@organization_view(ADMIN)
def policy_add_template(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    key = request.POST.get("template", "")
    if key not in TEMPLATES_BY_KEY:
        raise Http404("No such template.")
    policy = services.policy_add_template(organization=organization, template_key=key, user=request.user)
    messages.success(request, f"Policy “{policy.name}” added; every workflow was re-evaluated.")
    return redirect("policies:index", org_slug=organization.slug)


@require_POST
@organization_view(ADMIN)
def policy_delete(request: HtmxHttpRequest, organization: Organization, policy_id: int) -> HttpResponse:
    policy = selectors.policy_get(organization=organization, policy_id=policy_id)
    services.policy_delete(policy=policy)
    messages.success(request, f"Policy “{policy.name}” deleted.")
    return redirect("policies:index", org_slug=organization.slug)


@require_http_methods(["GET", "POST"])
@organization_view()
def approvals(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Every model decision of the organization; admins record a new one."""
    is_admin = request.membership.is_admin
    if request.method == "POST" and not is_admin:
        raise PermissionDenied("Only an admin can approve or block a model.")
    form = ModelApprovalForm(request.POST or None, initial={"model": request.GET.get("model")})
    if request.method == "POST" and form.is_valid():
        try:
            approval = services.model_approval_set(
                organization=organization,
                model=form.cleaned_data["model"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, f"{approval.model.name} is now {approval.get_status_display().lower()}."
            )
            return redirect("policies:approvals", org_slug=organization.slug)
    context = {
        "organization": organization,
        "approvals": selectors.approval_list(organization=organization),
        "form": form if is_admin else None,
    }
    return render(request, "policies/approvals.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def treatment(request: HtmxHttpRequest, organization: Organization, workflow_id: int) -> HttpResponse:
    """How the workflow's risk is treated; only admins may accept it (with a reason and an expiry)."""
    workflow = workflow_for_organization(organization=organization, workflow_id=workflow_id)
    current = selectors.treatment_for_workflow(workflow=workflow)
    initial = {"treatment": current.treatment, "justification": current.justification} if current else {}
    form = RiskTreatmentForm(request.POST or None, initial=initial, can_accept=request.membership.is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.risk_treatment_set(
                workflow=workflow,
                treatment=form.cleaned_data["treatment"],
                justification=form.cleaned_data["justification"],
                user=request.user,
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Risk of “{workflow.name}”: {record.get_treatment_display().lower()}.")
            return redirect(workflow.get_absolute_url())
    context = {
        "organization": organization,
        "workflow": workflow,
        "current": current,
        "form": form,
        "violations": selectors.violations_for_workflow(workflow=workflow),
    }
    return render(request, "policies/treatment.html", context, status=422 if form.errors else 200)
