"""Writes of the benchmarks app: endpoints, suites and cases, imported runs, runs made in the app.

A run made in the app lives like this: ``run_start`` stores it (queued) with its candidates and
settings and queues ``benchmark_run_execute`` on commit; the task calls ``run_execute``, which
claims the run with a conditional UPDATE (exactly one row must change), sends every (case, model)
pair the run does not have yet through ``apps.benchmarks.runner.run_benchmark`` and stores each
result as it arrives, in its own short transaction. An interrupted run therefore keeps what it
got; ``run_resume`` queues it again and only the missing pairs are sent. A worker that died
mid-run leaves the run ``running`` with a stale heartbeat: a redelivered task may claim it again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.accounts.models import Organization
from apps.benchmarks import runner
from apps.benchmarks.assertions import Assertion
from apps.benchmarks.exposure_factors import BENCHMARKED_ALTERNATIVE
from apps.benchmarks.models import Candidate, Case, Endpoint, Result, Run, Suite
from apps.benchmarks.promptfoo_yaml import (
    Suite as YamlSuite,
)
from apps.benchmarks.promptfoo_yaml import (
    SuitePrompt,
    SuiteTest,
    render_template,
    split_chat_prompt,
    suite_from_yaml,
    suite_to_yaml,
)
from apps.benchmarks.records import BenchResult, BenchRun
from apps.benchmarks.records import Case as CaseRecord
from apps.benchmarks.secrets import EndpointKeyRefused, key_host, resolve_api_key
from apps.common.outbound import async_client
from apps.common.prices import load_price_map
from apps.common.secrets import encrypt_secret
from apps.exposure.services import exposure_factor_moved
from apps.inventory.selectors import catalog_alias_index, model_for_identifier

logger = logging.getLogger(__name__)

# A running run whose heartbeat is older than this lost its worker: a new delivery may take it over.
STALE_RUN_AFTER = timedelta(minutes=5)
RUNNER_SETTING_NAMES = {f.name for f in dataclasses.fields(runner.RunnerSettings)}


# -- endpoints and candidates -------------------------------------------------------------------


@transaction.atomic
def endpoint_save(*, endpoint: Endpoint, api_key: str | None = None, clear_key: bool = False) -> Endpoint:
    """Create or update an endpoint. ``api_key`` None keeps the stored key; a value replaces it.

    A stored key stays bound to the host it was entered for: when the base URL moves to another
    host without a new key, the old key is removed (the form asks for the key again first).
    """
    if clear_key or endpoint.api_key_env:
        endpoint.api_key_encrypted = endpoint.api_key_host = ""
    if api_key:
        endpoint.api_key_encrypted = encrypt_secret(api_key)
        endpoint.api_key_host = key_host(endpoint.base_url)
        endpoint.api_key_env = ""
    elif endpoint.api_key_encrypted and endpoint.api_key_host != key_host(endpoint.base_url):
        endpoint.api_key_encrypted = endpoint.api_key_host = ""
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


def endpoint_runner(endpoint: Endpoint) -> runner.Endpoint:
    """The endpoint as the runner takes it; raises EndpointKeyRefused for a key it may not send."""
    api_key = resolve_api_key(
        organization_slug=endpoint.organization.slug,
        base_url=endpoint.base_url,
        encrypted=endpoint.api_key_encrypted,
        key_host_bound=endpoint.api_key_host,
        env_name=endpoint.api_key_env,
    )
    return runner.Endpoint(base_url=endpoint.base_url, api_key=api_key, kind=endpoint.kind)


@transaction.atomic
def candidate_create(*, organization: Organization, endpoint: Endpoint, identifier: str) -> Candidate:
    candidate = Candidate(
        organization=organization,
        endpoint=endpoint,
        identifier=identifier.strip(),
        model=model_for_identifier(identifier.strip()),
    )
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_delete(*, candidate: Candidate) -> None:
    candidate.delete()


# -- suites and cases ---------------------------------------------------------------------------


@transaction.atomic
def suite_save(*, suite: Suite, workflow_ids: Sequence[int] | None = None) -> Suite:
    suite.full_clean()
    suite.save()
    if workflow_ids is not None:
        unlinked = set(suite.workflows.values_list("pk", flat=True))
        suite.workflows.set(suite.organization.workflows.filter(pk__in=list(workflow_ids)))
        exposure_factor_moved(
            factor_key=BENCHMARKED_ALTERNATIVE,
            workflow_ids=unlinked | set(suite.workflows.values_list("pk", flat=True)),
        )
    return suite


@transaction.atomic
def suite_delete(*, suite: Suite) -> None:
    workflow_ids = list(suite.workflows.values_list("pk", flat=True))
    suite.delete()
    exposure_factor_moved(factor_key=BENCHMARKED_ALTERNATIVE, workflow_ids=workflow_ids)


@transaction.atomic
def case_save(*, case: Case) -> Case:
    if case.pk is None and not case.position:
        case.position = case.suite.cases.count() + 1
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_delete(*, case: Case) -> None:
    case.delete()


def case_record(case: Case) -> CaseRecord:
    """A stored case as the runner's Case: variables rendered into the prompt and the system prompt."""
    system = render_template(case.system_prompt, case.vars) if case.system_prompt else None
    return CaseRecord(
        key=case.key,
        prompt=render_template(case.prompt, case.vars),
        system=system or None,
        reference=case.reference_answer or None,
        assertions=tuple(assertion_from_dict(item) for item in case.assertions),
        vars=dict(case.vars),
        label=case.description or None,
    )


