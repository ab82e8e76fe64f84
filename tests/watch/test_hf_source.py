"""hf:ORG through the real huggingface_hub against a local Hub, and the acceptance scenario."""

from datetime import timedelta

import pytest
from huggingface_hub.utils import _http as hf_http

from apps.watch.detect import detect
from apps.watch.sources import PollSettings, SourceError, SourceState, parse_spec, poll
from tests.support.feed_server import HANG_PATH
from tests.support.hf_server import PLACEHOLDER_CREATED_AT, HubServer
from tests.watch.conftest import NOW

QWEN = parse_spec("hf:Qwen")


def hub_settings(hub: HubServer) -> PollSettings:
    return PollSettings(hf_endpoint=hub.url, timeout=2.0)


def publish_monthly_releases(hub: HubServer) -> None:
    """Four Qwen releases a month apart, the last one in April 2025: long overdue by Nov 2026."""
    for index, day in enumerate(["2025-01-10", "2025-02-10", "2025-03-12", "2025-04-10"]):
        hub.add_model(f"Qwen/Qwen3-{index + 1}B", created_at=f"{day}T10:00:00.000Z", license="apache-2.0")
    hub.add_model("Qwen/Qwen3-4B-FP8", created_at="2025-04-11T09:00:00.000Z", license="apache-2.0")
    hub.add_model("Qwen/legacy-tokenizer", created_at=PLACEHOLDER_CREATED_AT, license="apache-2.0")
    hub.add_model("meta-llama/Llama-3.1-8B", created_at="2024-07-23T10:00:00.000Z", license="llama3.1")


def run(hub: HubServer, state: SourceState | None, *, now=NOW):
    result = poll(QWEN, state, settings=hub_settings(hub), now=now)
    signals = detect(
        source="hf:Qwen", previous=state.snapshot if state else None, current=result.snapshot, now=now
    )
    return result.state, signals


def test_it_follows_link_pages_and_asks_only_for_expanded_fields(hub):
    publish_monthly_releases(hub)

    result = poll(QWEN, None, settings=hub_settings(hub), now=NOW)

    assert sorted(result.snapshot["models"]) == [
        "Qwen/Qwen3-1B",
        "Qwen/Qwen3-2B",
        "Qwen/Qwen3-3B",
        "Qwen/Qwen3-4B",
        "Qwen/Qwen3-4B-FP8",
        "Qwen/legacy-tokenizer",
    ]
    assert len(hub.requests) == 3  # six Qwen models, two per page
    assert [query.get("cursor") for query in hub.requests] == [None, ["2"], ["4"]]
    assert all(query["author"] == ["Qwen"] for query in hub.requests)
    assert {"createdAt", "lastModified", "tags", "cardData"} <= set(hub.requests[0]["expand"])
    assert "full" not in hub.requests[0]


def test_it_reads_dates_and_all_three_license_fields(hub):
    hub.add_model(
        "Qwen/Qwen2.5-72B",
        created_at="2024-09-16T11:00:00.000Z",
        license="other",
        license_name="qwen",
        license_link="https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/LICENSE",
    )
    hub.add_model("Qwen/Qwen-7B", created_at=PLACEHOLDER_CREATED_AT, license=None)

    models = poll(QWEN, None, settings=hub_settings(hub), now=NOW).snapshot["models"]

    assert models["Qwen/Qwen2.5-72B"]["created_at"] == "2024-09-16T11:00:00Z"
    assert models["Qwen/Qwen2.5-72B"]["family"] == "qwen"
    assert (
        models["Qwen/Qwen2.5-72B"]["license"],
        models["Qwen/Qwen2.5-72B"]["license_name"],
        models["Qwen/Qwen2.5-72B"]["license_link"],
    ) == ("other", "qwen", "https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/LICENSE")
    assert models["Qwen/Qwen-7B"]["created_at"] is None  # the Hub's placeholder date means unknown
    assert models["Qwen/Qwen-7B"]["license"] is None


