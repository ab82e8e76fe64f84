"""Beat's `poll_due_sources`: polls what is due, survives a broken source, backs off politely."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.jobs.models import ImportJob
from apps.watch.models import Signal, Source
from apps.watch.services.sources import sources_claim_due
from apps.watch.tasks import poll_due_sources
from tests.support.feed_server import HANG_PATH

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_polls(settings, github):
    settings.RISKBOARD_WATCH_POLL = {"timeout": 0.3, "max_retries": 0, "github_api": github.url}


@pytest.fixture
def qwen3(github):
    github.add_repo("QwenLM/Qwen3")
    for month in range(1, 6):
        github.add_release("QwenLM/Qwen3", f"v3.{month}.0", f"2026-{month:02d}-15T12:00:00Z")
    return github


def test_it_polls_due_sources_and_a_hanging_one_never_stops_the_others(
    organization, qwen3, feeds, quick_polls, django_capture_on_commit_callbacks
):
    hanging = Source.objects.create(
        organization=organization, spec=f"feed:{feeds.url}{HANG_PATH}", kind="feed"
    )
    repo = Source.objects.create(organization=organization, spec="github:QwenLM/Qwen3", kind="github")
    later = Source.objects.create(
        organization=organization,
        spec="github:QwenLM/Qwen2.5",
        kind="github",
        next_poll_at=timezone.now() + timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert poll_due_sources.apply().get() == 2
    qwen3.add_release("QwenLM/Qwen3", "v3.6.0", timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"))
    Source.objects.filter(pk=repo.pk).update(next_poll_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        poll_due_sources.apply()

    hanging.refresh_from_db()
    repo.refresh_from_db()
    later.refresh_from_db()
    assert hanging.last_success_at is None and hanging.last_error_transient
    assert "timed out" in hanging.last_error
    assert repo.last_error == "" and repo.last_success_at is not None
    assert later.last_polled_at is None
    assert sorted(Signal.objects.values_list("kind", "subject")) == [
        ("cadence_slip", "QwenLM/Qwen3"),  # the baseline: five monthly releases, none since May
        ("new_release", "QwenLM/Qwen3@v3.6.0"),
    ]
    assert set(ImportJob.objects.values_list("source", "status")) == {("schedule", "succeeded")}


def test_a_transient_failure_backs_off_exponentially_and_honours_retry_after(
    organization, qwen3, quick_polls
):
    repo = Source.objects.create(organization=organization, spec="github:QwenLM/Qwen3", kind="github")

    qwen3.fail_next(503)
    poll_due_sources.apply()
    repo.refresh_from_db()
    first_wait = repo.next_poll_at - repo.last_polled_at
    Source.objects.filter(pk=repo.pk).update(next_poll_at=timezone.now())
    qwen3.fail_next(503)
    poll_due_sources.apply()
    repo.refresh_from_db()
    second_wait = repo.next_poll_at - repo.last_polled_at
    Source.objects.filter(pk=repo.pk).update(next_poll_at=timezone.now())
    qwen3.fail_next(429, {"Retry-After": "5400"})
    poll_due_sources.apply()
    repo.refresh_from_db()

    assert (first_wait, second_wait) == (timedelta(minutes=5), timedelta(minutes=10))
    assert repo.consecutive_failures == 3
    assert repo.next_poll_at - repo.last_polled_at == timedelta(seconds=5400)


def test_a_due_source_is_claimed_by_one_caller_only(organization):
    Source.objects.create(organization=organization, spec="hf:Qwen", kind="hf")

    first, second = sources_claim_due(), sources_claim_due()

    assert len(first) == 1 and second == []