def assertion_from_dict(item: dict[str, Any]) -> Assertion:
    threshold = item.get("threshold")
    return Assertion(
        type=str(item["type"]),
        value=item.get("value"),
        threshold=float(threshold) if threshold is not None else None,
        weight=float(item.get("weight", 1.0) or 1.0),
        options={
            key: value for key, value in item.items() if key not in ("type", "value", "threshold", "weight")
        },
    )


def assertion_to_dict(assertion: Assertion) -> dict[str, Any]:
    item: dict[str, Any] = {"type": assertion.type}
    if assertion.value is not None:
        item["value"] = assertion.value
    if assertion.threshold is not None:
        item["threshold"] = assertion.threshold
    if assertion.weight != 1.0:
        item["weight"] = assertion.weight
    item.update(assertion.options)
    return item


@transaction.atomic
def suite_import_yaml(*, organization: Organization, name: str, text: str) -> Suite:
    """A new suite from a promptfooconfig.yaml; raises SuiteFormatError naming the faulty field.

    Each test × prompt becomes a case (key: the test's ``metadata.key`` or ``test-<n>``, with
    ``/prompt-<n>`` when there are several prompts), keeping its ``{{vars}}`` templates unrendered.
    """
    parsed = suite_from_yaml(text)
    suite = suite_save(
        suite=Suite(organization=organization, name=name, description=parsed.description or "")
    )
    default = parsed.default_test or SuiteTest()
    position = 0
    for test_index, test in enumerate(parsed.tests):
        test_key = str(test.metadata.get("key") or f"test-{test_index}")
        reference = test.metadata.get("reference")
        for prompt_index, prompt in enumerate(parsed.prompts):
            system, user = split_chat_prompt(prompt.raw)
            position += 1
            case_save(
                case=Case(
                    suite=suite,
                    key=test_key if len(parsed.prompts) == 1 else f"{test_key}/prompt-{prompt_index}",
                    description=(test.description or "")[:200],
                    prompt=user,
                    system_prompt=system or "",
                    vars={**default.vars, **test.vars},
                    reference_answer=str(reference) if reference is not None else "",
                    assertions=[assertion_to_dict(a) for a in default.assertions + test.assertions],
                    position=position,
                )
            )
    return suite


