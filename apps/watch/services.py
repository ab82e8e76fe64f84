"""Writes of the watch capability: poll sources, store signals, move vendor risk, raise alerts.

The flow of one poll (the `watch` command, or beat through tasks.poll_source):

    source_poll → watch_sources (pure core) → source health + snapshot saved
                → job_submit(kind="signals") → signals_import → signals_store
                → signals_take_effect: vendor risk, exposure, alerts

Rules decided here (documented in docs/architecture.md too):
- A shared source (no organization) feeds every organization: its signals are one job each.
- Backoff: a transient failure waits max(Retry-After, min(interval, 5 min × 2^(failures−1)));
  a permanent one waits the normal interval (a person has to fix the spec).
- Vendor risk (shared by every organization, like the catalog) is `risk.vendor_risk` over every
  organization's recent signals about the vendor, one per observation, leaving out those every
  holder marked noise. Signals may RAISE a level an admin set by hand (the manual level is kept
  as a baseline), and when they calm down the level returns to that baseline, never below it:
  only an admin lowers a manual level.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, Organization
from apps.exposure.services import exposure_refresh
from apps.inventory.models import Dependency, Vendor
from apps.inventory.services import organization_vendor_risk_set
from apps.jobs.models import ImportJob
from apps.jobs.services import job_run_inline
from apps.watch import webhooks
from apps.watch.contract import KINDS, SEVERITIES, natural_key, signals_document
from apps.watch.models import AlertRule, Notification, Signal, Source
from apps.watch.risk import RECENT, vendor_risk
from apps.watch.runner import WatchOutcome, watch_sources
from apps.watch.sources import PollSettings, SourceError, SourceState, parse_spec

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=5)
# A claimed source is not claimed again for this long, even if its poll dies with the worker.
CLAIM_LEASE = timedelta(minutes=30)
DUE_BATCH = 200
INLINE_IMPORT_WAIT_SECONDS = 120


class SignalRejected(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['where']}: {e['message']}" for e in errors[:5]))


def watch_poll_settings() -> PollSettings:
    """Poll settings from the environment (HF_ENDPOINT, RISKBOARD_GITHUB_API, tokens), with any
    overrides in settings.RISKBOARD_WATCH_POLL (e.g. {"timeout": 5}) applied on top."""
    overrides = dict(getattr(settings, "RISKBOARD_WATCH_POLL", {}))
    return PollSettings.from_environment(**overrides)


# --- Sources ------------------------------------------------------------------------------------


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


# --- Signals ------------------------------------------------------------------------------------


def _parse_observed_at(value: str) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def signals_store(
    *, organization: Organization, signals: list[dict[str, Any]], job: ImportJob | None = None
) -> list[Signal]:
    """Store the signals the organization does not have yet (by natural key); then let them act.

    Returns the new rows. Call inside a transaction (the importer's): all of it lands or none.
    """
    vendors = {vendor.slug: vendor for vendor in Vendor.objects.all()}
    errors: list[dict[str, str]] = []
    rows: dict[str, Signal] = {}
    for index, item in enumerate(signals):
        try:
            observed_at = _parse_observed_at(item["observed_at"])
        except (KeyError, ValueError) as error:
            errors.append({"where": f"signals/{index}/observed_at", "message": str(error)})
            continue
        detail = item.get("detail") or {}
        key = item.get("key") or natural_key(item["source"], item["kind"], item["subject"], detail)
        vendor = vendors.get(item["vendor"]) or vendors.get("unknown")
        rows.setdefault(
            key,
            Signal(
                organization=organization,
                source_spec=item["source"][:500],
                kind=item["kind"],
                subject=item["subject"][:300],
                vendor=vendor,
                vendor_slug=item["vendor"],
                severity=item["severity"],
                observed_at=observed_at,
                detail=detail,
                key=key,
                job=job,
            ),
        )
    if errors:
        raise SignalRejected(errors)

    existing = set(
        Signal.objects.filter(organization=organization, key__in=rows).values_list("key", flat=True)
    )
    fresh = [row for key, row in rows.items() if key not in existing]
    if not fresh:
        return []
    sources = {
        source.spec: source
        for source in Source.objects.filter(
            Q(organization=organization) | Q(organization__isnull=True),
            spec__in={row.source_spec for row in fresh},
        ).order_by("organization_id")  # the organization's own source wins over a shared one
    }
    for row in fresh:
        row.source = sources.get(row.source_spec)
    Signal.objects.bulk_create(fresh, ignore_conflicts=True)
    # Rows another import inserted meanwhile were skipped by the conflict: keep only ours.
    created = list(
        Signal.objects.filter(organization=organization, key__in=[row.key for row in fresh])
        .filter(Q(job=job) if job else Q(job__isnull=True))
        .select_related("vendor")
        .order_by("observed_at", "id")
    )
    signals_take_effect(organization=organization, signals=created)
    return created


def signals_take_effect(*, organization: Organization, signals: list[Signal]) -> None:
    """New (or re-classified) signals move vendor risk and exposure, and new ones raise alerts."""
    if not signals:
        return
    vendor_ids = {signal.vendor_id for signal in signals if signal.vendor_id}
    moved = vendors_risk_refresh(organization=organization, vendor_ids=vendor_ids)
    # Vendors whose risk moved had this organization's dependent workflows refreshed already; the
    # others still need them refreshed for the `recent_signals` factor.
    _exposure_refresh_for_org_vendors(organization=organization, vendor_ids=vendor_ids - moved)
    alerts_raise(organization=organization, signals=[s for s in signals if s.status == Signal.Status.NEW])


def _exposure_refresh_for_org_vendors(*, organization: Organization, vendor_ids: set[int]) -> None:
    if not vendor_ids:
        return
    workflow_ids = (
        Dependency.objects.filter(workflow__organization=organization, model__vendor_id__in=vendor_ids)
        .values_list("workflow_id", flat=True)
        .distinct()
    )
    exposure_refresh(workflow_ids=list(workflow_ids))


@transaction.atomic
def signal_record(
    *,
    organization: Organization,
    user: AbstractBaseUser,
    kind: str,
    subject: str,
    vendor: Vendor,
    severity: str,
    observed_at: datetime,
    note: str = "",
    url: str = "",
) -> Signal:
    """An editor records what they read about (a leadership change, a roadmap announcement…)."""
    detail = {key: value for key, value in (("note", note.strip()), ("url", url.strip())) if value}
    key = natural_key("manual", kind, subject.strip(), {"day": observed_at.date().isoformat(), **detail})
    signal = Signal(
        organization=organization,
        source_spec="manual",
        kind=kind,
        subject=subject.strip(),
        vendor=vendor,
        vendor_slug=vendor.slug,
        severity=severity,
        observed_at=observed_at,
        detail=detail,
        key=key,
        recorded_by=user,
    )
    if kind not in KINDS or severity not in SEVERITIES:
        raise ValidationError("Unknown kind or severity.")
    if Signal.objects.filter(organization=organization, key=key).exists():
        raise ValidationError("This signal is already recorded.")
    signal.full_clean()
    signal.save()
    signals_take_effect(organization=organization, signals=[signal])
    return signal


@transaction.atomic
def signal_set_status(*, signal: Signal, status: str, user: AbstractBaseUser) -> Signal:
    """Acknowledge a signal, or mark it noise (which takes it out of risk and exposure)."""
    if status not in Signal.Status.values:
        raise ValidationError(f"{status!r} is not a signal status.")
    was_noise = signal.status == Signal.Status.NOISE
    signal.status = status
    signal.status_changed_by = user
    signal.save(update_fields=["status", "status_changed_by"])
    if was_noise != (status == Signal.Status.NOISE) and signal.vendor_id:
        moved = vendors_risk_refresh(organization=signal.organization, vendor_ids={signal.vendor_id})
        _exposure_refresh_for_org_vendors(
            organization=signal.organization, vendor_ids={signal.vendor_id} - moved
        )
    return signal


# --- Vendor risk --------------------------------------------------------------------------------


def vendors_risk_refresh(
    *, organization: Organization, vendor_ids: set[int], now: datetime | None = None
) -> set[int]:
    """Re-assess each vendor from this organization's recent signals; returns the ids whose risk moved.

    The level applies to this organization only (`OrganizationVendorRisk`): the catalog's shared level
    is staff's, so no tenant's signals (or hand-recorded ones) can move another tenant's exposure.
    Signals only raise the catalog level; when they calm down the organization is back on it.
    """
    now = now or timezone.now()
    moved = set()
    for vendor in Vendor.objects.filter(pk__in=vendor_ids):
        assessment = vendor_risk(vendor.slug, _risk_signals_of(organization, vendor, now=now), now=now)
        reason = f"From monitoring signals: {assessment.reason}"
        if organization_vendor_risk_set(
            organization=organization, vendor=vendor, risk_level=assessment.level, reason=reason
        ):
            moved.add(vendor.pk)
    return moved


def _risk_signals_of(organization: Organization, vendor: Vendor, *, now: datetime) -> list[dict[str, Any]]:
    """The organization's recent signals about the vendor that it did not mark noise, as contract dicts."""
    rows = (
        Signal.objects.filter(organization=organization, vendor=vendor, observed_at__gte=now - RECENT)
        .exclude(status=Signal.Status.NOISE)
        .order_by("observed_at", "id")
    )
    return [{**row.as_contract(), "vendor": vendor.slug} for row in rows]


# --- Alerts -------------------------------------------------------------------------------------


def alert_rule_save(*, rule: AlertRule, rotate_secret: bool = False) -> tuple[AlertRule, str | None]:
    """Save a rule; returns (rule, secret) where secret is set only when one was just generated.

    The webhook secret is shown once, when it is created or rotated.
    """
    new_secret = None
    if rule.notify_webhook and (rotate_secret or not rule.webhook_secret):
        rule.webhook_secret = new_secret = webhooks.generate_secret()
    if not rule.notify_webhook:
        rule.webhook_secret = ""
    rule.full_clean()
    if rule.notify_webhook and not rule.webhook_url:
        raise ValidationError({"webhook_url": "A webhook rule needs a URL."})
    if rule.notify_email and not (rule.recipients or rule.email_roles):
        raise ValidationError({"email_recipients": "Name at least one address or role to email."})
    rule.save()
    return rule, new_secret


def alert_rule_delete(*, rule: AlertRule) -> None:
    rule.delete()


def alerts_raise(*, organization: Organization, signals: list[Signal]) -> list[Notification]:
    """Turn new signals into notifications per matching rule; email and webhooks go out on commit."""
    if not signals:
        return []
    rules = list(AlertRule.objects.filter(organization=organization, enabled=True))
    if not rules:
        return []
    member_ids = list(Membership.objects.filter(organization=organization).values_list("user_id", flat=True))
    notifications: list[Notification] = []
    for rule in rules:
        outbound = (
            Notification.Status.DIGEST
            if rule.delivery == rule.Delivery.WEEKLY
            else Notification.Status.PENDING
        )
        for signal in signals:
            if not rule.matches(signal):
                continue
            if rule.notify_inbox:
                notifications += [
                    Notification(
                        organization=organization,
                        rule=rule,
                        user_id=user_id,
                        signal=signal,
                        channel=Notification.Channel.INBOX,
                        status=Notification.Status.SENT,
                        delivered_at=timezone.now(),
                    )
                    for user_id in member_ids
                ]
            for channel, wanted in (
                (Notification.Channel.EMAIL, rule.notify_email),
                (Notification.Channel.WEBHOOK, rule.notify_webhook),
            ):
                if wanted:
                    notifications.append(
                        Notification(
                            organization=organization,
                            rule=rule,
                            signal=signal,
                            channel=channel,
                            status=outbound,
                        )
                    )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    pending = list(
        Notification.objects.filter(
            signal__in=signals,
            status=Notification.Status.PENDING,
            channel__in=[Notification.Channel.EMAIL, Notification.Channel.WEBHOOK],
        ).values_list("pk", "channel")
    )
    for notification_id, channel in pending:
        transaction.on_commit(lambda pk=notification_id, ch=channel: _queue_delivery(pk, ch), robust=True)
    return notifications


def _queue_delivery(notification_id: int, channel: str) -> None:
    from apps.watch.tasks import deliver_webhook, send_email

    task = deliver_webhook if channel == Notification.Channel.WEBHOOK else send_email
    task.delay(notification_id)


def _signal_url(signal: Signal) -> str:
    base = getattr(settings, "RISKBOARD_BASE_URL", "").rstrip("/")
    return (
        base + reverse("watch:index", kwargs={"org_slug": signal.organization.slug}) + f"?kind={signal.kind}"
    )


def _signal_line(signal: Signal) -> str:
    from apps.watch.risk import describe

    return describe(signal.as_contract())


def rule_email_recipients(*, rule: AlertRule) -> list[str]:
    addresses = list(rule.recipients)
    if rule.email_roles:
        addresses += [
            email
            for email in Membership.objects.filter(
                organization=rule.organization_id, role__in=rule.email_roles
            ).values_list("user__email", flat=True)
            if email
        ]
    return sorted(set(addresses))


def notification_send_email(*, notification_id: int, final: bool = True) -> Notification | None:
    """Send one email alert. On a mail server error the attempt and the error are recorded, and the
    error is raised again for the task to retry; the `final` attempt marks the notification failed."""
    notification = (
        Notification.objects.select_related("rule", "signal__organization", "organization")
        .filter(pk=notification_id, channel=Notification.Channel.EMAIL)
        .first()
    )
    if notification is None or notification.status != Notification.Status.PENDING:
        return notification  # already sent (a task delivered twice), or waiting for the digest
    signal = notification.signal
    recipients = rule_email_recipients(rule=notification.rule)
    notification.attempts += 1
    if not recipients:
        notification.status, notification.error = Notification.Status.FAILED, "no recipients"
        notification.save(update_fields=["status", "error", "attempts"])
        return notification
    message = EmailMessage(
        subject=f"[Riskboard] {signal.severity}: {signal.kind.replace('_', ' ')} · {signal.subject}",
        body=(
            f"{_signal_line(signal)}\n\nRule: {notification.rule.name}\n"
            f"Organization: {notification.organization.name}\n\nSee the signals: {_signal_url(signal)}\n"
        ),
        to=recipients,
    )
    try:
        message.send()
    except OSError as error:
        notification.error = f"{error.__class__.__name__}: {error}"[:500]
        if final:
            notification.status = Notification.Status.FAILED
        notification.save(update_fields=["status", "error", "attempts"])
        raise
    notification.status, notification.delivered_at, notification.error = (
        Notification.Status.SENT,
        timezone.now(),
        "",
    )
    notification.save(update_fields=["status", "delivered_at", "error", "attempts"])
    return notification


def _webhook_backoff() -> float:
    return float(getattr(settings, "RISKBOARD_WEBHOOK_BACKOFF_SECONDS", 1.0))


def notification_deliver_webhook(*, notification_id: int, final: bool = True) -> Notification | None:
    """POST the signal to the rule's webhook, signed; retried inside with backoff.

    The message id is the notification's, so every retry (here or by the task) is the same message.
    When it still fails and `final` is False, the status stays PENDING for the task to retry later.
    """
    notification = (
        Notification.objects.select_related("rule", "signal__organization")
        .filter(pk=notification_id, channel=Notification.Channel.WEBHOOK)
        .first()
    )
    if notification is None or notification.status != Notification.Status.PENDING:
        return notification
    rule, signal = notification.rule, notification.signal
    payload = webhooks.event_payload(
        "signal.created",
        {**signal.as_contract(), "organization": signal.organization.slug, "rule": rule.name},
        now=timezone.now(),
    )
    result = webhooks.deliver(
        rule.webhook_url,
        payload,
        secret=rule.webhook_secret,
        msg_id=notification.msg_id,
        max_attempts=3,
        backoff_base=_webhook_backoff(),
    )
    notification.attempts += result.attempts
    notification.error = result.error or ""
    if result.delivered:
        notification.status, notification.delivered_at = Notification.Status.SENT, timezone.now()
    elif final or not _worth_retrying(result):
        notification.status = Notification.Status.FAILED
    notification.save(update_fields=["attempts", "error", "status", "delivered_at"])
    return notification


def _worth_retrying(result: webhooks.DeliveryResult) -> bool:
    return result.retryable


def digests_send(*, now: datetime | None = None) -> int:
    """Bundle every notification waiting for the weekly digest into one email and one webhook per rule."""
    now = now or timezone.now()
    sent = 0
    rule_ids = (
        Notification.objects.filter(status=Notification.Status.DIGEST)
        .values_list("rule_id", flat=True)
        .distinct()
    )
    for rule in AlertRule.objects.filter(pk__in=list(rule_ids)).select_related("organization"):
        for channel in (Notification.Channel.EMAIL, Notification.Channel.WEBHOOK):
            waiting = list(
                Notification.objects.filter(rule=rule, channel=channel, status=Notification.Status.DIGEST)
                .select_related("signal__organization")
                .order_by("signal__observed_at", "pk")
            )
            if not waiting:
                continue
            delivered, error = _send_digest(rule=rule, channel=channel, notifications=waiting, now=now)
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                status=Notification.Status.SENT if delivered else Notification.Status.FAILED,
                delivered_at=now if delivered else None,
                error=error,
                attempts=1,
            )
            sent += int(delivered)
    return sent


