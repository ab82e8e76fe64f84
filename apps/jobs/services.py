"""Writes of the job pipeline: submit a payload, run a job (claim → import → finish), retry, requeue.

The life of a job: `job_submit` stores the payload and its sha256 (the same bytes again answer with
the first job) and queues one Celery task on commit. The task calls `job_run`, which claims the job
with a conditional UPDATE (exactly one row must change), counts the delivery, runs the kind's
importer inside one transaction and marks the job succeeded in that same transaction, so the domain
rows and the `succeeded` status land together or not at all. A redelivered task then finds nothing
to claim and does nothing.
"""

import hashlib
import logging
import time
from contextlib import contextmanager, suppress
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    transaction,
)
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone

from apps.accounts.models import ApiToken, Organization
from apps.jobs.importers import ImporterMissing, ImportRejected, importer_for
from apps.jobs.kinds import ingest_kind
from apps.jobs.models import ImportJob
from apps.jobs.progress import ProgressReporter
from apps.jobs.validation import PayloadError, payload_errors

logger = logging.getLogger(__name__)

# Errors worth another try later: the database went away, a deadlock, a lock timeout.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Namespace of the PostgreSQL advisory locks that keep two workers off one job.
JOB_LOCK_NAMESPACE = 4_104


class PayloadInvalid(Exception):
    def __init__(self, errors: list[PayloadError]):
        self.errors = errors
        super().__init__("; ".join(f"{error['where']}: {error['message']}" for error in errors[:5]))


class JobBusy(Exception):
    """Another worker holds the job right now (a redelivery while the first delivery still runs)."""


def payload_sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def job_submit(
    *,
    organization: Organization,
    kind: str,
    payload: bytes,
    source: str,
    filename: str = "",
    content_type: str = "",
    user: AbstractBaseUser | None = None,
    token: ApiToken | None = None,
) -> tuple[ImportJob, bool]:
    """Store a payload as a queued job and queue its import; (job, created).

    The same bytes for the same organization and kind answer with the first job and create nothing.
    An invalid payload raises PayloadInvalid with every violation and stores nothing.
    """
    sha256 = payload_sha256(payload)
    existing = ImportJob.objects.defer("payload").filter(organization=organization, kind=kind, sha256=sha256)
    first = existing.first()
    expired = first is not None and first.status == ImportJob.Status.FAILED and first.payload_deleted_at
    if first is not None and not expired:
        return first, False
    errors = payload_errors(kind=kind, payload=payload, filename=filename, content_type=content_type)
    if errors:
        raise PayloadInvalid(errors)
    if first is not None:
        # The same bytes as a failed job whose payload was deleted: store them again and retry it.
        ImportJob.objects.filter(pk=first.pk).update(payload=payload, payload_deleted_at=None)
        return job_retry(job=first), False
    job = ImportJob(
        organization=organization,
        kind=kind,
        source=source,
        payload=payload,
        sha256=sha256,
        size=len(payload),
        filename=filename[:255],
        content_type=content_type[:100],
        started_by_user=user if user is not None and user.is_authenticated else None,
        started_by_token=token,
    )
    job.full_clean(exclude=["payload"])
    try:
        with transaction.atomic():
            job.save()
            job_enqueue(job=job)
    except IntegrityError:
        # The same bytes arrived twice at once: the other request stored them first.
        return existing.get(), False
    return job, True


def job_enqueue(*, job: ImportJob) -> None:
    """Send the job's task once the current transaction commits (so the worker can see the row).

    A broker that is down must not turn a stored payload into an error page: the job stays queued
    with no `sent_at`, its page says it waits for the job queue, and `job_send_unsent` (beat, every
    JOB_SEND_RETRY_SECONDS) sends it as soon as the broker answers again.
    """
    transaction.on_commit(partial(job_send, job_id=job.pk))


