"""The registry of ingest kinds: the one place where an app tells the job pipeline what it imports.

Each app that owns a kind declares it once, from its own AppConfig.ready():

    from apps.jobs.kinds import register_ingest_kind
    # in the scanner app's apps.py
    register_ingest_kind(
        "scan",
        importer=scan_job_import,                       # (job, payload: bytes, progress) -> counts
        schemas={"riskboard.scan/1": "scan-1.json"},     # document version → file in apps/jobs/schemas/
        raw_format=is_archive,                          # optional (payload, filename, content_type) -> bool
        result_link=imported_scan_link,                 # optional job -> (label, url) | None
        help="The JSON from `manage.py scan PATH --json` (riskboard.scan/1).",
    )

`apps.jobs` only reads this registry (it imports none of the apps above it). The kinds themselves
are the choices of ImportJob.kind (docs/contracts.md: scan, bench, signals, inventory); a kind that
no app registered stores nothing and its jobs fail with a message saying so.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apps.jobs.importers import Importer

RawFormat = Callable[[bytes, str, str], bool]
ResultLink = Callable[[Any], tuple[str, str] | None]


@dataclass(frozen=True)
class IngestKind:
    kind: str
    importer: Importer
    # version named in a document's `schema` field → schema file; the first entry is the default.
    schemas: dict[str, str] = field(default_factory=dict)
    # Recognises payloads that are not JSON documents (an archive, a spreadsheet): they skip the
    # schema and their importer checks them.
    raw_format: RawFormat | None = None
    result_link: ResultLink | None = None
    help: str = ""
    # Longest text the database keeps per field, by path with `*` for any list index or key
    # ({"findings/*/path": 1024}): a longer value is refused at validation, naming its field.
    text_limits: dict[str, int] = field(default_factory=dict)


INGEST_KINDS: dict[str, IngestKind] = {}


def register_ingest_kind(
    kind: str,
    *,
    importer: Importer,
    schemas: dict[str, str],
    raw_format: RawFormat | None = None,
    result_link: ResultLink | None = None,
    help: str = "",
    text_limits: dict[str, int] | None = None,
) -> IngestKind:
    from apps.jobs.models import ImportJob

    if kind not in ImportJob.Kind.values:
        raise ValueError(f"{kind!r} is not an ImportJob kind ({', '.join(ImportJob.Kind.values)})")
    entry = IngestKind(
        kind=kind,
        importer=importer,
        schemas=schemas,
        raw_format=raw_format,
        result_link=result_link,
        help=help,
        text_limits=text_limits or {},
    )
    INGEST_KINDS[kind] = entry
    return entry


def ingest_kind(kind: str) -> IngestKind | None:
    return INGEST_KINDS.get(kind)
