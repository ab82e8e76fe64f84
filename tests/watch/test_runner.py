"""watch_sources(): poll, detect, carry the state forward, and survive a failing source."""

import json
from datetime import timedelta

from apps.watch.contract import signals_document
from apps.watch.runner import watch_sources
from apps.watch.sources import PollSettings, parse_spec
from tests.support.feed_server import HANG_PATH
from tests.watch.conftest import NOW


def test_it_polls_every_source_keeps_going_past_a_failure_and_reports_only_changes(hub, feeds):
    hub.add_model("Qwen/Qwen3-8B", created_at="2026-11-01T10:00:00.000Z")
    settings = PollSettings(hf_endpoint=hub.url, timeout=0.3, max_retries=0)
    qwen, hanging = parse_spec("hf:Qwen"), parse_spec(f"feed:{feeds.url}{HANG_PATH}")

    first = watch_sources([(hanging, None), (qwen, None)], settings=settings, now=NOW)
    hub.add_model("Qwen/Qwen3-32B", created_at="2026-11-29T09:00:00.000Z")
    states = {str(outcome.spec): outcome.state for outcome in first}
    second = watch_sources(
        [(spec, states[str(spec)]) for spec in (hanging, qwen)], settings=settings, now=NOW
    )

    assert [outcome.succeeded for outcome in first] == [False, True]
    assert first[0].error.transient and first[0].state.snapshot is None
    assert [outcome.signals for outcome in first] == [[], []]
    assert [signal["subject"] for signal in second[1].signals] == ["Qwen/Qwen3-32B"]
    document = json.loads(json.dumps(signals_document(second[1].signals)))
    assert document["schema"] == "riskboard.signals/1"
    assert document["signals"][0]["kind"] == "new_release"


def test_a_failed_poll_keeps_the_previous_state(hub):
    hub.add_model("Qwen/Qwen3-8B", created_at="2026-11-01T10:00:00.000Z")
    qwen = parse_spec("hf:Qwen")
    [first] = watch_sources([(qwen, None)], settings=PollSettings(hf_endpoint=hub.url), now=NOW)
    hub.models.clear()  # the Hub suddenly lists nothing: an outage, not a mass deletion

    [second] = watch_sources(
        [(qwen, first.state)], settings=PollSettings(hf_endpoint=hub.url), now=NOW + timedelta(hours=1)
    )

    assert not second.succeeded
    assert second.state is first.state
