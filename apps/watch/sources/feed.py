"""`feed:URL`: an RSS or Atom feed, fetched conditionally with httpx and read by feedparser.

Snapshot::

    {"kind": "feed", "url": "https://…/feed.xml", "title": "…", "taken_at": "…Z",
     "items": {"<guid or link>": {"title": "…", "link": "…", "summary": "…",
                                  "published": "…Z" | null, "first_seen": "…Z"}}}

Items are remembered across polls (feeds only show their latest entries), newest
`MAX_REMEMBERED_ITEMS` kept, so an entry that scrolls off and back is not news twice.
Classification (news or leadership change) happens in detection, so a rule improved today
applies to tomorrow's items without re-polling.
"""

import calendar
import hashlib
from datetime import UTC, datetime
from typing import Any

import feedparser

from apps.watch.contract import format_timestamp
from apps.watch.sources.base import PollResult, PollSettings, SourceError, SourceSpec, SourceState
from apps.watch.sources.http import Fetcher, validators_of

MAX_REMEMBERED_ITEMS = 300
MAX_SUMMARY_CHARS = 500
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


def poll(spec: SourceSpec, previous: SourceState, *, settings: PollSettings, now: datetime) -> PollResult:
    url = spec.target
    old = previous.snapshot or {}
    validators = previous.http_state.get(url) if previous.snapshot else None
    with Fetcher(settings, headers={"Accept": FEED_ACCEPT}) as fetcher:
        response = fetcher.get(url, validators=validators)
        observations = fetcher.observations

    if response.status_code == 304:
        observations.append(f"{url}: not modified")
        snapshot = {**old, "taken_at": format_timestamp(now)}
        return PollResult(snapshot=snapshot, http_state={url: validators or {}}, observations=observations)

    parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
    if parsed.bozo and not parsed.entries:
        raise SourceError(f"{url} is not an RSS or Atom feed: {parsed.bozo_exception}", transient=False)

    seen_now = {_item_id(entry): _item(entry, first_seen=now) for entry in parsed.entries}
    remembered = {**seen_now, **old.get("items", {})}  # keep first_seen of what we already knew
    snapshot = {
        "kind": "feed",
        "url": url,
        "title": parsed.feed.get("title", ""),
        "taken_at": format_timestamp(now),
        "items": _newest(remembered, MAX_REMEMBERED_ITEMS),
    }
    observations.append(f"{url}: {len(parsed.entries)} entries")
    return PollResult(snapshot=snapshot, http_state={url: validators_of(response)}, observations=observations)


def _item_id(entry: Any) -> str:
    identifier = entry.get("id") or entry.get("link")
    if identifier:
        return str(identifier)
    return "sha256:" + hashlib.sha256(entry.get("title", "").encode()).hexdigest()


def _item(entry: Any, *, first_seen: datetime) -> dict[str, Any]:
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return {
        "title": entry.get("title", "").strip(),
        "link": entry.get("link"),
        "summary": entry.get("summary", "").strip()[:MAX_SUMMARY_CHARS],
        # feedparser hands back a UTC struct_time; timegm, not mktime, keeps it UTC.
        "published": format_timestamp(datetime.fromtimestamp(calendar.timegm(published), UTC))
        if published
        else None,
        "first_seen": format_timestamp(first_seen),
    }


def _newest(items: dict[str, dict[str, Any]], limit: int) -> dict[str, dict[str, Any]]:
    ordered = sorted(
        items.items(), key=lambda pair: pair[1]["published"] or pair[1]["first_seen"], reverse=True
    )
    return dict(ordered[:limit])