def _send_digest(
    *, rule: AlertRule, channel: str, notifications: list[Notification], now: datetime
) -> tuple[bool, str]:
    signals = [notification.signal for notification in notifications]
    if channel == Notification.Channel.EMAIL:
        recipients = rule_email_recipients(rule=rule)
        if not recipients:
            return False, "no recipients"
        lines = "\n".join(f"- {_signal_line(signal)}" for signal in signals)
        EmailMessage(
            subject=f"[Riskboard] Weekly digest: {len(signals)} signal{'s' if len(signals) != 1 else ''}",
            body=f"Signals matching “{rule.name}” for {rule.organization.name} this week:\n\n{lines}\n",
            to=recipients,
        ).send()
        return True, ""
    payload = webhooks.event_payload(
        "signals.digest",
        {
            "organization": rule.organization.slug,
            "rule": rule.name,
            "signals": [signal.as_contract() for signal in signals],
        },
        now=now,
    )
    result = webhooks.deliver(
        rule.webhook_url,
        payload,
        secret=rule.webhook_secret,
        msg_id=f"riskboard-digest-{rule.pk}-{notifications[-1].pk}",
        backoff_base=_webhook_backoff(),
    )
    return result.delivered, result.error or ""


def inbox_mark_read(
    *, user: AbstractBaseUser, organization: Organization, notification_id: int | None = None
) -> int:
    notifications = Notification.objects.filter(
        user=user, organization=organization, channel=Notification.Channel.INBOX, read_at__isnull=True
    )
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())
