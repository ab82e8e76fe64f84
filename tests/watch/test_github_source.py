"""github:OWNER/REPO against a local GitHub API: paging, conditional requests, rate limits."""

import time
from dataclasses import replace
from datetime import timedelta

import pytest

from apps.watch.detect import detect
from apps.watch.sources import PollSettings, SourceError, SourceState, parse_spec, poll
from tests.support.github_server import GitHubServer
from tests.watch.conftest import NOW

QWEN3 = parse_spec("github:QwenLM/Qwen3")


@pytest.fixture
def settings(github: GitHubServer, poll_settings: PollSettings) -> PollSettings:
    return replace(poll_settings, github_api=github.url)


@pytest.fixture
def qwen3(github: GitHubServer) -> GitHubServer:
    github.add_repo("QwenLM/Qwen3")
    for month in range(1, 6):
        github.add_release("QwenLM/Qwen3", f"v3.{month}.0", f"2026-{month:02d}-15T12:00:00Z")
    return github


def test_it_reads_every_page_of_releases_and_the_repository_state(qwen3, settings):
    result = poll(QWEN3, None, settings=replace(settings, max_pages=10), now=NOW)

    assert sorted(result.snapshot["releases"]) == ["v3.1.0", "v3.2.0", "v3.3.0", "v3.4.0", "v3.5.0"]
    assert result.snapshot["archived"] is False
    assert result.snapshot["license"]["license"] == "apache-2.0"
    assert result.snapshot["vendor"] == "alibaba"
    assert set(result.http_state) == {
        f"{qwen3.url}/repos/QwenLM/Qwen3",
        f"{qwen3.url}/repos/QwenLM/Qwen3/releases",
    }


def test_it_follows_the_link_header_when_releases_span_pages(qwen3, settings, monkeypatch):
    monkeypatch.setattr("apps.watch.sources.github.RELEASES_PER_PAGE", 2)

    result = poll(QWEN3, None, settings=settings, now=NOW)

    release_requests = [path for path, _ in qwen3.requests if path.endswith("/releases")]
    assert len(release_requests) == 3
    assert len(result.snapshot["releases"]) == 5


def test_an_unchanged_repository_answers_304_and_gives_no_signal(qwen3, settings):
    first = poll(QWEN3, None, settings=settings, now=NOW)
    remaining_after_first = qwen3.rate_limit_remaining

    second = poll(QWEN3, first.state, settings=settings, now=NOW + timedelta(hours=1))

    conditional = [headers for _, headers in qwen3.requests[-2:]]
    assert all("If-None-Match" in headers for headers in conditional)
    assert qwen3.rate_limit_remaining == remaining_after_first  # 304s are free
    assert second.snapshot["releases"] == first.snapshot["releases"]
    assert any("not modified" in note for note in second.observations)
    assert detect(source=str(QWEN3), previous=first.snapshot, current=second.snapshot, now=NOW) == []


def test_a_new_release_an_archived_repo_and_a_license_change_are_signals(qwen3, settings):
    first = poll(QWEN3, None, settings=settings, now=NOW)
    qwen3.add_release("QwenLM/Qwen3", "v3.6.0", "2026-11-28T12:00:00Z")
    qwen3.repos["QwenLM/Qwen3"].archived = True
    qwen3.repos["QwenLM/Qwen3"].license = {"key": "other", "spdx_id": "NOASSERTION", "name": "Other"}

    second = poll(QWEN3, first.state, settings=settings, now=NOW)
    signals = detect(source=str(QWEN3), previous=first.snapshot, current=second.snapshot, now=NOW)

    by_kind = {signal["kind"]: signal for signal in signals}
    assert sorted(by_kind) == ["license_change", "new_release", "repo_archived"]
    assert by_kind["new_release"]["subject"] == "QwenLM/Qwen3@v3.6.0"
    assert by_kind["repo_archived"]["severity"] == "critical"
    assert (by_kind["license_change"]["detail"]["from"], by_kind["license_change"]["detail"]["to"]) == (
        "apache-2.0",
        "other",
    )


def test_it_waits_out_a_429_retry_after_and_then_succeeds(qwen3, settings, sleeps):
    qwen3.fail_next(429, {"Retry-After": "3"})

    result = poll(QWEN3, None, settings=settings, now=NOW)

    assert sleeps.waits == [3.0]
    assert len(result.snapshot["releases"]) == 5


def test_a_retry_after_longer_than_we_wait_is_a_transient_error_saying_when(qwen3, settings, sleeps):
    qwen3.fail_next(429, {"Retry-After": "900"})

    with pytest.raises(SourceError) as failure:
        poll(QWEN3, None, settings=settings, now=NOW)

    assert failure.value.transient
    assert failure.value.retry_after == 900
    assert sleeps.waits == []


def test_an_exhausted_rate_limit_reports_the_reset_time(qwen3, settings):
    qwen3.rate_limit_remaining = 0

    with pytest.raises(SourceError, match="rate limited") as failure:
        poll(QWEN3, None, settings=settings, now=NOW)

    assert failure.value.transient
    assert failure.value.retry_after == pytest.approx(3600, abs=5)


def test_spending_the_last_request_waits_for_the_reset_before_the_next(qwen3, settings):
    qwen3.rate_limit_remaining = 1
    qwen3.rate_limit_reset = int(time.time()) + 5
    waits = []

    def sleep_until_reset(seconds: float) -> None:
        waits.append(seconds)
        qwen3.rate_limit_remaining = qwen3.rate_limit  # the window resets while we wait

    result = poll(QWEN3, None, settings=replace(settings, sleep=sleep_until_reset), now=NOW)

    assert len(waits) == 1 and 4 <= waits[0] <= 7
    assert len(result.snapshot["releases"]) == 5


def test_server_errors_are_retried_with_exponential_backoff(qwen3, settings, sleeps):
    qwen3.fail_next(502, times=2)

    poll(QWEN3, None, settings=settings, now=NOW)

    assert sleeps.waits == [0.1, 0.2]


def test_a_missing_repository_is_a_permanent_error(github, settings):
    with pytest.raises(SourceError, match="404") as failure:
        poll(parse_spec("github:nobody/nothing"), None, settings=settings, now=NOW)

    assert not failure.value.transient


def test_a_conditional_request_is_only_made_when_there_is_a_snapshot_to_reuse(qwen3, settings):
    first = poll(QWEN3, None, settings=settings, now=NOW)

    poll(QWEN3, SourceState(snapshot=None, http_state=first.http_state), settings=settings, now=NOW)

    assert all("If-None-Match" not in headers for _, headers in qwen3.requests[-2:])
