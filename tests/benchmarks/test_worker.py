"""A suite run by a real Celery worker process (real Redis, the test PostgreSQL, the local server)."""

import time

import pytest

from apps.benchmarks import services
from apps.benchmarks.models import Run
from tests.benchmarks.makers import make_endpoint, make_suite

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for_run(run_id: int, workers, timeout: float = 60) -> Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = Run.objects.get(pk=run_id)
        if run.is_finished:
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} is still {run.status}\n{workers.logs()}")


def test_the_worker_runs_a_suite_and_stores_every_result(worker, organization, openai_server):
    suite = make_suite(organization, cases=4)
    endpoint = make_endpoint(organization, base_url=openai_server.base_url)
    chosen = [
        services.candidate_create(organization=organization, endpoint=endpoint, identifier=name)
        for name in ("gpt-4o-mini", "flaky")
    ]

    run = services.run_start(
        suite=suite, candidates=chosen, settings={"concurrency": 3, "backoff_initial_s": 0.01}
    )
    run = wait_for_run(run.pk, worker)

    assert run.status == "succeeded", run.error
    assert (run.progress_done, run.progress_total) == (8, 8)
    assert {result.error for result in run.results.all()} == {""}  # the flaky 500 was retried
    assert openai_server.max_in_flight <= 3