def job_send(*, job_id: int) -> bool:
    """Hand the job's task to the broker now; False (and the job left unsent) when it is unreachable."""
    from apps.jobs.tasks import import_job_run

    try:
        import_job_run.delay(job_id)
    except Exception:  # kombu/redis raise their own connection errors; any of them means "not sent"
        logger.warning("The broker is unreachable: job %s waits to be sent", job_id, exc_info=True)
        return False
    ImportJob.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=Now())
    return True


def job_send_unsent(*, limit: int = 500) -> int:
    """Send the queued jobs whose task never reached the broker; stops at the first failure (the
    broker is still down: the next run tries again). Returns how many were sent."""
    sent = 0
    unsent = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, sent_at__isnull=True)
    for job_id in unsent.order_by("created_at").values_list("pk", flat=True)[:limit]:
        if not job_send(job_id=job_id):
            break
        sent += 1
    return sent


@contextmanager
def _job_lock(job_id: int):
    """A PostgreSQL session advisory lock on the job, held while this worker runs it.

    With late acknowledgement, Redis hands an unacknowledged task to another worker once the
    visibility timeout passes, even if the first worker is still busy; the lock makes the second
    one wait its turn instead of importing alongside. It dies with the worker's connection.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id % 2**31])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id % 2**31])
            except TRANSIENT_ERRORS:
                connection.close()  # closing the session releases the lock as well


def job_run(*, job_id: int, worker_host: str = "", worker_pid: int | None = None) -> ImportJob | None:
    """Claim the job, import it, finish it. Safe to call any number of times for the same job."""
    with _job_lock(job_id) as acquired:
        if not acquired:
            raise JobBusy(job_id)
        claimed = ImportJob.objects.filter(
            pk=job_id,
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING],
            deliveries__lt=ImportJob.MAX_DELIVERIES,
        ).update(
            status=ImportJob.Status.RUNNING,
            deliveries=F("deliveries") + 1,
            started_at=Now(),
            finished_at=None,
            progress_done=0,
            worker_host=worker_host[:255],
            worker_pid=worker_pid,
        )
        job = _job_without_payload(job_id)
        if job is None or job.is_finished:
            return job  # a redelivery after the end: nothing to do
        if claimed != 1:
            # Every delivery so far started the import and none came back: it kills its worker.
            message = (
                f"The import stopped its worker {job.deliveries} times in a row (killed, for example "
                "out of memory), so it was given up. Check the payload's size, then retry."
            )
            _job_finish(job_id, ImportJob.Status.FAILED, errors=[{"where": "worker", "message": message}])
            return _job_without_payload(job_id)
        _job_import(job)
        return _job_without_payload(job_id)


def _job_without_payload(job_id: int) -> ImportJob | None:
    return ImportJob.objects.select_related("organization").defer("payload").filter(pk=job_id).first()


def _job_import(job: ImportJob) -> None:
    try:
        importer = importer_for(job.kind)
    except ImporterMissing as error:
        _job_finish(job.pk, ImportJob.Status.FAILED, errors=[{"where": "kind", "message": str(error)}])
        return
    progress = ProgressReporter(job_id=job.pk)
    try:
        with transaction.atomic():
            payload = _payload_bytes(job.pk)
            counts = importer(job, payload, progress)
            # From here on the job row is written by this transaction: no more progress writes.
            progress.close()
            total = max(progress.total, progress.done)
            finished = _job_finish(
                job.pk,
                ImportJob.Status.SUCCEEDED,
                counts=counts,
                progress_done=total,
                progress_total=total,
                **_retention_on_success(job, payload),
            )
            if not finished:
                raise RuntimeError(f"job {job.pk} changed state during its import")
    except ImportRejected as rejected:
        _job_finish(job.pk, ImportJob.Status.FAILED, errors=rejected.errors)
    except TRANSIENT_ERRORS:
        # Give the delivery back: this one ended cleanly, the task retries later with backoff.
        progress.close()
        with suppress(TRANSIENT_ERRORS):
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
                status=ImportJob.Status.QUEUED, deliveries=F("deliveries") - 1
            )
        raise
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        message = f"The import stopped on an unexpected error: {type(error).__name__}: {error}"
        _job_finish(job.pk, ImportJob.Status.FAILED, errors=[{"where": "import", "message": message}])
    finally:
        progress.close()


def _retention_on_success(job: ImportJob, payload: bytes) -> dict:
    """An uploaded file (an archive, a spreadsheet: a raw format of its kind) is deleted with the
    success of its import; a JSON document is kept as the record of what was imported."""
    entry = ingest_kind(job.kind)
    if (
        entry is None
        or entry.raw_format is None
        or not entry.raw_format(payload, job.filename, job.content_type)
    ):
        return {}
    return {"payload": b"", "payload_deleted_at": Now()}


def job_payloads_expire(*, now=None) -> int:
    """Delete the payloads of jobs that failed more than RISKBOARD_FAILED_PAYLOAD_DAYS ago (beat,
    daily); such a job can no longer be retried, the same file uploaded again is. Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RISKBOARD_FAILED_PAYLOAD_DAYS)
    return ImportJob.objects.filter(
        status=ImportJob.Status.FAILED, finished_at__lt=cutoff, payload_deleted_at__isnull=True
    ).update(payload=b"", payload_deleted_at=now)


