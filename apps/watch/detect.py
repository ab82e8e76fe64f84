"""From two snapshots of a source to the signals between them. Pure: no I/O, no clock, no database.

    signals = detect(source="hf:Qwen", previous=old_snapshot_or_None, current=new_snapshot, now=now)

No change, no signal: identical snapshots always give `[]`. Conditions that last (a cadence
slip, an approaching deprecation, an archived repository) are reported when they *start*, i.e.
when they hold at `now` but did not at the previous snapshot's `taken_at`, so polling a slipping
vendor every hour does not repeat itself. Each signal also carries a natural `key`
(contract.natural_key) so a repeated import of the same observation stays one signal.

The first poll of a source (previous is None) is a *baseline*. It reports what is true now and
worth knowing: a cadence slip already under way, deprecations inside the horizon, an archived
repository, and feed items published in the last `BASELINE_NEWS_WINDOW`. It does not report the
source's history: no new_release for models that already exist, no license or price "change".

Severity rules:
- new_release: info.
- license_change: critical when the license becomes RESTRICTED or PROPRIETARY from something
  less restrictive; info when it becomes less restrictive; warning otherwise (same tier, only
  the name or link changed, or an unknown side). A new release whose license is more
  restrictive than its family's usual one (the most common license among the family's earlier
  models) is a license_change with the same rule.
- cadence_slip: warning (see cadence.py for the threshold).
- price_change: critical when a price rises by PRICE_JUMP_PERCENT or more (or from 0), warning
  for a smaller rise, info for a fall.
- deprecation: critical within DEPRECATION_URGENT of the date (or past it), warning within
  DEPRECATION_HORIZON.
- repo_archived: critical.
- leadership_change: warning; news: info.
"""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apps.common.vendors import FAMILY_PREFIXES
from apps.common.vocab import Severity
from apps.watch import cadence, news
from apps.watch.contract import Signal, format_timestamp, make_signal
from apps.watch.licenses import License, Restrictiveness, restrictiveness
from apps.watch.sources.prices import vendor_of_priced_model

Snapshot = dict[str, Any]

BASELINE_NEWS_WINDOW = timedelta(days=7)
DEPRECATION_HORIZON = timedelta(days=90)
DEPRECATION_URGENT = timedelta(days=30)
# A deprecation further in the past than this is history, not news (the map keeps old dates).
DEPRECATION_STALE = timedelta(days=30)
PRICE_JUMP_PERCENT = 20.0
PRICE_FIELDS = ("input_cost_per_token", "output_cost_per_token")


def detect(*, source: str, previous: Snapshot | None, current: Snapshot, now: datetime) -> list[Signal]:
    if previous is not None and previous.get("kind") != current["kind"]:
        previous = None  # a source whose kind changed starts over
    detector = DETECTORS[current["kind"]]
    return detector(source, previous, current, now)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


# --- Hugging Face organizations ----------------------------------------------------------------


def detect_hf(source: str, previous: Snapshot | None, current: Snapshot, now: datetime) -> list[Signal]:
    signals: list[Signal] = []
    old_models = previous["models"] if previous else {}
    new_models = current["models"]
    emit = _emitter(source, now)

    def vendor_of(model: dict[str, Any]) -> str:
        if current["vendor"] != "unknown" or not model.get("family"):
            return current["vendor"]
        return _family_vendor(model["family"])

    if previous is not None:
        for model_id in sorted(new_models.keys() - old_models.keys()):
            model = new_models[model_id]
            signals.append(
                emit(
                    kind="new_release",
                    subject=model_id,
                    vendor=vendor_of(model),
                    severity="info",
                    detail={
                        "created_at": model["created_at"],
                        "family": model["family"],
                        **_license(model).as_dict(),
                    },
                    salient=model_id,
                )
            )
            if signal := _more_restrictive_than_family(emit, model_id, model, old_models, vendor_of(model)):
                signals.append(signal)

        for model_id in sorted(new_models.keys() & old_models.keys()):
            before, after = _license(old_models[model_id]), _license(new_models[model_id])
            if before != after:
                detail = _license_change_detail(before, after)
                signals.append(
                    emit(
                        kind="license_change",
                        subject=model_id,
                        vendor=vendor_of(new_models[model_id]),
                        severity=_license_change_severity(before, after),
                        detail=detail,
                        salient=[before.as_dict(), after.as_dict()],
                    )
                )

    def dates(snapshot: Snapshot) -> list[datetime | None]:
        return [parse_time(model["created_at"]) for model in snapshot["models"].values()]

    signals += _cadence_slip(emit, current["org"], current["vendor"], dates, previous, current, now)
    return signals


_FAMILY_VENDORS = dict(FAMILY_PREFIXES.values())  # family → vendor


def _family_vendor(family: str) -> str:
    return _FAMILY_VENDORS.get(family, "unknown")