def suite_export_yaml(*, suite: Suite) -> str:
    """promptfooconfig.yaml for the suite.

    When every case shares one prompt template (and system prompt), that is the suite's one prompt
    and cases become tests with their vars, as promptfoo suites are usually written. Otherwise the
    prompt is ``{{prompt}}`` (with ``{{system}}``) and each test carries its own rendered texts in
    those vars — promptfoo runs it the same way.
    """
    cases = list(suite.cases.all())
    templates = {(case.prompt, case.system_prompt) for case in cases}
    shared = len(templates) == 1
    if shared:
        prompt_text, system_text = templates.pop()
    else:
        prompt_text, system_text = "{{prompt}}", ("{{system}}" if any(c.system_prompt for c in cases) else "")
    tests = []
    for case in cases:
        variables = dict(case.vars)
        if not shared:
            variables["prompt"] = render_template(case.prompt, case.vars)
            if system_text:
                variables["system"] = render_template(case.system_prompt, case.vars)
        metadata: dict[str, Any] = {"key": case.key}
        if case.reference_answer:
            metadata["reference"] = case.reference_answer
        tests.append(
            SuiteTest(
                vars=variables,
                assertions=tuple(assertion_from_dict(item) for item in case.assertions),
                description=case.description or None,
                metadata=metadata,
            )
        )
    raw = prompt_text
    if system_text:
        import json

        raw = json.dumps(
            [{"role": "system", "content": system_text}, {"role": "user", "content": prompt_text}],
            ensure_ascii=False,
        )
    document = YamlSuite(
        prompts=(SuitePrompt(raw=raw),) if cases else (),
        tests=tuple(tests),
        providers=(),
        description=suite.description or suite.name,
    )
    return suite_to_yaml(document)


# -- imported runs ------------------------------------------------------------------------------


def _result_row(run: Run, result: BenchResult, catalog: Callable[[str], Any]) -> Result:
    model = catalog(result.model)
    vendor = result.vendor
    if vendor == "unknown" and model is not None:
        vendor = model.vendor.slug
    return Result(
        run=run,
        case_key=result.case_key[:200],
        model_identifier=result.model[:200],
        catalog_model=model,
        vendor=vendor,
        family=(result.family or (model.family if model else ""))[:40],
        provider=(result.provider or "")[:200],
        case_label=(result.case_label or "")[:300],
        prompt=result.prompt or "",
        passed=result.passed,
        score=result.score,
        latency_ms=result.latency_ms,
        ttft_ms=result.ttft_ms,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        tokens_per_s=result.tokens_per_s,
        cost_usd=result.cost_usd,
        attempts=int(result.metrics["attempts"]) if result.metrics.get("attempts") is not None else None,
        output=result.output or "",
        error=result.error or "",
        reason=result.reason or "",
        assertion_details=[dataclasses.asdict(outcome) for outcome in result.assertions],
        metrics={key: value for key, value in result.metrics.items() if key != "attempts"},
    )


def _catalog_lookup() -> Callable[[str], Any]:
    index = catalog_alias_index()
    cache: dict[str, Any] = {}

    def lookup(identifier: str):
        if identifier not in cache:
            cache[identifier] = model_for_identifier(identifier, index=index)
        return cache[identifier]

    return lookup


