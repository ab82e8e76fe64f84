"""Pages of the benchmarks section: suites and cases, endpoints and candidates, runs and comparisons.

Viewers read everything; editors change suites, endpoints and start runs. Every object is looked up
through a selector scoped by the organization, so another tenant's object is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.benchmarks import charts, selectors, services
from apps.benchmarks.forms import (
    AssertionFormSet,
    CandidateForm,
    CaseForm,
    EndpointForm,
    RunStartForm,
    RunSuiteForm,
    SuiteForm,
    SuiteImportForm,
    ThresholdsForm,
    assertion_initial,
)
from apps.benchmarks.models import Case, Endpoint, Suite
from apps.benchmarks.promptfoo_yaml import SuiteFormatError
from apps.common.http import HtmxHttpRequest
from apps.common.pagination import paginate

EDITOR = Membership.Role.EDITOR
INVALID = 422


# -- index --------------------------------------------------------------------------------------


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    context = {
        "organization": organization,
        "suites": selectors.suite_list(organization=organization),
        "runs": selectors.run_list(organization=organization)[:15],
        "endpoints": selectors.endpoint_list(organization=organization),
        "candidates": selectors.candidate_list(organization=organization),
        "candidate_form": CandidateForm(organization=organization),
    }
    return render(request, "benchmarks/index.html", context)


# -- endpoints and candidates -------------------------------------------------------------------


def _endpoint_form_page(request, organization, form, endpoint=None, status=200) -> HttpResponse:
    context = {"organization": organization, "form": form, "endpoint": endpoint}
    return render(request, "benchmarks/endpoint_form.html", context, status=status)


def _save_endpoint(request, organization: Organization, endpoint: Endpoint) -> HttpResponse:
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.endpoint_save(
                    endpoint=form.save(commit=False),
                    api_key=form.cleaned_data["api_key"] or None,
                    clear_key=form.cleaned_data["clear_key"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Endpoint “{endpoint.name}” saved.")
                return redirect("benchmarks:index", organization.slug)
        return _endpoint_form_page(request, organization, form, endpoint if endpoint.pk else None, INVALID)
    return _endpoint_form_page(request, organization, form, endpoint if endpoint.pk else None)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def endpoint_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    return _save_endpoint(request, organization, Endpoint(organization=organization))


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def endpoint_edit(request: HtmxHttpRequest, organization: Organization, endpoint_id: int) -> HttpResponse:
    return _save_endpoint(
        request, organization, selectors.endpoint_for(organization=organization, endpoint_id=endpoint_id)
    )


@require_POST
@organization_view(EDITOR)
def endpoint_delete(request: HtmxHttpRequest, organization: Organization, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.endpoint_for(organization=organization, endpoint_id=endpoint_id)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, f"Endpoint “{endpoint.name}” and its models removed.")
    return redirect("benchmarks:index", organization.slug)


@require_POST
@organization_view(EDITOR)
def candidate_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = CandidateForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            candidate = services.candidate_create(
                organization=organization,
                endpoint=form.cleaned_data["endpoint"],
                identifier=form.cleaned_data["identifier"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{candidate} added.")
            return redirect("benchmarks:index", organization.slug)
    context = {
        "organization": organization,
        "suites": selectors.suite_list(organization=organization),
        "runs": selectors.run_list(organization=organization)[:15],
        "endpoints": selectors.endpoint_list(organization=organization),
        "candidates": selectors.candidate_list(organization=organization),
        "candidate_form": form,
    }
    return render(request, "benchmarks/index.html", context, status=INVALID)


@require_POST
@organization_view(EDITOR)
def candidate_delete(request: HtmxHttpRequest, organization: Organization, candidate_id: int) -> HttpResponse:
    candidate = selectors.candidate_for(organization=organization, candidate_id=candidate_id)
    services.candidate_delete(candidate=candidate)
    messages.success(request, f"{candidate.identifier} removed.")
    return redirect("benchmarks:index", organization.slug)


# -- suites -------------------------------------------------------------------------------------


def _suite_form_page(request, organization, form, suite=None, status=200) -> HttpResponse:
    context = {"organization": organization, "form": form, "suite": suite}
    return render(request, "benchmarks/suite_form.html", context, status=status)


def _save_suite(request, organization: Organization, suite: Suite) -> HttpResponse:
    form = SuiteForm(request.POST or None, instance=suite, organization=organization)
    if request.method == "POST":
        if form.is_valid():
            workflow_ids = [workflow.pk for workflow in form.cleaned_data["workflows"]]
            suite = services.suite_save(suite=form.save(commit=False), workflow_ids=workflow_ids)
            return redirect(suite.get_absolute_url())
        return _suite_form_page(request, organization, form, suite if suite.pk else None, INVALID)
    return _suite_form_page(request, organization, form, suite if suite.pk else None)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def suite_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    return _save_suite(request, organization, Suite(organization=organization))


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def suite_edit(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    return _save_suite(
        request, organization, selectors.suite_for(organization=organization, suite_id=suite_id)
    )


@require_POST
@organization_view(EDITOR)
def suite_delete(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    services.suite_delete(suite=suite)
    messages.success(request, f"Suite “{suite.name}” deleted; its runs are kept.")
    return redirect("benchmarks:index", organization.slug)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def suite_import(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = SuiteImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                suite = services.suite_import_yaml(
                    organization=organization, name=form.cleaned_data["name"], text=form.cleaned_data["yaml"]
                )
            except (SuiteFormatError, ValidationError) as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, f"Imported {suite.cases.count()} cases.")
                return redirect(suite.get_absolute_url())
        status = INVALID
    else:
        status = 200
    return render(
        request, "benchmarks/suite_import.html", {"organization": organization, "form": form}, status=status
    )


@require_GET
@organization_view()
def suite_export(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    response = HttpResponse(
        services.suite_export_yaml(suite=suite), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="promptfooconfig-{suite.pk}.yaml"'
    return response


def _suite_page(request, organization, suite, run_form, status=200) -> HttpResponse:
    context = {
        "organization": organization,
        "suite": suite,
        "cases": suite.cases.all(),
        "page": paginate(request, selectors.run_list(organization=organization, suite=suite)),
        "run_form": run_form,
    }
    return render(request, "benchmarks/suite_detail.html", context, status=status)


@require_GET
@organization_view()
def suite_detail(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    return _suite_page(request, organization, suite, RunStartForm(organization=organization))


# -- cases --------------------------------------------------------------------------------------


def _save_case(request, organization: Organization, suite: Suite, case: Case) -> HttpResponse:
    form = CaseForm(request.POST or None, instance=case)
    formset = AssertionFormSet(
        request.POST or None,
        prefix="assertions",
        initial=None if request.POST else assertion_initial(case.assertions),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        case = form.save(commit=False)
        case.assertions = formset.assertions()
        try:
            services.case_save(case=case)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(suite.get_absolute_url())
    status = INVALID if request.method == "POST" else 200
    context = {
        "organization": organization,
        "suite": suite,
        "case": case if case.pk else None,
        "form": form,
        "formset": formset,
    }
    return render(request, "benchmarks/case_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def case_create(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    return _save_case(request, organization, suite, Case(suite=suite))


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def case_edit(
    request: HtmxHttpRequest, organization: Organization, suite_id: int, case_id: int
) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    return _save_case(request, organization, suite, selectors.case_for(suite=suite, case_id=case_id))


@require_POST
@organization_view(EDITOR)
def case_delete(
    request: HtmxHttpRequest, organization: Organization, suite_id: int, case_id: int
) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    services.case_delete(case=selectors.case_for(suite=suite, case_id=case_id))
    return redirect(suite.get_absolute_url())


# -- runs ---------------------------------------------------------------------------------------


@require_POST
@organization_view(EDITOR)
def run_start(request: HtmxHttpRequest, organization: Organization, suite_id: int) -> HttpResponse:
    suite = selectors.suite_for(organization=organization, suite_id=suite_id)
    form = RunStartForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            run = services.run_start(
                suite=suite,
                candidates=list(form.cleaned_data["candidates"]),
                settings=form.run_settings(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(run.get_absolute_url())
    return _suite_page(request, organization, suite, form, status=INVALID)


@require_POST
@organization_view(EDITOR)
def run_stop(request: HtmxHttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    run = selectors.run_for(organization=organization, run_id=run_id)
    try:
        services.run_stop(run=run, user=request.user)
        messages.success(request, "Run stopped: its answers so far are kept, and Resume sends the rest.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(run.get_absolute_url())


@require_POST
@organization_view(EDITOR)
def run_resume(request: HtmxHttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    run = selectors.run_for(organization=organization, run_id=run_id)
    try:
        services.run_resume(run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(run.get_absolute_url())


@require_POST
@organization_view(EDITOR)
def run_attach_suite(request: HtmxHttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    run = selectors.run_for(organization=organization, run_id=run_id)
    form = RunSuiteForm(request.POST, organization=organization)
    if form.is_valid():
        services.run_attach_suite(run=run, suite=form.cleaned_data["suite"])
    return redirect(run.get_absolute_url())


THRESHOLD_KEYS = ("min_pass_rate", "max_latency", "max_cost", "self_hostable")


@require_GET
@organization_view()
def run_detail(request: HtmxHttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    run = selectors.run_for(organization=organization, run_id=run_id)
    thresholds_form = ThresholdsForm(
        request.GET if any(key in request.GET for key in THRESHOLD_KEYS) else None
    )
    thresholds = thresholds_form.thresholds()
    comparison = selectors.run_comparison(run=run)
    points, unpriced = charts.quality_cost_points(comparison.columns)
    context = {
        "organization": organization,
        "run": run,
        "comparison": comparison,
        "thresholds_form": thresholds_form,
        "alternatives": selectors.workflow_alternatives(
            run=run, comparison=comparison, thresholds=thresholds
        ),
        "quality_chart": charts.quality_vs_cost_chart(points) if points else None,
        "unpriced": unpriced,
        "latency_chart": (
            charts.latency_box_chart({c.standing.name: c.latencies for c in comparison.columns})
            if any(c.latencies for c in comparison.columns)
            else None
        ),
        "suite_form": RunSuiteForm(organization=organization, initial={"suite": run.suite_id}),
    }
    return render(request, "benchmarks/run_detail.html", context)


@require_GET
@organization_view()
def run_progress(request: HtmxHttpRequest, organization: Organization, run_id: int) -> HttpResponse:
    """The progress fragment, polled while the run is going; once it has ended the page reloads."""
    run = selectors.run_for(organization=organization, run_id=run_id)
    response = render(
        request, "benchmarks/run_detail.html#progress", {"organization": organization, "run": run}
    )
    if run.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response
