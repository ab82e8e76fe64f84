"""feed:URL with the real feedparser against a local RSS/Atom server."""

from dataclasses import replace
from datetime import timedelta

import pytest

from apps.watch.detect import detect
from apps.watch.sources import SourceError, parse_spec, poll, poll_many
from tests.support.feed_server import HANG_PATH, FeedServer
from tests.watch.conftest import NOW


def feed_spec(server: FeedServer, path: str = "/rss.xml"):
    return parse_spec(f"feed:{server.url}{path}")


@pytest.mark.parametrize("path", ["/rss.xml", "/atom.xml"])
def test_it_reads_rss_and_atom_items(feeds, poll_settings, path):
    feeds.add_item(path, title="Mistral opens a Singapore office", published=NOW - timedelta(days=1))

    result = poll(feed_spec(feeds, path), None, settings=poll_settings, now=NOW)

    [item] = result.snapshot["items"].values()
    assert item["title"] == "Mistral opens a Singapore office"
    assert item["link"] == "https://news.example/1"
    assert item["published"] == "2026-11-28T10:00:00Z"


def test_a_leadership_change_and_plain_news_are_told_apart_and_attributed(feeds, poll_settings):
    spec = feed_spec(feeds)
    first = poll(spec, None, settings=poll_settings, now=NOW)
    feeds.add_item(
        "/rss.xml",
        title="Qwen tech lead steps down after Qwen3 launch",
        summary="The head of Alibaba's Qwen team departs.",
        published=NOW,
    )
    feeds.add_item("/rss.xml", title="Anthropic ships a new Claude model", published=NOW)

    second = poll(spec, first.state, settings=poll_settings, now=NOW)
    signals = detect(source=str(spec), previous=first.snapshot, current=second.snapshot, now=NOW)

    assert sorted((s["kind"], s["vendor"], s["severity"]) for s in signals) == [
        ("leadership_change", "alibaba", "warning"),
        ("news", "anthropic", "info"),
    ]


def test_an_unchanged_feed_answers_304_and_gives_no_signal(feeds, poll_settings):
    feeds.add_item("/rss.xml", title="OpenAI appoints a new head of research", published=NOW)
    spec = feed_spec(feeds)
    first = poll(spec, None, settings=poll_settings, now=NOW)

    second = poll(spec, first.state, settings=poll_settings, now=NOW + timedelta(hours=1))

    _, headers = feeds.requests[-1]
    assert "If-None-Match" in headers and "If-Modified-Since" in headers
    assert "not modified" in second.observations[-1]
    assert second.snapshot["items"] == first.snapshot["items"]
    assert detect(source=str(spec), previous=first.snapshot, current=second.snapshot, now=NOW) == []


def test_the_first_poll_reports_only_last_weeks_items(feeds, poll_settings):
    feeds.add_item(
        "/rss.xml", title="DeepSeek researcher leaves for a startup", published=NOW - timedelta(days=2)
    )
    feeds.add_item("/rss.xml", title="Old news about Llama", published=NOW - timedelta(days=60))
    spec = feed_spec(feeds)

    result = poll(spec, None, settings=poll_settings, now=NOW)
    signals = detect(source=str(spec), previous=None, current=result.snapshot, now=NOW)

    assert [(s["kind"], s["vendor"]) for s in signals] == [("leadership_change", "deepseek")]


def test_a_feed_that_hangs_times_out_as_a_transient_error(feeds, poll_settings):
    with pytest.raises(SourceError, match="timed out") as failure:
        poll(feed_spec(feeds, HANG_PATH), None, settings=replace(poll_settings, max_retries=0), now=NOW)

    assert failure.value.transient


def test_one_failing_source_does_not_stop_the_others(feeds, poll_settings):
    feeds.add_item("/rss.xml", title="Cohere names new CEO", published=NOW)
    sources = [
        (feed_spec(feeds, HANG_PATH), None),
        (feed_spec(feeds, "/missing.xml"), None),
        (feed_spec(feeds), None),
    ]

    outcomes = poll_many(sources, settings=replace(poll_settings, max_retries=0), now=NOW)

    assert [outcome.error is None for outcome in outcomes] == [False, False, True]
    assert outcomes[0].error.transient and not outcomes[1].error.transient
    assert len(outcomes[2].result.snapshot["items"]) == 1
