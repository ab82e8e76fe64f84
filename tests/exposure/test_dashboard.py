import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def dashboard(client, organization):
    return client.get(reverse("exposure:dashboard", kwargs={"org_slug": organization.slug}))


def test_leadership_sees_the_most_exposed_workflows_first(viewer_client, organization):
    workflow_with(
        organization=organization,
        name="Kiosk copy",
        models=["qwen3.5:0.8b"],
        criticality="high",
        switching_difficulty=5,
        monthly_cost=380,
    )
    workflow_with(
        organization=organization,
        name="Report summaries",
        models=["gpt-4o-mini"],
        criticality="low",
        monthly_cost=20,
    )
    response = dashboard(viewer_client, organization)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Kiosk copy") < page.index("Report summaries")
    summary = response.context["summary"]
    assert (summary["workflows"], summary["high"]) == (2, 1)
    assert summary["spend_high_share"] == pytest.approx(380 / 400)
    vendors = {row["slug"]: row for row in response.context["by_vendor"]}
    assert vendors["alibaba"]["high"] == 1
    assert (vendors["openai"]["workflows"], vendors["openai"]["high"]) == (1, 0)
    chart = response.context["vendor_chart"].to_plotly_json()
    assert [trace["name"] for trace in chart["data"]] == ["High exposure", "Medium exposure", "Low exposure"]
    assert 'data-plotly-figure="chart-' in page and "vendor/plotly/plotly-basic.min.js" in page


def test_an_empty_organization_gets_a_way_in(viewer_client, organization):
    page = dashboard(viewer_client, organization).content.decode()
    assert "Nothing to score yet" in page and "plotly-basic.min.js" not in page


def test_the_dashboard_query_count_does_not_grow_with_workflows(viewer_client, organization):
    for index in range(3):
        workflow_with(organization=organization, name=f"W{index}", models=["qwen3:8b"])
    dashboard(viewer_client, organization)  # the first visit also records the organization in the session
    with CaptureQueriesContext(connection) as few:
        dashboard(viewer_client, organization)
    for index in range(3, 30):
        workflow_with(organization=organization, name=f"W{index}", models=["qwen3:8b", "llama3.2"])
    with CaptureQueriesContext(connection) as many:
        dashboard(viewer_client, organization)
    assert len(few) == len(many)
