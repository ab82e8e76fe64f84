"""Coverage decays with time: a copy verified more than the policy's days ago stops counting (controlled clock)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.archive import services
from apps.archive.models import Verification
from apps.archive.tasks import refresh_archive_coverage, verify_due_copies
from tests.archive.conftest import REPO
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = T0

        def advance(self, **delta) -> None:
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def archive_credit(workflow) -> float | None:
    workflow.refresh_from_db()
    return next((f["points"] for f in workflow.exposure_factors if f["key"] == "verified_archive"), None)


def test_the_beat_tasks_drop_a_stale_copy_and_restore_it_once_rehashed(clock, hub, s3, nas, organization):
    workflow = workflow_with(organization=organization, models=["Qwen/Qwen3.5-0.8B"], name="Edge kiosks")
    locations = [
        services.location_create(organization=organization, url=f"file://{nas}"),
        services.location_create(organization=organization, url="s3://offsite-models/models"),
    ]
    services.archive_source(organization=organization, source=f"hf:{REPO}", locations=locations)
    full_credit = archive_credit(workflow)
    assert full_credit is not None and full_credit < 0

    clock.advance(days=29)
    assert refresh_archive_coverage() == 0  # still within 30 days: nothing to rescore
    assert archive_credit(workflow) == full_credit

    clock.advance(days=2)  # 31 days since the last check: the copies no longer meet the policy
    assert refresh_archive_coverage() == 1
    assert archive_credit(workflow) is None

    assert verify_due_copies() == 2  # the schedule re-hashes both copies, which count again
    assert archive_credit(workflow) == full_credit
    assert (
        Verification.objects.filter(trigger="schedule", checked_at=clock.now, status="verified").count() == 2
    )

    clock.advance(days=3)
    assert verify_due_copies() == 0  # re-hashed this week already
