"""Celery tasks of the archive: they take ids and call one service.

`archive_run` is acknowledged late and requeued when its worker dies; the run then resumes after the
files already written and hashed (services.archive_run_execute counts deliveries and gives up on a
run that kills its worker every time).
"""

from celery import shared_task

from apps.archive import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def archive_run_task(run_id: int) -> None:
    services.archive_run_execute(run_id=run_id)


@shared_task
def verify_copies(copy_ids: list[int]) -> int:
    """On demand: re-hash these copies now."""
    return len(services.copies_verify(copy_ids=copy_ids))


@shared_task
def verify_due_copies() -> int:
    """Beat: re-hash the copies not checked for a week."""
    return services.copies_verify_due()


@shared_task
def refresh_archive_coverage() -> int:
    """Beat: coverage decays with time; rescore the workflows whose archive credit changed."""
    return services.coverage_refresh()
