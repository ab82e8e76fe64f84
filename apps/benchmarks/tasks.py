"""Celery tasks of the benchmarks app: they take ids and call one service."""

from celery import shared_task

from apps.benchmarks import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def benchmark_run_execute(run_id: int) -> None:
    # A redelivery finds the run claimed (or finished) and does nothing; see services.run_execute.
    services.run_execute(run_id=run_id)