@transaction.atomic
def bench_results_import(
    *,
    organization: Organization,
    bench_run: BenchRun,
    source: str,
    payload_sha256: str = "",
    import_job=None,
    user: AbstractBaseUser | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[Run, bool]:
    """Store a parsed results file as a finished run; (run, created).

    The same bytes (``payload_sha256``) for the same organization answer with the first run. A
    (case, model) pair repeated in the file is stored once (the first wins). The run is linked to
    the organization's suite of the same name when the file names one (native format ``suite``).
    """
    if payload_sha256:
        existing = Run.objects.filter(organization=organization, payload_sha256=payload_sha256).first()
        if existing is not None:
            return existing, False
    suite_name = bench_run.metadata.get("suite")
    suite = Suite.objects.filter(organization=organization, name=suite_name).first() if suite_name else None
    now = timezone.now()
    run = Run(
        organization=organization,
        suite=suite,
        name=(bench_run.name or "")[:200],
        source=source,
        source_format=bench_run.source,
        status=Run.Status.SUCCEEDED,
        import_job=import_job,
        payload_sha256=payload_sha256,
        metadata={key: value for key, value in bench_run.metadata.items() if value is not None},
        created_by=user if user is not None and user.is_authenticated else None,
        started_at=now,
        finished_at=now,
    )
    run.full_clean()
    run.save()

    catalog = _catalog_lookup()
    rows: dict[tuple[str, str], Result] = {}
    for done, result in enumerate(bench_run.results, start=1):
        rows.setdefault(result.key, _result_row(run, result, catalog))
        if progress is not None and done % 500 == 0:
            progress(done, len(bench_run.results))
    Result.objects.bulk_create(rows.values(), batch_size=1000)
    Run.objects.filter(pk=run.pk).update(progress_done=len(rows), progress_total=len(rows))
    run.progress_done = run.progress_total = len(rows)
    if suite is not None:
        _refresh_exposure_of_suite(suite)
    return run, True


@transaction.atomic
def run_attach_suite(*, run: Run, suite: Suite | None) -> Run:
    """Compare an imported run against a suite's linked workflows."""
    previous = run.suite
    run.suite = suite
    run.save(update_fields=["suite"])
    for linked in (previous, suite):
        if linked is not None:
            _refresh_exposure_of_suite(linked)
    return run


# -- runs made in the app -----------------------------------------------------------------------


def runner_settings(values: dict[str, Any]) -> runner.RunnerSettings:
    return runner.RunnerSettings(
        **{key: value for key, value in values.items() if key in RUNNER_SETTING_NAMES}
    )


@transaction.atomic
def run_start(
    *,
    suite: Suite,
    candidates: Sequence[Candidate],
    settings: dict[str, Any],
    user: AbstractBaseUser | None = None,
    name: str = "",
) -> Run:
    if not candidates:
        raise ValidationError("Choose at least one model to run.")
    if not suite.cases.exists():
        raise ValidationError("This suite has no cases yet.")
    if any(candidate.organization_id != suite.organization_id for candidate in candidates):
        raise ValidationError("A candidate belongs to another organization.")
    runner_settings(settings)  # rejects nonsense early
    run = Run(
        organization=suite.organization,
        suite=suite,
        name=name or f"{suite.name} — {timezone.localtime():%Y-%m-%d %H:%M}",
        source=Run.Source.UI,
        source_format="riskboard",
        status=Run.Status.QUEUED,
        settings=settings,
        progress_total=suite.cases.count() * len(candidates),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    run.full_clean()
    run.save()
    run.candidates.set(candidates)
    _enqueue(run)
    return run


class RunStopped(Exception):
    """Someone stopped the run: the runner cancels what is in flight; stored answers are kept."""


def run_stop(*, run: Run, user: AbstractBaseUser | None = None) -> Run:
    """Stop a queued or running run. Answers stored so far stay; Resume sends the rest later."""
    who = f" by {user}" if user is not None and user.is_authenticated else ""
    changed = Run.objects.filter(pk=run.pk, status__in=[Run.Status.QUEUED, Run.Status.RUNNING]).update(
        status=Run.Status.FAILED, error=f"Stopped{who}.", finished_at=timezone.now()
    )
    if changed != 1:
        raise ValidationError("This run is not running.")
    run.refresh_from_db()
    return run


@transaction.atomic
def run_resume(*, run: Run) -> Run:
    """Queue an interrupted run again; only the (case, model) pairs it lacks will be sent."""
    stale = timezone.now() - STALE_RUN_AFTER
    changed = Run.objects.filter(
        Q(status=Run.Status.FAILED) | Q(status=Run.Status.RUNNING, heartbeat_at__lt=stale),
        pk=run.pk,
        source=Run.Source.UI,
    ).update(status=Run.Status.QUEUED, error="", finished_at=None)
    if changed != 1:
        raise ValidationError("Only a stopped run made in the app can be resumed.")
    run.refresh_from_db()
    _enqueue(run)
    return run


def _enqueue(run: Run) -> None:
    from apps.benchmarks.tasks import benchmark_run_execute

    transaction.on_commit(partial(benchmark_run_execute.delay, run.pk), robust=True)


def _claim(run_id: int) -> bool:
    now = timezone.now()
    return (
        Run.objects.filter(
            Q(status=Run.Status.QUEUED)
            | Q(status=Run.Status.RUNNING, heartbeat_at__lt=now - STALE_RUN_AFTER),
            pk=run_id,
        ).update(status=Run.Status.RUNNING, heartbeat_at=now, error="")
        == 1
    )


def _assertion_clients(run: Run) -> tuple[Any, Any]:
    """Embeddings (for ``similar``) and judge (for ``llm-rubric``) clients named in the run's settings."""
    from apps.benchmarks.ai_clients import OpenAIEmbeddings, OpenAIJudge

    embeddings = judge = None
    options = run.settings
    if options.get("embeddings_endpoint_id") and options.get("embeddings_model"):
        endpoint = Endpoint.objects.filter(
            organization=run.organization_id, pk=options["embeddings_endpoint_id"]
        ).first()
        if endpoint is not None:
            target = endpoint_runner(endpoint)
            client = _assertion_client(target)
            embeddings = OpenAIEmbeddings(client, options["embeddings_model"])
    if options.get("judge_candidate_id"):
        candidate = (
            Candidate.objects.select_related("endpoint")
            .filter(organization=run.organization_id, pk=options["judge_candidate_id"])
            .first()
        )
        if candidate is not None:
            target = endpoint_runner(candidate.endpoint)
            client = _assertion_client(target)
            judge = OpenAIJudge(client, candidate.identifier)
    return embeddings, judge


def _assertion_client(target: runner.Endpoint) -> Any:
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        base_url=target.base_url,
        api_key=target.api_key or "not-needed",
        max_retries=2,
        http_client=async_client(),  # through the SSRF guard, like the runner's own requests
    )


def run_execute(*, run_id: int) -> Run | None:
    """Claim a queued run and send what it lacks; safe to call twice (the second finds nothing to claim)."""
    if not _claim(run_id):
        return None
    run = Run.objects.select_related("suite", "organization").get(pk=run_id)
    if run.started_at is None:
        Run.objects.filter(pk=run_id).update(started_at=timezone.now())
    try:
        cases = [case_record(case) for case in run.suite.cases.all()] if run.suite_id else []
        candidates = list(run.candidates.select_related("endpoint__organization", "model"))
        catalog = {candidate.identifier: candidate.model for candidate in candidates}
        done = set(run.results.values_list("case_key", "model_identifier"))
        targets = [
            runner.Candidate(model=candidate.identifier, endpoint=endpoint_runner(candidate.endpoint))
            for candidate in candidates
        ]
        planned = {(case.key, candidate.identifier) for case in cases for candidate in candidates}
        Run.objects.filter(pk=run_id).update(progress_total=len(planned), progress_done=len(done & planned))
        embeddings, judge = _assertion_clients(run)

        def store(result: BenchResult) -> None:
            row = _result_row(run, result, lambda identifier: catalog.get(identifier))
            Result.objects.bulk_create([row], ignore_conflicts=True)
            # Only pairs not yet stored are sent (skip=done), so each answer is one more done.
            still_running = Run.objects.filter(pk=run_id, status=Run.Status.RUNNING).update(
                progress_done=F("progress_done") + 1, heartbeat_at=timezone.now()
            )
            if not still_running:
                raise RunStopped  # the answer just stored is kept; the rest is cancelled

        runner.run_benchmark(
            cases,
            targets,
            settings=runner_settings(run.settings),
            on_result=store,
            skip=done,
            price_map=load_price_map(),
            embeddings=embeddings,
            judge=judge,
        )
    except RunStopped:
        pass  # run_stop already recorded who stopped it
    except EndpointKeyRefused as error:
        Run.objects.filter(pk=run_id).update(
            status=Run.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
    except Exception as error:
        logger.exception("Benchmark run %s stopped", run_id)
        Run.objects.filter(pk=run_id).update(
            status=Run.Status.FAILED, error=f"{type(error).__name__}: {error}", finished_at=timezone.now()
        )
    else:
        Run.objects.filter(pk=run_id, status=Run.Status.RUNNING).update(
            status=Run.Status.SUCCEEDED, finished_at=timezone.now()
        )
    run.refresh_from_db()
    if run.suite_id and run.status == Run.Status.SUCCEEDED:
        _refresh_exposure_of_suite(run.suite)
    return run


# -- exposure -----------------------------------------------------------------------------------


def _refresh_exposure_of_suite(suite: Suite) -> None:
    exposure_factor_moved(
        factor_key=BENCHMARKED_ALTERNATIVE, workflow_ids=suite.workflows.values_list("pk", flat=True)
    )
