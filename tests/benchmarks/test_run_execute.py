"""A suite run in the app, end to end: the real `openai` client against the local OpenAI-compatible
server (tests/support/openai_server.py), every result persisted to PostgreSQL as it arrives."""

import pytest

from apps.benchmarks import services
from apps.benchmarks.models import Result, Run
from tests.benchmarks.makers import make_endpoint, make_suite

pytestmark = pytest.mark.django_db

FAST = {"concurrency": 2, "timeout_s": 10, "backoff_initial_s": 0.01}


@pytest.fixture
def suite(organization):
    return make_suite(organization, cases=3)


@pytest.fixture
def endpoint(organization, openai_server):
    return make_endpoint(organization, base_url=openai_server.base_url)


def candidates(organization, endpoint, *identifiers):
    return [
        services.candidate_create(organization=organization, endpoint=endpoint, identifier=identifier)
        for identifier in identifiers
    ]


def start(suite, chosen, django_capture_on_commit_callbacks, **settings) -> Run:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(suite=suite, candidates=chosen, settings={**FAST, **settings})
    run.refresh_from_db()
    return run


def test_it_runs_every_case_against_every_model_and_stores_the_results(
    organization, suite, endpoint, openai_server, django_capture_on_commit_callbacks
):
    chosen = candidates(organization, endpoint, "gpt-4o-mini", "qwen-local:7b")

    run = start(suite, chosen, django_capture_on_commit_callbacks)

    assert (run.status, run.progress_done, run.progress_total) == ("succeeded", 6, 6)
    assert run.started_at and run.finished_at
    results = {(r.case_key, r.model_identifier): r for r in run.results.all()}
    assert set(results) == {(f"case-{n}", m) for n in (1, 2, 3) for m in ("gpt-4o-mini", "qwen-local:7b")}
    answer = results[("case-2", "gpt-4o-mini")]
    assert answer.output == "Echo: Write a headline about shipping offer 2"
    assert (answer.passed, answer.score, answer.error) == (True, 1.0, "")
    assert answer.latency_ms > answer.ttft_ms > 0
    assert (answer.prompt_tokens, answer.completion_tokens) == (7, 8)  # words, as the server counts
    assert answer.assertion_details[0]["type"] == "icontains"
    assert answer.catalog_model.slug == "gpt-4o-mini"
    assert answer.cost_usd > 0  # gpt-4o-mini is in the price map
    assert {r.cost_usd for r in run.results.filter(model_identifier="qwen-local:7b")} == {None}


def test_it_sends_the_endpoints_stored_key_decrypted(organization, suite, django_capture_on_commit_callbacks):
    from tests.support.openai_server import OpenAICompatibleServer

    with OpenAICompatibleServer(api_key="sk-local-test") as keyed_server:
        endpoint = make_endpoint(organization, base_url=keyed_server.base_url, api_key="sk-local-test")
        assert "sk-local-test" not in endpoint.api_key_encrypted

        run = start(
            suite, candidates(organization, endpoint, "gpt-4o-mini"), django_capture_on_commit_callbacks
        )

    assert {result.error for result in run.results.all()} == {""}


