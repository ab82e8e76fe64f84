"""Reads of the benchmarks app. Every selector takes the organization (or an object already scoped by it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organization
from apps.benchmarks.models import Candidate, Case, Endpoint, Result, Run, Suite
from apps.benchmarks.ranking import (
    DEFAULT_THRESHOLDS,
    ModelStanding,
    Ranking,
    Thresholds,
    must_stay_local,
    rank_alternatives,
    thresholds_for_workflow,
)
from apps.benchmarks.records import AssertionOutcome, BenchResult
from apps.benchmarks.summary import ModelSummary, summarize_results
from apps.inventory.models import AIModel, Dependency, Workflow

# -- lists and lookups --------------------------------------------------------------------------


def endpoint_list(*, organization: Organization) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organization=organization).annotate(candidate_count=Count("candidates"))


def endpoint_for(*, organization: Organization, endpoint_id: int) -> Endpoint:
    return get_object_or_404(Endpoint, organization=organization, pk=endpoint_id)


def candidate_list(*, organization: Organization) -> QuerySet[Candidate]:
    return Candidate.objects.filter(organization=organization).select_related("endpoint", "model__vendor")


def candidate_for(*, organization: Organization, candidate_id: int) -> Candidate:
    return get_object_or_404(Candidate, organization=organization, pk=candidate_id)


def suite_list(*, organization: Organization) -> QuerySet[Suite]:
    return (
        Suite.objects.filter(organization=organization)
        .annotate(case_count=Count("cases", distinct=True), run_count=Count("runs", distinct=True))
        .prefetch_related("workflows")
    )


def suite_for(*, organization: Organization, suite_id: int) -> Suite:
    return get_object_or_404(
        Suite.objects.prefetch_related("workflows"), organization=organization, pk=suite_id
    )


def case_for(*, suite: Suite, case_id: int) -> Case:
    return get_object_or_404(Case, suite=suite, pk=case_id)


def run_list(*, organization: Organization, suite: Suite | None = None) -> QuerySet[Run]:
    runs = Run.objects.filter(organization=organization).select_related("suite")
    if suite is not None:
        runs = runs.filter(suite=suite)
    return runs.annotate(model_count=Count("results__model_identifier", distinct=True)).order_by(
        "-created_at", "-id"
    )


def run_for(*, organization: Organization, run_id: int) -> Run:
    return get_object_or_404(
        Run.objects.select_related("suite", "import_job"), organization=organization, pk=run_id
    )


def run_done_keys(*, run: Run) -> set[tuple[str, str]]:
    return set(run.results.values_list("case_key", "model_identifier"))


# -- a run's results as plain records -----------------------------------------------------------


def result_record(result: Result) -> BenchResult:
    return BenchResult(
        model=result.model_identifier,
        case_key=result.case_key,
        provider=result.provider or None,
        vendor=result.vendor,
        family=result.family or None,
        case_label=result.case_label or None,
        prompt=result.prompt or None,
        output=result.output or None,
        passed=result.passed,
        score=result.score,
        latency_ms=result.latency_ms,
        ttft_ms=result.ttft_ms,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        tokens_per_s=result.tokens_per_s,
        cost_usd=result.cost_usd,
        error=result.error or None,
        reason=result.reason or None,
        assertions=[AssertionOutcome(**outcome) for outcome in result.assertion_details],
    )


def run_results(*, run: Run) -> list[BenchResult]:
    """The stored results in the order they were stored (the summary lists models in that order)."""
    return [result_record(result) for result in run.results.order_by("id")]


def run_summaries(*, run: Run) -> list[ModelSummary]:
    return summarize_results(run_results(run=run))


# -- the comparison page ------------------------------------------------------------------------


def cost_per_1k(results: Iterable[BenchResult]) -> float | None:
    """Mean cost of the results that carry one × 1,000; None (unknown) when none does."""
    costs = [Decimal(repr(result.cost_usd)) for result in results if result.cost_usd is not None]
    if not costs:
        return None
    return float(sum(costs, Decimal(0)) / len(costs) * 1000)


@dataclass
class ModelColumn:
    summary: ModelSummary
    standing: ModelStanding
    catalog_model: AIModel | None
    latencies: list[float]
    cost_per_1k: float | None


@dataclass
class MatrixRow:
    case_key: str
    label: str
    cells: list[Result | None]


@dataclass
class Comparison:
    columns: list[ModelColumn] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def standings(self) -> list[ModelStanding]:
        return [column.standing for column in self.columns]


def run_comparison(*, run: Run) -> Comparison:
    results = list(run.results.select_related("catalog_model__vendor").order_by("id"))
    records = [result_record(result) for result in results]
    summaries = summarize_results(records)
    catalog = {result.model_identifier: result.catalog_model for result in results if result.catalog_model}
    by_model: dict[str, list[BenchResult]] = {}
    for record in records:
        by_model.setdefault(record.model, []).append(record)

    columns = []
    for summary in summaries:
        model = catalog.get(summary.model)
        model_records = by_model[summary.model]
        price = cost_per_1k(model_records)
        columns.append(
            ModelColumn(
                summary=summary,
                catalog_model=model,
                latencies=[record.latency_ms for record in model_records if record.latency_ms is not None],
                cost_per_1k=price,
                standing=ModelStanding(
                    identifier=summary.model,
                    name=model.name if model else summary.model,
                    catalog_model_id=model.pk if model else None,
                    pass_rate=summary.pass_rate,
                    mean_score=summary.mean_score,
                    latency_p95_ms=summary.latency_ms_p95,
                    cost_per_1k=price,
                    self_hostable=model.self_hostable if model else None,
                    open_weights=model.open_weights if model else None,
                    license=model.license if model else None,
                ),
            )
        )

    cells: dict[str, dict[str, Result]] = {}
    labels: dict[str, str] = {}
    for result in results:
        cells.setdefault(result.case_key, {})[result.model_identifier] = result
        labels.setdefault(result.case_key, result.case_label or result.case_key)
    model_order = [summary.model for summary in summaries]
    rows = [
        MatrixRow(case_key=key, label=labels[key], cells=[by_case.get(model) for model in model_order])
        for key, by_case in cells.items()
    ]
    return Comparison(columns=columns, rows=rows)


# -- best alternatives for linked workflows -----------------------------------------------------


@dataclass
class WorkflowAlternative:
    workflow: Workflow
    current_names: list[str]
    ranking: Ranking
    must_stay_local: bool = False


def _current_models(workflow: Workflow) -> tuple[set[int], set[str], list[str]]:
    """The workflow's primary models: catalog ids, every name they go by, and display names."""
    dependencies = [d for d in workflow.dependencies.all() if d.role == Dependency.Role.PRIMARY]
    ids = {d.model_id for d in dependencies if d.model_id}
    names = {d.declared_model for d in dependencies if d.declared_model}
    names |= {d.model.name for d in dependencies if d.model_id}
    display = sorted({d.model.name if d.model_id else d.declared_model for d in dependencies})
    return ids, names, display