def test_acceptance_two_polls_give_a_cadence_slip_a_new_release_and_a_license_change_then_nothing(hub):
    publish_monthly_releases(hub)

    state, baseline = run(hub, None)
    hub.add_model("Qwen/Qwen4-8B", created_at="2026-11-28T10:00:00.000Z", license="apache-2.0")
    hub.set_license("Qwen/Qwen3-2B", "other", license_name="qwen-research", license_link="LICENSE")
    state, second = run(hub, state, now=NOW + timedelta(hours=1))
    _, third = run(hub, state, now=NOW + timedelta(hours=2))

    assert [(s["kind"], s["subject"]) for s in baseline] == [("cadence_slip", "Qwen")]
    assert sorted((s["kind"], s["subject"]) for s in second) == [
        ("license_change", "Qwen/Qwen3-2B"),
        ("new_release", "Qwen/Qwen4-8B"),
    ]
    license_change = next(s for s in second if s["kind"] == "license_change")
    assert license_change["severity"] == "critical"
    assert license_change["vendor"] == "alibaba"
    assert license_change["detail"]["from"] == "apache-2.0"
    assert license_change["detail"]["to"] == "other"
    assert license_change["detail"]["to_license_name"] == "qwen-research"
    assert third == []


def test_it_keeps_polling_quietly_while_a_slip_lasts(hub):
    publish_monthly_releases(hub)

    state, baseline = run(hub, None)
    _, a_day_later = run(hub, state, now=NOW + timedelta(days=1))

    assert [s["kind"] for s in baseline] == ["cadence_slip"]
    assert a_day_later == []


def test_it_flags_a_new_release_under_a_stricter_license_than_the_family_usually_has(hub):
    publish_monthly_releases(hub)
    state, _ = run(hub, None)

    hub.add_model(
        "Qwen/Qwen4-32B",
        created_at="2026-11-29T08:00:00.000Z",
        license="other",
        license_name="qwen-commercial-only",
    )
    _, signals = run(hub, state)

    stricter = [s for s in signals if s["kind"] == "license_change"]
    assert [s["subject"] for s in stricter] == ["Qwen/Qwen4-32B"]
    assert stricter[0]["detail"]["reason"] == "new_release_more_restrictive_than_family"
    assert stricter[0]["detail"]["from"] == "apache-2.0"
    assert stricter[0]["severity"] == "critical"


def test_an_unreachable_hub_is_a_transient_source_error(monkeypatch):
    # huggingface_hub retries a refused connection five times with backoff; skip the waiting.
    monkeypatch.setattr(hf_http.time, "sleep", lambda seconds: None)
    settings = PollSettings(hf_endpoint="http://127.0.0.1:9", timeout=0.5)

    with pytest.raises(SourceError) as failure:
        poll(QWEN, None, settings=settings, now=NOW)

    assert failure.value.transient


def test_a_hub_that_refuses_the_request_is_a_permanent_source_error(hub):
    settings = PollSettings(hf_endpoint=f"{hub.url}/not-the-hub", timeout=2.0)

    with pytest.raises(SourceError, match="HTTP 404") as failure:
        poll(QWEN, None, settings=settings, now=NOW)

    assert not failure.value.transient


def test_an_empty_listing_after_a_full_one_keeps_the_previous_snapshot(hub):
    publish_monthly_releases(hub)
    state, _ = run(hub, None)
    hub.models.clear()

    with pytest.raises(SourceError, match="no models"):
        poll(QWEN, state, settings=hub_settings(hub), now=NOW)


def test_a_hub_that_hangs_times_out_instead_of_hanging_the_worker(feeds, monkeypatch):
    monkeypatch.setattr(hf_http.time, "sleep", lambda seconds: None)  # skip the library's backoff
    settings = PollSettings(hf_endpoint=f"{feeds.url}{HANG_PATH}", timeout=0.2)

    with pytest.raises(SourceError, match="timed out") as failure:
        poll(parse_spec("hf:Qwen"), None, settings=settings, now=NOW)

    assert failure.value.transient