def _license(model: dict[str, Any]) -> License:
    return License.from_dict(model)


def _usual_license(models: list[dict[str, Any]]) -> License | None:
    known = [_license(model) for model in models if _license(model).is_known]
    if not known:
        return None
    counts = Counter(known)
    # Ties go to the least restrictive, so a family split between two licenses still flags a
    # release under the stricter one.
    return max(counts, key=lambda lic: (counts[lic], -(restrictiveness(lic) or 0)))


def _more_restrictive_than_family(
    emit: Callable[..., Signal], model_id: str, model: dict[str, Any], old_models: dict[str, Any], vendor: str
) -> Signal | None:
    family = model.get("family")
    if not family:
        return None
    usual = _usual_license([other for other in old_models.values() if other.get("family") == family])
    new = _license(model)
    if usual is None:
        return None
    usual_rank, new_rank = restrictiveness(usual), restrictiveness(new)
    if usual_rank is None or new_rank is None or new_rank <= usual_rank:
        return None
    detail = _license_change_detail(usual, new) | {
        "reason": "new_release_more_restrictive_than_family",
        "family": family,
    }
    return emit(
        kind="license_change",
        subject=model_id,
        vendor=vendor,
        severity=_license_change_severity(usual, new),
        detail=detail,
        salient=["family", usual.as_dict(), new.as_dict()],
    )


def _license_change_detail(before: License, after: License) -> dict[str, Any]:
    """`from`/`to` are the license ids as in the contract's example; the rest says what else moved."""
    old_rank, new_rank = restrictiveness(before), restrictiveness(after)
    return {
        "from": before.id,
        "to": after.id,
        "from_license_name": before.name,
        "to_license_name": after.name,
        "from_license_link": before.link,
        "to_license_link": after.link,
        "from_restrictiveness": old_rank.name.lower() if old_rank is not None else None,
        "to_restrictiveness": new_rank.name.lower() if new_rank is not None else None,
    }


def _license_change_severity(before: License, after: License) -> Severity:
    old_rank, new_rank = restrictiveness(before), restrictiveness(after)
    if old_rank is None or new_rank is None or old_rank == new_rank:
        return "warning"
    if new_rank < old_rank:
        return "info"
    return "critical" if new_rank >= Restrictiveness.RESTRICTED else "warning"


# --- GitHub repositories ------------------------------------------------------------------------


def detect_github(source: str, previous: Snapshot | None, current: Snapshot, now: datetime) -> list[Signal]:
    signals: list[Signal] = []
    repo, vendor = current["repo"], current["vendor"]
    emit = _emitter(source, now)

    if previous is not None:
        for tag in sorted(current["releases"].keys() - previous["releases"].keys()):
            release = current["releases"][tag]
            signals.append(
                emit(
                    kind="new_release",
                    subject=f"{repo}@{tag}",
                    vendor=vendor,
                    severity="info",
                    detail={"tag": tag, **release},
                    salient=tag,
                )
            )
        before, after = License.from_dict(previous["license"]), License.from_dict(current["license"])
        if before != after:
            signals.append(
                emit(
                    kind="license_change",
                    subject=repo,
                    vendor=vendor,
                    severity=_license_change_severity(before, after),
                    detail=_license_change_detail(before, after),
                    salient=[before.as_dict(), after.as_dict()],
                )
            )

    if current["archived"] and not (previous and previous["archived"]):
        signals.append(
            emit(
                kind="repo_archived",
                subject=repo,
                vendor=vendor,
                severity="critical",
                detail={},
                salient="archived",
            )
        )

    def dates(snapshot: Snapshot) -> list[datetime | None]:
        releases = snapshot["releases"].values()
        return [parse_time(release["published_at"]) for release in releases if not release["prerelease"]]

    signals += _cadence_slip(emit, repo, vendor, dates, previous, current, now)
    return signals


# --- Release cadence (both kinds) ---------------------------------------------------------------


def _cadence_slip(
    emit: Callable[..., Signal],
    subject: str,
    vendor: str,
    release_dates: Callable[[Snapshot], list[datetime | None]],
    previous: Snapshot | None,
    current: Snapshot,
    now: datetime,
) -> list[Signal]:
    rhythm = cadence.cadence_of(d for d in release_dates(current) if d)
    if rhythm is None or not rhythm.is_slipping(now):
        return []
    if previous is not None and (previous_taken_at := parse_time(previous.get("taken_at"))):
        before = cadence.cadence_of(d for d in release_dates(previous) if d)
        if (
            before is not None
            and before.latest_release == rhythm.latest_release
            and before.is_slipping(previous_taken_at)
        ):
            return []  # the same slip, already reported
    return [
        emit(
            kind="cadence_slip",
            subject=subject,
            vendor=vendor,
            severity="warning",
            detail={
                "last_release": format_timestamp(rhythm.latest_release),
                "days_since_last_release": _days(now - rhythm.latest_release),
                "median_interval_days": _days(rhythm.median_interval),
                "threshold_days": _days(rhythm.slip_threshold),
                "slip_multiple": cadence.SLIP_MULTIPLE,
                "releases_considered": min(len(rhythm.release_starts), cadence.CADENCE_WINDOW),
            },
            salient=rhythm.latest_release.isoformat(),
        )
    ]


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 1)


