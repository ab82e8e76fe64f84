"""Live progress for a running import, written outside the import's own transaction.

The import runs in one `transaction.atomic()` on the default connection, so nothing it writes there is
visible until it commits. Progress goes through a second connection to the same database in
autocommit mode: each UPDATE commits at once and the job page sees it while the import runs.

Two rules keep the two connections from waiting on each other (PostgreSQL would not notice that
deadlock: one side waits in the database, the other in Python):
- the import transaction does not touch the job row until the reporter is closed;
- the reporter's session has a short `lock_timeout`, and a failed progress write is dropped,
  never raised: progress is a courtesy, the import is the work.
On SQLite (development), a second writer would wait for the import's lock, so progress is only
written when the job ends.
"""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from apps.jobs.models import ImportJob

logger = logging.getLogger(__name__)


class ProgressReporter:
    MIN_INTERVAL_SECONDS = 0.25

    def __init__(self, *, job_id: int):
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self._last_write = 0.0
        self._connection = None
        self._live = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if not self._live:
            return
        now = time.monotonic()
        if now - self._last_write < self.MIN_INTERVAL_SECONDS and done < self.total:
            return
        self._last_write = now
        self._write()

    def _write(self) -> None:
        table = ImportJob._meta.db_table
        try:
            if self._connection is None:
                self._connection = connections[DEFAULT_DB_ALIAS].copy()
                with self._connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '1s'")
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f'UPDATE "{table}" SET progress_done = %s, progress_total = %s WHERE id = %s AND status = %s',
                    [self.done, self.total, self.job_id, ImportJob.Status.RUNNING],
                )
        except DatabaseError:
            logger.warning("Progress of job %s not written; the import goes on", self.job_id, exc_info=True)
            self.close()

    def close(self) -> None:
        self._live = False
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
