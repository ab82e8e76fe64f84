"""Signals and rules for the watch tests, built the way the app builds them."""

import json
from datetime import datetime

from django.utils import timezone

from apps.common.secrets import encrypt_secret
from apps.jobs.services import job_run, job_submit
from apps.watch.contract import format_timestamp, make_signal
from apps.watch.models import AlertRule, Signal


def contract_signal(
    *,
    kind: str = "license_change",
    subject: str = "meta-llama/Llama-3.1-8B-Instruct",
    vendor: str = "meta",
    severity: str = "critical",
    source: str = "hf:meta-llama",
    detail: dict | None = None,
    observed_at: datetime | None = None,
) -> dict:
    detail = {"from": "llama3.1", "to": "other"} if detail is None else detail
    return make_signal(
        source=source,
        kind=kind,
        subject=subject,
        vendor=vendor,
        severity=severity,
        observed_at=observed_at or timezone.now(),
        detail=detail,
        salient=detail,
    )


def import_signals(organization, signals: list[dict], *, source: str = "api"):
    """Push a signals document through the real job pipeline and import it now."""
    payload = json.dumps({"schema": "riskboard.signals/1", "signals": signals}).encode()
    job, _ = job_submit(organization=organization, kind="signals", payload=payload, source=source)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def stored_signal(organization, **fields) -> Signal:
    import_signals(organization, [contract_signal(**fields)])
    return Signal.objects.filter(organization=organization).latest("id")


def alert_rule(organization, **fields) -> AlertRule:
    defaults = {"name": "Vendor changes course", "min_severity": "warning"}
    if "webhook_secret" in fields:  # stored encrypted, as the service stores it
        fields["webhook_secret_encrypted"] = encrypt_secret(fields.pop("webhook_secret"))
    return AlertRule.objects.create(organization=organization, **{**defaults, **fields})


__all__ = ["alert_rule", "contract_signal", "format_timestamp", "import_signals", "stored_signal"]