# --- Feeds -------------------------------------------------------------------------------------


def detect_feed(source: str, previous: Snapshot | None, current: Snapshot, now: datetime) -> list[Signal]:
    emit = _emitter(source, now)
    old_items = previous["items"] if previous else {}
    signals = []
    for item_id, item in current["items"].items():
        if item_id in old_items:
            continue
        published = parse_time(item["published"])
        if previous is None and (published is None or now - published > BASELINE_NEWS_WINDOW):
            continue
        kind = news.classify_item(item["title"], item["summary"])
        signals.append(
            emit(
                kind=kind,
                subject=item["title"][:200] or item_id,
                vendor=news.vendor_of_item(item["title"], item["summary"]),
                severity="warning" if kind == "leadership_change" else "info",
                detail={
                    "id": item_id,
                    "title": item["title"],
                    "link": item["link"],
                    "published": item["published"],
                },
                salient=item_id,
            )
        )
    return signals


# --- Price maps --------------------------------------------------------------------------------


def detect_prices(source: str, previous: Snapshot | None, current: Snapshot, now: datetime) -> list[Signal]:
    emit = _emitter(source, now)
    signals = []
    old_models = previous["models"] if previous else {}
    for name, model in sorted(current["models"].items()):
        vendor = vendor_of_priced_model(name, model.get("provider"))
        if (old := old_models.get(name)) and (change := _price_change(old, model)):
            signals.append(emit(kind="price_change", subject=name, vendor=vendor, **change))
        if deprecation := _deprecation(name, old, model, previous, now):
            signals.append(emit(kind="deprecation", subject=name, vendor=vendor, **deprecation))
    return signals


def _price_change(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    # Only a known price that becomes another known price is a change; null means unknown.
    moved = [
        field
        for field in PRICE_FIELDS
        if old.get(field) is not None and new.get(field) is not None and old[field] != new[field]
    ]
    if not moved:
        return None
    percents = {field: _percent(old[field], new[field]) for field in moved}
    rises = [p for field, p in percents.items() if new[field] > old[field]]
    if any(p is None or p >= PRICE_JUMP_PERCENT for p in rises):
        severity: Severity = "critical"
    else:
        severity = "warning" if rises else "info"
    before = {field: old[field] for field in moved}
    after = {field: new[field] for field in moved}
    return {
        "severity": severity,
        "detail": {"from": before, "to": after, "percent_change": percents},
        "salient": [before, after],
    }


def _percent(old: float, new: float) -> float | None:
    return round((new - old) / old * 100, 1) if old else None  # from 0: no meaningful percentage


def _deprecation(
    name: str, old: dict[str, Any] | None, model: dict[str, Any], previous: Snapshot | None, now: datetime
) -> dict[str, Any] | None:
    when = _deprecation_moment(model)
    if when is None or not _deprecation_in_view(when, now):
        return None
    if previous is not None and old is not None and old.get("deprecation_date") == model["deprecation_date"]:
        previous_taken_at = parse_time(previous.get("taken_at"))
        if previous_taken_at and _deprecation_in_view(when, previous_taken_at):
            return None  # already reported when it came into view
    return {
        "severity": "critical" if when - now <= DEPRECATION_URGENT else "warning",
        "detail": {
            "deprecation_date": model["deprecation_date"],
            "days_left": (when - now).days,
            "horizon_days": DEPRECATION_HORIZON.days,
        },
        "salient": model["deprecation_date"],
    }


def _deprecation_moment(model: dict[str, Any]) -> datetime | None:
    try:
        day = date.fromisoformat(str(model.get("deprecation_date") or ""))
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _deprecation_in_view(when: datetime, at: datetime) -> bool:
    return -DEPRECATION_STALE <= when - at <= DEPRECATION_HORIZON


# --- Plumbing ----------------------------------------------------------------------------------


def _emitter(source: str, now: datetime) -> Callable[..., Signal]:
    def emit(**fields: Any) -> Signal:
        return make_signal(source=source, observed_at=now, **fields)

    return emit


DETECTORS: dict[str, Callable[[str, Snapshot | None, Snapshot, datetime], list[Signal]]] = {
    "hf": detect_hf,
    "github": detect_github,
    "feed": detect_feed,
    "prices": detect_prices,
}
