"""An archive copy that fails its re-hash reaches people through the watch app's alert rules.

The failure is stored as a watch `Signal` of kind `archive_unverified` (no vendor: it must not move a
vendor's risk or the `recent_signals` exposure factor; the archive factor already drops the copy) and
handed to `alerts_raise`, so every rule that wants that kind (or any kind) at critical severity
notifies through its inbox, email or webhook. One alert per copy, status and bad files per day.
"""

from datetime import datetime

from apps.archive.models import Copy
from apps.watch.contract import natural_key
from apps.watch.models import Signal
from apps.watch.services.alerts import alerts_raise

KIND = "archive_unverified"


def copy_alert_raise(*, copy: Copy, now: datetime, reason: str = "") -> Signal | None:
    artifact = copy.artifact
    source = f"archive:{copy.location.url}"[:500]
    subject = f"{artifact.source}@{artifact.revision[:12]} at {copy.location.name}"[:300]
    detail = {
        "status": copy.status,
        "copy": copy.url,
        "bad_files": copy.bad_files[:50],
        **({"reason": reason} if reason else {}),
    }
    key = natural_key(source, KIND, subject, {"day": now.date().isoformat(), **detail})
    if Signal.objects.filter(organization_id=artifact.organization_id, key=key).exists():
        return None
    signal = Signal.objects.create(
        organization_id=artifact.organization_id,
        source_spec=source,
        kind=KIND,
        subject=subject,
        vendor=None,
        vendor_slug="archive",
        severity="critical",
        observed_at=now,
        detail=detail,
        key=key,
    )
    alerts_raise(organization=artifact.organization, signals=[signal])
    return signal
