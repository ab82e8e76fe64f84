from datetime import timedelta

import pytest
from django.utils import timezone

from apps.archive import services
from apps.archive.exposure_factor import FULL_POINTS, PARTIAL_POINTS
from apps.archive.models import Copy
from apps.archive.policy import FULL, NONE, PARTIAL, CopyState, Policy, coverage_level, workflow_level
from apps.exposure.factors import factor
from tests.archive.conftest import REPO
from tests.factories import workflow_with

NOW = timezone.now()


def test_it_needs_enough_recent_copies_and_one_off_site_for_the_full_credit():
    policy = Policy()
    here = CopyState("verified", NOW - timedelta(days=1), off_site=False)
    away = CopyState("verified", NOW - timedelta(days=29), off_site=True)
    assert coverage_level([here, away], policy, now=NOW) == FULL
    assert coverage_level([here, here], policy, now=NOW) == PARTIAL  # no copy off-site
    assert coverage_level([here, CopyState("corrupted", NOW, off_site=True)], policy, now=NOW) == PARTIAL
    assert (
        coverage_level([here, away], policy, now=NOW + timedelta(days=2)) == PARTIAL
    )  # the off-site one aged out
    assert coverage_level([CopyState("missing", NOW, off_site=True)], policy, now=NOW) == NONE
    assert workflow_level([FULL, PARTIAL]) == PARTIAL and workflow_level([]) == "n/a"


@pytest.mark.django_db
def test_it_gives_part_of_the_credit_for_one_verified_copy_and_all_of_it_for_the_policy(
    hub, s3, nas, organization
):
    workflow = workflow_with(organization=organization, models=["Qwen/Qwen3.5-0.8B"], criticality="high")
    api_only = workflow_with(organization=organization, models=["gpt-4o-mini"])
    before = workflow.exposure_score
    nas_location = services.location_create(organization=organization, url=f"file://{nas}")

    services.archive_source(organization=organization, source=f"hf:{REPO}", locations=[nas_location])
    workflow.refresh_from_db()
    assert workflow.exposure_score == before + PARTIAL_POINTS
    assert "fewer copies than the policy" in next(
        f["value"] for f in workflow.exposure_factors if f["key"] == "verified_archive"
    )

    bucket = services.location_create(organization=organization, url="s3://offsite-models")
    services.archive_source(organization=organization, source=f"hf:{REPO}", locations=[bucket])
    workflow.refresh_from_db()
    assert workflow.exposure_score == before + FULL_POINTS
    assert Copy.objects.filter(status="verified").count() == 2

    api_only.refresh_from_db()
    assert "verified_archive" not in {f["key"] for f in api_only.exposure_factors}
    assert factor("verified_archive").label == "Verified archive"
