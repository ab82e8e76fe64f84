"""Which service imports which kind of payload: the one extension point of the job pipeline.

An importer is a function `importer(job, payload, progress) -> counts`:
- `job` is the running ImportJob (read its organization, source, filename; do not save it),
- `payload` is the stored bytes (`json.loads(payload)` for the JSON kinds; already checked against
  the kind's schema in apps/jobs/schemas/ when it was submitted),
- `progress(done, total=None)` reports how far it got (it writes outside the import transaction,
  so the job page shows it live; call it as often as you like, it throttles itself),
- it returns the counts to show on the job, e.g. {"findings_created": 120}.

It runs inside `transaction.atomic()`: raise `ImportRejected(errors)` to roll everything back and fail
the job with those errors listed ([{"where": "row 7/criticality", "message": "…"}]). Make rows
idempotent with natural keys: a redelivered task may run an import again after a crash.

Owners declare their kind, importer included, once from their AppConfig.ready() with
`apps.jobs.kinds.register_ingest_kind(...)`. A job of a kind with no importer fails with a message
saying so.
"""

from collections.abc import Callable
from typing import Any, Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


Importer = Callable[[Any, bytes, Progress], dict[str, int]]


class ImportRejected(Exception):
    """Raised by an importer to fail the job with structured errors; nothing it wrote is kept."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{error['where']}: {error['message']}" for error in errors[:5]))


class ImporterMissing(LookupError):
    pass


def importer_for(kind: str) -> Importer:
    from apps.jobs.kinds import ingest_kind

    entry = ingest_kind(kind)
    if entry is None:
        raise ImporterMissing(f"No importer is registered for {kind!r} payloads yet, so this job cannot run.")
    return entry.importer
