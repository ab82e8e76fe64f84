"""/o/<org>/jobs/: the organization's jobs, filterable by kind and status, paginated."""

import hashlib

import pytest
from django.urls import reverse

from apps.jobs.models import ImportJob

pytestmark = pytest.mark.django_db

URL = reverse("jobs:index", kwargs={"org_slug": "acme"})


def make_job(organization, kind="scan", status="queued", number=0) -> ImportJob:
    payload = f"{kind}-{status}-{number}".encode()
    return ImportJob.objects.create(
        organization=organization,
        kind=kind,
        source="cli",
        payload=payload,
        sha256=hashlib.sha256(payload).hexdigest(),
        status=status,
    )


def listed(response) -> set[int]:
    return {job.pk for job in response.context["page"].object_list}


def test_a_viewer_sees_the_organizations_jobs_only(viewer_client, organization, other_organization):
    mine = make_job(organization)
    make_job(other_organization)

    response = viewer_client.get(URL)

    assert response.status_code == 200
    assert listed(response) == {mine.pk}


def test_it_filters_by_kind_and_status(viewer_client, organization):
    failed_scan = make_job(organization, "scan", "failed")
    make_job(organization, "scan", "succeeded")
    make_job(organization, "bench", "failed")

    assert listed(viewer_client.get(URL, {"kind": "scan", "status": "failed"})) == {failed_scan.pk}
    assert len(listed(viewer_client.get(URL, {"status": "failed"}))) == 2
    assert len(listed(viewer_client.get(URL, {"kind": "nonsense"}))) == 3


def test_htmx_gets_the_rows_with_pagination_links_that_keep_the_filters(viewer_client, organization):
    for number in range(30):
        make_job(organization, "scan", "succeeded", number)

    response = viewer_client.get(URL, {"kind": "scan"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page and 'id="job-rows"' in page
    assert 'href="?kind=scan&amp;page=2"' in page
    assert 'hx-get="?kind=scan&amp;page=2"' in page and 'hx-push-url="true"' in page
    second = viewer_client.get(URL, {"kind": "scan", "page": 2})
    assert len(listed(second)) == 5


def test_the_upload_button_is_for_editors(viewer_client, editor, client):
    upload_url = reverse("jobs:upload", kwargs={"org_slug": "acme"})
    assert upload_url not in viewer_client.get(URL).content.decode()
    client.force_login(editor)
    assert upload_url in client.get(URL).content.decode()