def test_it_reads_the_key_from_the_named_environment_variable(
    organization, suite, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from tests.support.openai_server import OpenAICompatibleServer

    settings.RISKBOARD_ENDPOINT_KEY_GRANTS = "acme=TEST"
    monkeypatch.setenv("RISKBOARD_ENDPOINT_KEY_TEST", "sk-from-env")
    with OpenAICompatibleServer(api_key="sk-from-env") as keyed_server:
        endpoint = make_endpoint(
            organization, base_url=keyed_server.base_url, api_key_env="RISKBOARD_ENDPOINT_KEY_TEST"
        )
        run = start(
            suite, candidates(organization, endpoint, "gpt-4o-mini"), django_capture_on_commit_callbacks
        )

    assert endpoint.key_status == "from $RISKBOARD_ENDPOINT_KEY_TEST"
    assert {result.error for result in run.results.all()} == {""}


def test_a_429_is_retried_and_the_answer_is_kept(
    organization, suite, endpoint, openai_server, django_capture_on_commit_callbacks
):
    chosen = candidates(organization, endpoint, "rate-limited")

    run = start(suite, chosen, django_capture_on_commit_callbacks, concurrency=1)

    assert run.status == "succeeded"
    first = run.results.get(case_key="case-1")
    assert (first.error, first.passed, first.attempts) == ("", True, 2)
    assert len(openai_server.requests_for("rate-limited")) == 4  # one 429, then three answers


def test_each_result_is_stored_as_it_arrives_and_a_resumed_run_sends_only_the_missing_pairs(
    organization, suite, endpoint, openai_server, django_capture_on_commit_callbacks, monkeypatch
):
    chosen = candidates(organization, endpoint, "gpt-4o-mini", "mistral-local")
    real_run_benchmark = services.runner.run_benchmark
    stored_counts = []

    def crash_after_two_results(cases, targets, *, on_result, **kwargs):
        def store_then_maybe_crash(result):
            on_result(result)
            stored_counts.append(Result.objects.count())
            if len(stored_counts) == 2:
                raise RuntimeError("worker lost")

        return real_run_benchmark(cases, targets, on_result=store_then_maybe_crash, **kwargs)

    monkeypatch.setattr(services.runner, "run_benchmark", crash_after_two_results)
    run = start(suite, chosen, django_capture_on_commit_callbacks, concurrency=1)

    assert stored_counts == [1, 2]  # in the database before the next result came in
    assert (run.status, run.progress_done, run.progress_total) == ("failed", 2, 6)
    assert "worker lost" in run.error
    kept = set(run.results.values_list("case_key", "model_identifier"))
    requests_before = len(openai_server.requests)

    monkeypatch.setattr(services.runner, "run_benchmark", real_run_benchmark)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_resume(run=run)
    run.refresh_from_db()

    assert (run.status, run.progress_done) == ("succeeded", 6)
    assert run.results.count() == 6
    resent = openai_server.requests[requests_before:]
    assert len(resent) == 4
    for model in ("gpt-4o-mini", "mistral-local"):
        kept_of_model = sum(1 for _case, kept_model in kept if kept_model == model)
        assert sum(1 for request in resent if request["model"] == model) == 3 - kept_of_model


def test_a_second_delivery_of_the_task_does_nothing(
    organization, suite, endpoint, openai_server, django_capture_on_commit_callbacks
):
    run = start(suite, candidates(organization, endpoint, "gpt-4o-mini"), django_capture_on_commit_callbacks)
    requests = len(openai_server.requests)

    assert services.run_execute(run_id=run.pk) is None

    assert len(openai_server.requests) == requests
    assert run.results.count() == 3


def test_a_failing_model_is_recorded_as_an_error_not_a_zero(
    organization, suite, endpoint, django_capture_on_commit_callbacks
):
    run = start(
        suite, candidates(organization, endpoint, "broken"), django_capture_on_commit_callbacks, max_retries=1
    )

    assert run.status == "succeeded"
    result = run.results.first()
    assert result.error.startswith("HTTP 500")
    assert (result.passed, result.latency_ms, result.cost_usd, result.output) == (False, None, None, "")


def test_a_finished_run_cannot_be_resumed(organization, suite, endpoint, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    run = start(suite, candidates(organization, endpoint, "gpt-4o-mini"), django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError):
        services.run_resume(run=run)


def test_a_queued_run_that_is_stopped_never_starts(
    organization, suite, endpoint, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = services.run_start(
            suite=suite, candidates=candidates(organization, endpoint, "gpt-4o-mini"), settings=FAST
        )
    services.run_stop(run=run, user=editor)
    for callback in queued:
        callback()  # the worker picks the task up afterwards

    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", f"Stopped by {editor}.")
    assert not run.results.exists()


@pytest.mark.django_db(transaction=True)
def test_a_running_run_stops_keeps_its_answers_and_resumes_the_rest(organization, editor):
    """The run executes in a thread (as a worker would) against a slow model; stopping it cancels what
    is in flight, and Resume sends only what is missing."""
    from riskboard.celery import app

    # Queue tasks on the in-memory broker instead of running them inside run_start: this test plays the worker.
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        _stop_and_resume_a_running_run(organization, editor)
    finally:
        app.conf.task_always_eager = was_eager


def _stop_and_resume_a_running_run(organization, editor):
    import threading
    import time

    from tests.support.openai_server import OpenAICompatibleServer

    with OpenAICompatibleServer(response_delay_s=0.3) as server:
        suite = make_suite(organization, cases=8)
        endpoint = make_endpoint(organization, base_url=server.base_url)
        chosen = candidates(organization, endpoint, "gpt-4o-mini")
        run = services.run_start(suite=suite, candidates=chosen, settings={**FAST, "concurrency": 1})

        def work() -> None:
            from django.db import connection

            try:
                services.run_execute(run_id=run.pk)
            finally:
                connection.close()  # this thread's own connection

        worker = threading.Thread(target=work)
        worker.start()
        deadline = time.monotonic() + 20
        while not Result.objects.filter(run=run).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        services.run_stop(run=run, user=editor)
        worker.join(timeout=30)

        run.refresh_from_db()
        kept = run.results.count()
        assert run.status == "failed" and run.error.startswith("Stopped")
        assert 1 <= kept < 8

        services.run_resume(run=run)
        services.run_execute(run_id=run.pk)  # the resumed run, as the worker would take it
        run.refresh_from_db()

    assert (run.status, run.results.count()) == ("succeeded", 8)
