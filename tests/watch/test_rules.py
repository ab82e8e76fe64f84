"""The small rule tables behind detection: source specs, cadence, licenses, news keywords."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.watch.cadence import cadence_of, release_waves
from apps.watch.licenses import License, Restrictiveness, restrictiveness
from apps.watch.news import classify_item, vendor_of_item
from apps.watch.sources import InvalidSourceSpec, SourceSpec, parse_spec


def day(n: int) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("hf:Qwen", SourceSpec("hf", "Qwen")),
        ("github:QwenLM/Qwen3", SourceSpec("github", "QwenLM/Qwen3")),
        ("feed:https://news.example/rss.xml", SourceSpec("feed", "https://news.example/rss.xml")),
        ("prices:/srv/model_prices.json", SourceSpec("prices", "/srv/model_prices.json")),
        ("prices:https://example.org/p.json", SourceSpec("prices", "https://example.org/p.json")),
    ],
)
def test_it_parses_every_source_spec(text, spec):
    assert parse_spec(text) == spec
    assert str(parse_spec(text)) == text


@pytest.mark.parametrize(
    "text", ["Qwen", "hf:", "npm:left-pad", "github:Qwen", "hf:Qwen/Qwen3", "feed:/etc/x"]
)
def test_it_rejects_malformed_specs(text):
    with pytest.raises(InvalidSourceSpec):
        parse_spec(text)


def test_uploads_a_few_days_apart_are_one_release():
    waves = release_waves([day(0), day(1), day(2), day(30), day(60), day(61)])

    assert [len(wave) for wave in waves] == [3, 1, 2]


def test_the_cadence_is_the_median_interval_of_recent_releases():
    rhythm = cadence_of([day(0), day(10), day(20), day(120), day(130)])

    assert rhythm.median_interval == timedelta(days=10)  # one long break does not hide the rhythm
    assert rhythm.slip_threshold == timedelta(days=30)
    assert not rhythm.is_slipping(day(160))
    assert rhythm.is_slipping(day(161))


def test_a_short_history_has_no_cadence_and_fast_shippers_get_a_floor():
    assert cadence_of([day(0), day(40)]) is None
    assert cadence_of([day(0), day(4), day(8), day(12)]).slip_threshold == timedelta(days=14)


@pytest.mark.parametrize(
    ("license", "rank"),
    [
        (License("apache-2.0"), Restrictiveness.PERMISSIVE),
        (License("mit"), Restrictiveness.PERMISSIVE),
        (License("llama3.1"), Restrictiveness.COMMUNITY),
        (License("gemma"), Restrictiveness.COMMUNITY),
        (License("other", "qwen", "LICENSE"), Restrictiveness.COMMUNITY),
        (License("other", "qwen-research", "LICENSE"), Restrictiveness.RESTRICTED),
        (License("cc-by-nc-4.0"), Restrictiveness.RESTRICTED),
        (License("other"), Restrictiveness.RESTRICTED),
        (License("other", "acme-model-license"), Restrictiveness.RESTRICTED),
        (License("proprietary"), Restrictiveness.PROPRIETARY),
        (License(None), None),
    ],
)
def test_licenses_are_ranked_by_how_restrictive_they_are(license, rank):
    assert restrictiveness(license) == rank


@pytest.mark.parametrize(
    ("title", "kind", "vendor"),
    [
        ("Qwen lead Lin Junyang steps down", "leadership_change", "alibaba"),
        ("Former DeepMind researcher joins as head of Mistral's Paris lab", "leadership_change", "google"),
        ("OpenAI appoints new chief research officer", "leadership_change", "openai"),
        ("Meta's chief AI scientist departs to start a company", "leadership_change", "meta"),
        ("Anthropic releases Claude 5", "news", "anthropic"),
        ("Benchmarks of small models on laptops", "news", "unknown"),
        ("Metadata standards for model cards", "news", "unknown"),
    ],
)
def test_feed_items_are_classified_and_attributed_by_keywords(title, kind, vendor):
    assert classify_item(title) == kind
    assert vendor_of_item(title) == vendor
