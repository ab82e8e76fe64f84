"""The `riskboard.signals/1` contract (docs/contracts.md): the shape of a signal and its natural key.

A signal is a plain dict so it can go straight into the JSON document, an ImportJob payload or a
webhook body. Fields beyond the contract are only ever added, never renamed: `key` is ours.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, TypedDict

from apps.common.vocab import Severity, SignalKind

SCHEMA = "riskboard.signals/1"


class Signal(TypedDict):
    source: str
    kind: SignalKind
    subject: str
    vendor: str
    severity: Severity
    observed_at: str
    detail: dict[str, Any]
    key: str


def format_timestamp(moment: datetime) -> str:
    """`2026-11-29T10:00:00Z`: UTC, whole seconds, the way the contract spells times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def natural_key(source: str, kind: str, subject: str, salient: object) -> str:
    """sha256 of what makes an observation the same one, so a second sighting is a no-op.

    `salient` is the part of the detail that distinguishes two observations of one subject
    (the new license, the new price, the deprecation date…), never the time it was seen.
    """
    salient_text = json.dumps(salient, sort_keys=True, separators=(",", ":"), default=str)
    material = "|".join((source, kind, subject, salient_text))
    return hashlib.sha256(material.encode()).hexdigest()


def make_signal(
    *,
    source: str,
    kind: SignalKind,
    subject: str,
    vendor: str,
    severity: Severity,
    observed_at: datetime,
    detail: dict[str, Any],
    salient: object,
) -> Signal:
    return Signal(
        source=source,
        kind=kind,
        subject=subject,
        vendor=vendor,
        severity=severity,
        observed_at=format_timestamp(observed_at),
        detail=detail,
        key=natural_key(source, kind, subject, salient),
    )


def signals_document(signals: list[Signal]) -> dict[str, Any]:
    """The JSON document `watch --json` prints and `POST /api/v1/ingest/signals` accepts."""
    return {"schema": SCHEMA, "signals": list(signals)}