def _workflows_with_dependencies(workflows: QuerySet[Workflow]) -> QuerySet[Workflow]:
    return workflows.prefetch_related(
        Prefetch("dependencies", queryset=Dependency.objects.select_related("model"))
    ).order_by("name")


def workflow_alternatives(
    *, run: Run, comparison: Comparison, thresholds: Thresholds
) -> list[WorkflowAlternative]:
    if run.suite_id is None:
        return []
    alternatives = []
    for workflow in _workflows_with_dependencies(run.suite.workflows.all()):
        ids, names, display = _current_models(workflow)
        ranking = rank_alternatives(
            comparison.standings,
            current_ids=ids,
            current_names=names,
            thresholds=thresholds_for_workflow(
                thresholds, data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment
            ),
        )
        alternatives.append(
            WorkflowAlternative(
                workflow=workflow,
                current_names=display,
                ranking=ranking,
                must_stay_local=must_stay_local(
                    data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment
                ),
            )
        )
    return alternatives


def latest_runs_by_suite(*, suite_ids: Iterable[int]) -> dict[int, Run]:
    """The most recent finished run with results of each suite."""
    latest: dict[int, Run] = {}
    runs = (
        Run.objects.filter(suite_id__in=list(suite_ids), status=Run.Status.SUCCEEDED, results__isnull=False)
        .distinct()
        .order_by("suite_id", "-finished_at", "-id")
    )
    for run in runs:
        latest.setdefault(run.suite_id, run)
    return latest


def benchmarked_alternatives(workflow_ids: Iterable[int]) -> dict[int, str]:
    """Exposure factor provider: {workflow id: the best alternative's model name}.

    For each workflow linked to a suite, the latest finished run of each of its suites is ranked
    with DEFAULT_THRESHOLDS (apps/benchmarks/ranking.py; self-hostable only when the workflow's data
    must stay local); the best eligible model other than the workflow's primary models is named. Workflows without one are left out.
    """
    workflows = list(
        _workflows_with_dependencies(
            Workflow.objects.filter(pk__in=list(workflow_ids), bench_suites__isnull=False).distinct()
        ).prefetch_related("bench_suites")
    )
    if not workflows:
        return {}
    suite_ids = {suite.pk for workflow in workflows for suite in workflow.bench_suites.all()}
    latest = latest_runs_by_suite(suite_ids=suite_ids)
    comparisons = {suite_id: run_comparison(run=run) for suite_id, run in latest.items()}
    found: dict[int, str] = {}
    for workflow in workflows:
        ids, names, _display = _current_models(workflow)
        best = []
        for suite in workflow.bench_suites.all():
            comparison = comparisons.get(suite.pk)
            if comparison is None:
                continue
            ranking = rank_alternatives(
                comparison.standings,
                current_ids=ids,
                current_names=names,
                thresholds=thresholds_for_workflow(
                    DEFAULT_THRESHOLDS,
                    data_sensitivity=workflow.data_sensitivity,
                    deployment=workflow.deployment,
                ),
            )
            if ranking.best is not None:
                best.append(ranking.best)
        if best:
            top = rank_alternatives(best, thresholds=Thresholds(min_pass_rate=None)).best
            found[workflow.pk] = top.name
    return found


def imported_run_link(job) -> tuple[str, str] | None:
    """Where a `bench` job's result lives (for the job page)."""
    run = Run.objects.select_related("organization").filter(import_job=job).first()
    return ("Open the comparison", run.get_absolute_url()) if run else None
