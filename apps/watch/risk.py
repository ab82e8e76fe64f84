"""A vendor's risk level from its recent signals. Pure rules over plain signal dicts.

    assessment = vendor_risk("alibaba", signals, now=now)
    assessment.level   # "high" | "medium" | "low"
    assessment.reason  # "license_change Qwen/Qwen3-8B apache-2.0 → other (critical, 2026-11-29)"

The rules, in order (the first that matches decides):
1. Only the vendor's signals observed within `RECENT` (180 days) count. The caller leaves out
   signals an editor marked as noise.
2. A cadence_slip followed by a new_release of the same source no longer counts: the vendor
   shipped again. (This is how a signal *lowers* risk.)
3. HIGH when a signal says the vendor changed course: a critical license_change (a license
   became restricted or proprietary), any leadership_change, a repo_archived, or a critical
   deprecation (the model goes away within 30 days).
4. HIGH also when `COMPOUNDING_KINDS` or more *different* kinds of medium signal pile up: one
   late release is a wobble, a late release plus a price rise plus a license tweak is a trend.
5. MEDIUM for any one medium signal: cadence_slip, any other license_change except one that
   makes the license less restrictive (info), a price rise (price_change warning or critical),
   a deprecation within the 90-day horizon, or any other critical signal.
6. LOW otherwise (nothing, or only informational signals: new releases, news, price cuts).

The reason names every signal behind the level, most severe first, so the workflow page can
say which signal moved its exposure.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from apps.common.vocab import SEVERITY_RANK

RiskLevel = Literal["high", "medium", "low"]

RECENT = timedelta(days=180)
COMPOUNDING_KINDS = 3

SignalLike = Mapping[str, Any]


@dataclass(frozen=True)
class RiskAssessment:
    vendor: str
    level: RiskLevel
    reason: str
    signals: tuple[SignalLike, ...]  # the signals behind the level, most severe first


def is_course_change(signal: SignalLike) -> bool:
    kind, severity = signal["kind"], signal["severity"]
    return (
        kind in ("leadership_change", "repo_archived")
        or (kind == "license_change" and severity == "critical")
        or (kind == "deprecation" and severity == "critical")
    )


def is_medium(signal: SignalLike) -> bool:
    kind, severity = signal["kind"], signal["severity"]
    if kind in ("cadence_slip", "deprecation"):
        return True
    if kind in ("license_change", "price_change"):
        return severity in ("warning", "critical")
    return severity == "critical"


def vendor_risk(vendor: str, signals: Iterable[SignalLike], *, now: datetime) -> RiskAssessment:
    recent = [
        signal for signal in signals if signal["vendor"] == vendor and now - _observed_at(signal) <= RECENT
    ]
    recent = _without_resolved_slips(recent)

    course_changes = _most_severe_first(signal for signal in recent if is_course_change(signal))
    if course_changes:
        return _assessment(vendor, "high", course_changes)
    mediums = _most_severe_first(signal for signal in recent if is_medium(signal))
    if len({signal["kind"] for signal in mediums}) >= COMPOUNDING_KINDS:
        return _assessment(vendor, "high", mediums, prefix="several warning signs: ")
    if mediums:
        return _assessment(vendor, "medium", mediums)
    if recent:
        return RiskAssessment(vendor, "low", f"only informational signals in the last {RECENT.days} days", ())
    return RiskAssessment(vendor, "low", f"no signals in the last {RECENT.days} days", ())


def vendor_risks(signals: Iterable[SignalLike], *, now: datetime) -> dict[str, RiskAssessment]:
    """Every vendor that has signals → its assessment."""
    signals = list(signals)
    return {vendor: vendor_risk(vendor, signals, now=now) for vendor in {s["vendor"] for s in signals}}


def describe(signal: SignalLike) -> str:
    """One line a person can read: kind, subject, what changed, severity and day."""
    detail = signal.get("detail") or {}
    change = f" {detail['from']} → {detail['to']}" if "from" in detail and "to" in detail else ""
    if signal["kind"] == "price_change":
        change = ""  # its from/to are per-field maps; the subject and severity say enough here
    day = str(signal["observed_at"])[:10]
    return f"{signal['kind']} {signal['subject']}{change} ({signal['severity']}, {day})"


def _assessment(
    vendor: str, level: RiskLevel, signals: list[SignalLike], *, prefix: str = ""
) -> RiskAssessment:
    return RiskAssessment(vendor, level, prefix + "; ".join(describe(s) for s in signals), tuple(signals))


def _without_resolved_slips(signals: list[SignalLike]) -> list[SignalLike]:
    latest_release: dict[str, datetime] = {}
    for signal in signals:
        if signal["kind"] == "new_release":
            moment = _observed_at(signal)
            latest_release[signal["source"]] = max(moment, latest_release.get(signal["source"], moment))
    return [
        signal
        for signal in signals
        if not (
            signal["kind"] == "cadence_slip"
            and signal["source"] in latest_release
            and latest_release[signal["source"]] >= _observed_at(signal)
        )
    ]


def _most_severe_first(signals: Iterable[SignalLike]) -> list[SignalLike]:
    newest_first = sorted(signals, key=_observed_at, reverse=True)
    return sorted(newest_first, key=lambda s: -SEVERITY_RANK.get(s["severity"], -1))


def _observed_at(signal: SignalLike) -> datetime:
    value = signal["observed_at"]
    if isinstance(value, datetime):  # a model instance's field, when the lead passes rows
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
