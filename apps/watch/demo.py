"""Demo monitoring: the sources the article says to watch, and the events it reports, recorded by hand."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.accounts.models import Organization
from apps.inventory.models import Vendor
from apps.watch.models import AlertRule, Signal
from apps.watch.services.alerts import alert_rule_save
from apps.watch.services.signals import signal_record
from apps.watch.services.sources import source_for_spec

SOURCES = ("hf:Qwen", "github:QwenLM/Qwen3", "hf:meta-llama", "hf:mistralai")

# kind, subject, vendor, severity, observed, note
ARTICLE_EVENTS = (
    (
        "leadership_change",
        "Qwen technical lead Junyang Lin steps down",
        "alibaba",
        "warning",
        datetime(2026, 3, 4, 18, 0, tzinfo=UTC),
        "Binyuan Hui and Kaixin Li also left, a day after the Qwen3.5 small-model release.",
    ),
    (
        "leadership_change",
        "Hao Zhou (ex-Gemini, Google DeepMind) appointed to lead Qwen",
        "alibaba",
        "warning",
        datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
        "Observers expect a shift from research-first to metric-driven, possibly more API-only releases.",
    ),
    (
        "new_release",
        "Qwen3.5 small models (0.8B–9B) released under Apache 2.0",
        "alibaba",
        "info",
        datetime(2026, 3, 3, 12, 0, tzinfo=UTC),
        "",
    ),
)


@transaction.atomic
def seed_watch(organizations: dict[str, Organization]) -> None:
    recorder = get_user_model().objects.filter(username="demo").first()
    for organization in organizations.values():
        # Rules first, so the events below already reach the inbox.
        if not AlertRule.objects.filter(organization=organization).exists():
            alert_rule_save(
                rule=AlertRule(
                    organization=organization,
                    name="Leadership: weekly digest of warnings",
                    min_severity="warning",
                    notify_inbox=True,
                    notify_email=True,
                    email_roles=["viewer"],
                    delivery=AlertRule.Delivery.WEEKLY,
                    created_by=recorder,
                )
            )
            alert_rule_save(
                rule=AlertRule(
                    organization=organization,
                    name="Ops: critical signals about Qwen, at once",
                    min_severity="critical",
                    vendor=Vendor.objects.get(slug="alibaba"),
                    notify_inbox=True,
                    notify_email=True,
                    email_roles=["editor", "admin"],
                    created_by=recorder,
                )
            )
        for spec in SOURCES:
            source_for_spec(organization=organization, spec=spec)
        for kind, subject, vendor_slug, severity, observed_at, note in ARTICLE_EVENTS:
            if Signal.objects.filter(organization=organization, subject=subject).exists():
                continue
            signal_record(
                organization=organization,
                user=recorder,
                kind=kind,
                subject=subject,
                vendor=Vendor.objects.get(slug=vendor_slug),
                severity=severity,
                observed_at=observed_at,
                note=note,
            )
