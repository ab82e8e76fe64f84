from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Client, Membership, Organization
from apps.budget import charts, selectors, services
from apps.budget.budget import Scenario, parse_scenario, totals_of
from apps.budget.forms import BudgetTargetForm, ScenarioForm
from apps.budget.moves import direction_for, plan_moves
from apps.common.forms import apply_validation_error
from apps.common.http import HtmxHttpRequest, partial
from apps.common.pagination import paginate
from apps.common.vendors import VENDOR_NAMES, VENDOR_SLUGS
from apps.exposure.history import monthly_snapshots

EDITOR, ADMIN = Membership.Role.EDITOR, Membership.Role.ADMIN
MISSING_COST_SHOWN = 50


def _client_from(request: HtmxHttpRequest, organization: Organization) -> Client | None:
    slug = request.GET.get("client") or request.POST.get("client")
    if organization.is_agency and slug:
        return selectors.client_for(organization=organization, slug=slug)
    return None


def _saved_scenario(saved) -> Scenario:
    return parse_scenario(saved.spec, vendors=VENDOR_SLUGS)


def _page_context(
    request: HtmxHttpRequest,
    organization: Organization,
    *,
    scenario_form: ScenarioForm | None = None,
    target_form: BudgetTargetForm | None = None,
) -> dict:
    client = _client_from(request, organization)
    band = selectors.budget_band(organization=organization)
    groups = selectors.spend_groups(organization=organization, client=client)
    totals = totals_of(groups.lines)
    compared = [
        (saved, selectors.scenario_view(lines=groups.lines, today=totals, scenario=_saved_scenario(saved)))
        for saved in selectors.saved_scenarios(organization=organization)
    ]
    if scenario_form is None:
        scenario_form = ScenarioForm(request.GET if "vendor" in request.GET else None)
    tried = None
    if scenario_form.is_bound and scenario_form.is_valid():
        tried = selectors.scenario_view(lines=groups.lines, today=totals, scenario=scenario_form.scenario())
    client_rows = []
    if organization.is_agency and client is None:
        names = {c.id: c for c in organization.clients.all()}
        client_rows = sorted(
            ((names.get(client_id), totals_of(lines)) for client_id, lines in groups.by_client.items()),
            key=lambda row: -row[1].total,
        )
    team_rows = sorted(
        ((team or "No team", totals_of(lines)) for team, lines in groups.by_team.items()),
        key=lambda row: -row[1].total,
    )
    direction = direction_for(totals, band)
    plan = None
    if direction:
        candidates, unlinked = selectors.move_candidates(
            organization=organization, direction=direction, client=client
        )
        plan = plan_moves(totals, band, candidates, unlinked=unlinked)
    page = paginate(request, selectors.workflows_by_spend(organization=organization, client=client))
    missing = selectors.workflows_missing_cost(organization=organization, client=client)
    snapshots = monthly_snapshots(organization=organization) if client is None else []
    target = selectors.budget_target(organization=organization)
    if target_form is None:
        target_form = BudgetTargetForm(
            initial={"open_min": round(target.open_min * 100), "open_max": round(target.open_max * 100)}
        )
    return {
        "organization": organization,
        "client": client,
        "clients": organization.clients.all() if organization.is_agency else [],
        "band": band,
        "totals": totals,
        "compared": compared,
        "scenario_form": scenario_form,
        "tried": tried,
        "client_rows": client_rows,
        "team_rows": team_rows,
        "plan": plan,
        "page": page,
        "rows": [(workflow, selectors.workflow_split(workflow)) for workflow in page],
        "missing": list(missing[:MISSING_COST_SHOWN]),
        "missing_count": missing.count(),
        "trend_chart": charts.monthly_spend_by_tier(snapshots) if snapshots else None,
        "target_form": target_form,
        "can_edit": request.membership.can_edit,
        "is_admin": request.membership.is_admin,
    }


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    """Spend by tier against the band, scenarios side by side, what to move, and the workflows by spend."""
    context = _page_context(request, organization)
    return render(request, partial("budget/index.html", request, "workflows"), context)


@require_POST
@organization_view(EDITOR)
def scenario_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            saved = services.scenario_save(
                organization=organization,
                name=form.name_or_label(),
                spec=form.scenario().spec,
                user=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Scenario “{saved.name}” saved.")
            return redirect(saved.get_absolute_url())
    context = _page_context(request, organization, scenario_form=form)
    return render(request, "budget/index.html", context, status=422)


@require_GET
@organization_view()
def scenario_detail(request: HtmxHttpRequest, organization: Organization, scenario_id: int) -> HttpResponse:
    saved = selectors.saved_scenario_for(organization=organization, scenario_id=scenario_id)
    client = _client_from(request, organization)
    scenario = _saved_scenario(saved)
    groups = selectors.spend_groups(organization=organization, client=client)
    today = totals_of(groups.lines)
    outcome = selectors.scenario_view(lines=groups.lines, today=today, scenario=scenario)
    deltas, moved_count = selectors.scenario_workflow_deltas(
        organization=organization, scenario=scenario, client=client
    )
    context = {
        "organization": organization,
        "client": client,
        "saved": saved,
        "scenario": scenario,
        "vendor_name": VENDOR_NAMES.get(scenario.vendor, scenario.vendor),
        "today": today,
        "outcome": outcome,
        "band": selectors.budget_band(organization=organization),
        "deltas": deltas,
        "moved_count": moved_count,
        "can_edit": request.membership.can_edit,
    }
    return render(request, "budget/scenario_detail.html", context)


@require_POST
@organization_view(EDITOR)
def scenario_delete(request: HtmxHttpRequest, organization: Organization, scenario_id: int) -> HttpResponse:
    saved = selectors.saved_scenario_for(organization=organization, scenario_id=scenario_id)
    services.scenario_delete(scenario=saved)
    messages.success(request, f"Scenario “{saved.name}” deleted.")
    return redirect(reverse("budget:index", kwargs={"org_slug": organization.slug}))


@require_POST
@organization_view(ADMIN)
def target_update(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = BudgetTargetForm(request.POST)
    if form.is_valid():
        open_min, open_max = form.shares()
        try:
            services.budget_target_set(
                organization=organization, open_min=open_min, open_max=open_max, user=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Target band set to {form.cleaned_data['open_min']}–{form.cleaned_data['open_max']} % open-weight.",
            )
            return redirect(reverse("budget:index", kwargs={"org_slug": organization.slug}))
    context = _page_context(request, organization, target_form=form)
    return render(request, "budget/index.html", context, status=422)
