"""Sources: poll one (or the due ones), record its health and backoff, submit its signals as jobs."""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import Organization
from apps.jobs.models import ImportJob
from apps.jobs.services import job_run_inline
from apps.watch.contract import signals_document
from apps.watch.models import Signal, Source
from apps.watch.runner import WatchOutcome, watch_sources
from apps.watch.sources import PollSettings, SourceError, SourceState, parse_spec

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=5)
# A claimed source is not claimed again for this long, even if its poll dies with the worker.
CLAIM_LEASE = timedelta(minutes=30)
DUE_BATCH = 200
INLINE_IMPORT_WAIT_SECONDS = 120


def watch_poll_settings() -> PollSettings:
    """Poll settings from the environment (HF_ENDPOINT, RISKBOARD_GITHUB_API, tokens), with any
    overrides in settings.RISKBOARD_WATCH_POLL (e.g. {"timeout": 5}) applied on top."""
    overrides = dict(getattr(settings, "RISKBOARD_WATCH_POLL", {}))
    return PollSettings.from_environment(**overrides)


def source_create(
    *, organization: Organization | None, spec: str, poll_interval_minutes: int = 360, enabled: bool = True
) -> Source:
    parsed = parse_spec(spec)  # InvalidSourceSpec is a ValueError with a readable message
    source = Source(
        organization=organization,
        spec=str(parsed),
        kind=parsed.kind,
        poll_interval_minutes=poll_interval_minutes,
        enabled=enabled,
    )
    source.full_clean()
    source.save()
    return source


def source_for_spec(*, organization: Organization, spec: str) -> Source:
    """The organization's source for `spec`, created (enabled, never polled) when missing."""
    parsed = parse_spec(spec)
    existing = Source.objects.filter(organization=organization, spec=str(parsed)).first()
    return existing or source_create(organization=organization, spec=str(parsed))


def source_update(*, source: Source, enabled: bool, poll_interval_minutes: int) -> Source:
    source.enabled = enabled
    source.poll_interval_minutes = poll_interval_minutes
    source.full_clean()
    source.save(update_fields=["enabled", "poll_interval_minutes"])
    return source


def source_record_outcome(*, source: Source, outcome: WatchOutcome, now: datetime) -> Source:
    """Persist what a poll learnt: the new state on success, the error and the backoff on failure."""
    source.last_polled_at = now
    interval = timedelta(minutes=source.poll_interval_minutes)
    if outcome.error is None:
        source.snapshot = outcome.state.snapshot
        source.http_state = outcome.state.http_state
        source.last_success_at = now
        source.last_error = ""
        source.last_error_transient = False
        source.consecutive_failures = 0
        source.last_observations = outcome.observations[-20:]
        source.next_poll_at = now + interval
    else:
        source.consecutive_failures += 1
        source.last_error = str(outcome.error)[:2000]
        source.last_error_transient = outcome.error.transient
        source.next_poll_at = now + source_backoff(
            interval=interval, failures=source.consecutive_failures, error=outcome.error
        )
    source.save()
    return source


def source_backoff(*, interval: timedelta, failures: int, error: SourceError) -> timedelta:
    if not error.transient:
        return interval
    wait = min(interval, BACKOFF_BASE * 2 ** max(failures - 1, 0))
    if error.retry_after:
        wait = max(wait, timedelta(seconds=error.retry_after))
    return wait


@dataclass
class PollReport:
    """What one `source_poll` did, for the command's output and the task's log."""

    source: Source
    outcome: WatchOutcome
    jobs: list[ImportJob] = field(default_factory=list)
    new_signals: list[dict[str, Any]] = field(default_factory=list)  # filled when imported inline


def source_poll(
    *,
    source: Source,
    job_source: str,
    import_inline: bool = False,
    poll_settings: PollSettings | None = None,
    now: datetime | None = None,
) -> PollReport:
    """Poll one source, save its state and health, and submit its signals through the job pipeline.

    `import_inline` (the command) runs the import here and reports the signals it stored; the
    schedule leaves the import to a worker. A second identical payload creates nothing.
    """
    from apps.jobs.services import job_submit

    now = now or timezone.now()
    state = SourceState(snapshot=source.snapshot, http_state=source.http_state or {})
    try:
        [outcome] = watch_sources(
            [(parse_spec(source.spec), state)],
            settings=poll_settings or watch_poll_settings(),
            now=now,
        )
    except Exception as error:  # a bug in detection must not stop the other sources either
        logger.exception("watch: %s crashed", source.spec)
        outcome = WatchOutcome(
            parse_spec(source.spec),
            state=state,
            error=SourceError(f"{source.spec}: {error!r}", transient=False),
        )

    report = PollReport(source=source, outcome=outcome)
    with transaction.atomic():
        source_record_outcome(source=source, outcome=outcome, now=now)
        if outcome.signals:
            payload = json.dumps(signals_document(outcome.signals), sort_keys=True).encode()
            for organization in _organizations_fed_by(source):
                job, created = job_submit(
                    organization=organization,
                    kind=ImportJob.Kind.SIGNALS,
                    payload=payload,
                    source=job_source,
                    filename=f"{source.spec}.json"[:255],
                )
                if created:
                    report.jobs.append(job)
    if import_inline:
        for job in report.jobs:
            job_run_inline(job=job, wait_seconds=INLINE_IMPORT_WAIT_SECONDS)
            report.new_signals.extend(
                signal.as_contract() for signal in Signal.objects.filter(job=job).order_by("id")
            )
    return report


def _organizations_fed_by(source: Source) -> list[Organization]:
    if source.organization_id:
        return [source.organization]
    return list(Organization.objects.order_by("pk"))


def sources_claim_due(*, now: datetime | None = None, limit: int = DUE_BATCH) -> list[int]:
    """Claim the enabled sources whose poll is due; a source is claimed by exactly one caller.

    The claim moves `next_poll_at` a lease ahead with a conditional UPDATE that must change one row,
    so two beat ticks (or two beats) never poll the same source at once.
    """
    now = now or timezone.now()
    due = Q(enabled=True) & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    candidates = list(
        Source.objects.filter(due).order_by("next_poll_at").values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for source_id in candidates:
        if Source.objects.filter(due, pk=source_id).update(next_poll_at=now + CLAIM_LEASE) == 1:
            claimed.append(source_id)
    return claimed


def source_poll_by_id(*, source_id: int, job_source: str = ImportJob.Source.SCHEDULE) -> PollReport | None:
    source = Source.objects.select_related("organization").filter(pk=source_id).first()
    if source is None or not source.enabled:
        return None
    return source_poll(source=source, job_source=job_source)