def _payload_bytes(job_id: int) -> bytes:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # Django's client-side cursors fetch bytea as hex text; a binary fetch is ~4x faster on 20 MB.
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f'SELECT payload FROM "{ImportJob._meta.db_table}" WHERE id = %s', [job_id], binary=True
            )
            return bytes(cursor.fetchone()[0])
    return bytes(ImportJob.objects.filter(pk=job_id).values_list("payload", flat=True).get())


def _job_finish(job_id: int, status: str, **fields) -> bool:
    """Mark a running job finished; True when this call did it (exactly one row changed)."""
    changed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=status, finished_at=Now(), **fields)
    return changed == 1


def job_give_up(*, job_id: int, reason: str) -> None:
    """Fail a job whose transient errors outlasted its retries."""
    _job_finish(job_id, ImportJob.Status.FAILED, errors=[{"where": "worker", "message": reason}])


def job_run_inline(*, job: ImportJob, wait_seconds: float = 3600) -> ImportJob:
    """Import a job in this process (for commands that report what landed); if a worker already holds
    it, wait for that worker. The task queued on submit then finds the job finished and does nothing."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            job_run(job_id=job.pk)
            break
        except JobBusy:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
    return ImportJob.objects.defer("payload").get(pk=job.pk)


@transaction.atomic
def job_retry(*, job: ImportJob) -> ImportJob:
    """Queue a failed job again from a clean slate (while its payload is kept, see job_payloads_expire)."""
    from django.core.exceptions import ValidationError

    if ImportJob.objects.filter(pk=job.pk, payload_deleted_at__isnull=False).exists():
        raise ValidationError(
            f"The payload of this job was deleted {settings.RISKBOARD_FAILED_PAYLOAD_DAYS} days after it "
            "failed; upload the file again to import it."
        )
    changed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
        sent_at=None,
        status=ImportJob.Status.QUEUED,
        deliveries=0,
        progress_done=0,
        progress_total=0,
        counts={},
        errors=[],
        started_at=None,
        finished_at=None,
        worker_host="",
        worker_pid=None,
    )
    if changed != 1:
        raise ValidationError("Only a failed job can be retried.")
    job_enqueue(job=job)
    job.refresh_from_db(
        fields=["status", "deliveries", "progress_done", "progress_total", "counts", "errors"]
    )
    return job


def job_requeue_stale(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Send again the jobs still queued long after they were stored (their message was lost, e.g. the
    broker was down when they were submitted). A second message for a job is harmless: the claim
    lets only one delivery import it."""
    cutoff = timezone.now() - older_than
    job_ids = list(
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    for job_id in job_ids:
        job_enqueue(job=ImportJob(pk=job_id))
    return len(job_ids)
