from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.exposure.actions import NextAction, _providers, next_actions, register_action_provider
from apps.inventory.models import Dependency, Workflow
from tests.factories import workflow_with
from tests.watch.factories import stored_signal

pytestmark = pytest.mark.django_db


def dashboard(client, organization, query=""):
    return client.get(reverse("exposure:dashboard", kwargs={"org_slug": organization.slug}) + query)


@pytest.fixture
def exposed(organization):
    workflow_with(
        organization=organization,
        name="Weekly blog localisation",
        models=["qwen-mt"],
        criticality="high",
        switching_difficulty=4,
        monthly_cost=2000,
    )
    workflow_with(organization=organization, name="Social captions", models=["llama3.2"], criticality="low")
    workflow_with(organization=organization, name="Kiosk copy", models=["acme-custom-llm"], monthly_cost=50)
    return organization


def test_actions_are_ranked_in_business_terms(exposed):
    stored_signal(exposed, vendor="alibaba", subject="Qwen/Qwen3-8B", severity="critical")
    actions = next_actions(organization=exposed)
    kinds = [action.kind for action in actions]
    assert kinds[0] == "recent_signal"  # a vendor moving now, on the most exposed, costliest workflow
    first = actions[0]
    assert first.workflow == "Weekly blog localisation" and "$2,000/month" in first.reason
    assert first.url.endswith("/watch/?vendor=alibaba")
    assert "no_alternative" in kinds and "missing_cost" in kinds and "unmapped_model" in kinds
    missing = next(action for action in actions if action.kind == "missing_cost")
    assert missing.workflow == "Social captions" and missing.url_role == "editor"
    assert [a.priority for a in actions] == sorted((a.priority for a in actions), reverse=True)


def test_an_old_signal_is_not_an_action(exposed):
    stored_signal(
        exposed, vendor="alibaba", severity="critical", observed_at=timezone.now() - timedelta(days=40)
    )
    assert "recent_signal" not in [action.kind for action in next_actions(organization=exposed)]


def test_viewers_see_every_action_but_only_links_they_can_follow(exposed, client, viewer, editor):
    edit_url = reverse(
        "inventory:workflow_edit",
        kwargs={"org_slug": exposed.slug, "workflow_id": Workflow.objects.get(name="Social captions").pk},
    )
    client.force_login(viewer)
    viewer_page = dashboard(client, exposed).content.decode()
    assert "Fill in the monthly cost of Social captions" in viewer_page
    assert edit_url not in viewer_page and "for an editor" in viewer_page
    assert reverse("inventory:review_queue", kwargs={"org_slug": exposed.slug}) not in viewer_page
    client.force_login(editor)
    editor_page = dashboard(client, exposed).content.decode()
    assert edit_url in editor_page


def test_other_apps_plug_in_their_own_actions(exposed):
    def no_plan(*, organization, client, limit):
        return [
            NextAction(
                kind="no_plan",
                title="Plan the migration of Weekly blog localisation",
                reason="no plan",
                workflow="Weekly blog localisation",
                exposure=99.0,
                monthly_usd=None,
                url="/plans/",
                link_label="Plan it",
            )
        ]

    register_action_provider(no_plan)
    try:
        assert next_actions(organization=exposed)[0].kind == "no_plan"
    finally:
        _providers.remove(no_plan)


def test_the_heatmap_counts_workflows_and_spend_and_links_to_the_filtered_inventory(exposed, viewer_client):
    response = dashboard(viewer_client, exposed)
    high_row = response.context["heatmap"]["rows"][0]
    cell = high_row["cells"][3]  # high criticality, switching difficulty 4
    assert (cell["workflows"], float(cell["spend"])) == (1, 2000.0)
    link = f"/o/{exposed.slug}/inventory/?criticality=high&amp;difficulty=4"
    assert link in response.content.decode()
    listed = viewer_client.get(f"/o/{exposed.slug}/inventory/?criticality=high&difficulty=4")
    assert [workflow.name for workflow in listed.context["page"]] == ["Weekly blog localisation"]


def test_recent_signals_name_the_workflows_they_affect(exposed, viewer_client):
    stored_signal(exposed, vendor="alibaba", subject="Qwen/Qwen3-8B", severity="warning")
    page = dashboard(viewer_client, exposed).content.decode()
    assert "Affects 1 workflow ($2,000/month): Weekly blog localisation" in page


def test_an_agency_dashboard_opens_each_clients_view(client, other_organization, outsider):
    from apps.accounts.models import Client

    northwind = Client.objects.create(organization=other_organization, slug="northwind", name="Northwind")
    workflow_with(organization=other_organization, name="NW copy", models=["qwen3:8b"], client=northwind)
    workflow_with(organization=other_organization, name="Own copy", models=["gpt-4o"])
    client.force_login(outsider)
    page = dashboard(client, other_organization).content.decode()
    assert f'href="/o/{other_organization.slug}/exposure/?client=northwind"' in page
    scoped = dashboard(client, other_organization, "?client=northwind")
    assert [w.name for w in scoped.context["most_exposed"]] == ["NW copy"]
    assert dashboard(client, other_organization, "?client=nobody").status_code == 404


def test_dashboard_and_inventory_queries_do_not_grow_from_10_to_500_workflows(viewer_client, organization):
    for index in range(10):
        workflow_with(organization=organization, name=f"W{index}", models=["qwen3:8b"], monthly_cost=10)
    stored_signal(organization, vendor="alibaba", severity="critical")
    pages = [
        reverse("exposure:dashboard", kwargs={"org_slug": organization.slug}),
        reverse("inventory:index", kwargs={"org_slug": organization.slug}) + "?per_page=500",
    ]
    for page in pages:
        viewer_client.get(page)
    few = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            viewer_client.get(page)
        few[page] = len(queries)
    template = Workflow.objects.get(name="W0")
    model = template.dependencies.get().model
    created = Workflow.objects.bulk_create(
        [
            Workflow(
                organization=organization,
                name=f"W{index}",
                monthly_cost=index,
                criticality="high",
                exposure_band="high",
                exposure_score=70,
            )
            for index in range(10, 500)
        ]
    )
    Dependency.objects.bulk_create(
        [Dependency(workflow=workflow, model=model, declared_model="qwen3:8b") for workflow in created]
    )
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            viewer_client.get(page)
        assert len(queries) == few[page], page
