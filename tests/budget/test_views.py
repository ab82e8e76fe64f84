import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.budget.models import BudgetTarget, SavedScenario
from apps.budget.services import scenario_save
from apps.inventory.models import Workflow
from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
from tests.budget.sheet import make_sheet
from tests.factories import MembershipFactory, UserFactory, workflow_with

pytestmark = pytest.mark.django_db


def member(organization, role):
    return MembershipFactory(
        user=UserFactory(username=f"{role}-{organization.slug}"), organization=organization, role=role
    ).user


def budget_url(organization, name="budget:index", **kwargs):
    return reverse(name, kwargs={"org_slug": organization.slug, **kwargs})


def test_a_viewer_sees_the_split_against_the_band_and_scenarios_side_by_side(client):
    agency = make_sheet()
    scenario_save(organization=agency, name="Alibaba ×15", spec="alibaba*15")
    scenario_save(organization=agency, name="Alibaba API-only", spec="alibaba:api-only*15")
    client.force_login(member(agency, "viewer"))
    response = client.get(budget_url(agency))
    assert response.status_code == 200
    page = response.content.decode()
    totals = response.context["totals"]
    assert [float(round(amount, 2)) for amount in (totals.open, totals.proprietary, totals.unclassified)] == [
        716.67,
        1783.33,
        350.0,
    ]
    assert "29 %" in page and "target 60 %–70 %" in page and "below the band" in page
    compared = {saved.name: view for saved, view in response.context["compared"]}
    assert round(compared["Alibaba ×15"].delta, 2) == round(compared["Alibaba API-only"].delta, 2)
    assert "+$13,767" in page
    assert "Social captions brainstorm" in page  # listed without a cost
    assert "Save scenario" not in page and "Change the target band" not in page  # viewer: no forms


def test_the_missing_cost_links_only_for_editors(client):
    agency = make_sheet()
    missing = Workflow.objects.get(name="Social captions brainstorm")
    edit_url = reverse("inventory:workflow_edit", kwargs={"org_slug": agency.slug, "workflow_id": missing.pk})
    client.force_login(member(agency, "viewer"))
    assert edit_url not in client.get(budget_url(agency)).content.decode()
    client.force_login(member(agency, "editor"))
    assert edit_url in client.get(budget_url(agency)).content.decode()


def test_a_client_view_shows_only_that_client(client):
    agency = make_sheet()
    client.force_login(member(agency, "viewer"))
    response = client.get(budget_url(agency) + "?client=northwind")
    assert float(response.context["totals"].total) == 1100.0
    names = [workflow.name for workflow, _ in response.context["rows"]]
    assert names == ["Ad creative analysis", "Weekly blog localisation"]
    assert client.get(budget_url(agency) + "?client=nobody").status_code == 404


def test_an_editor_tries_a_scenario_then_saves_it(client):
    agency = make_sheet()
    client.force_login(member(agency, "editor"))
    tried = client.get(budget_url(agency), {"vendor": "alibaba", "factor": "15"})
    assert float(round(tried.context["tried"].delta, 2)) == 13766.67
    response = client.post(
        budget_url(agency, "budget:scenario_create"),
        {"vendor": "alibaba", "factor": "15", "name": "Alibaba ×15"},
    )
    saved = SavedScenario.objects.get(organization=agency)
    assert response.status_code == 302 and response.url == saved.get_absolute_url()
    assert saved.spec == "alibaba*15"
    again = client.post(
        budget_url(agency, "budget:scenario_create"),
        {"vendor": "alibaba", "factor": "2", "name": "Alibaba ×15"},
    )
    assert again.status_code == 422 and SavedScenario.objects.count() == 1
    bad = client.post(budget_url(agency, "budget:scenario_create"), {"vendor": "acme", "factor": "-1"})
    assert bad.status_code == 422 and "not one of the available choices" in bad.content.decode()


def test_the_scenario_page_shows_the_delta_per_workflow(client):
    agency = make_sheet()
    saved = scenario_save(organization=agency, name="Alibaba ×15", spec="alibaba*15")
    client.force_login(member(agency, "viewer"))
    response = client.get(saved.get_absolute_url())
    page = response.content.decode()
    assert "+$13,767" in page and "$16,617" in page
    assert [row["workflow"] for row in response.context["deltas"]][0] == "Ad creative analysis"
    assert "Delete" not in page


def test_viewers_cannot_save_scenarios_and_only_admins_set_the_band(client):
    agency = make_sheet()
    client.force_login(member(agency, "viewer"))
    assert (
        client.post(
            budget_url(agency, "budget:scenario_create"), {"vendor": "alibaba", "factor": "15"}
        ).status_code
        == 403
    )
    client.force_login(member(agency, "editor"))
    assert (
        client.post(budget_url(agency, "budget:target_update"), {"open_min": 50, "open_max": 60}).status_code
        == 403
    )
    client.force_login(member(agency, "admin"))
    bad = client.post(budget_url(agency, "budget:target_update"), {"open_min": 70, "open_max": 60})
    assert bad.status_code == 422 and "at least the lower bound" in bad.content.decode()
    assert (
        client.post(budget_url(agency, "budget:target_update"), {"open_min": 20, "open_max": 30}).status_code
        == 302
    )
    target = BudgetTarget.objects.get(organization=agency)
    assert (float(target.open_min), float(target.open_max)) == (0.2, 0.3)


def test_what_to_move_names_the_benchmarked_alternative_and_keeps_the_constraints(client):
    agency = make_sheet()
    easy = Workflow.objects.get(name="Campaign copy via CopyTool")
    critical = Workflow.objects.get(name="Lead scoring agent")  # high criticality: may stay proprietary
    suite = make_suite(agency, name="Copy suite", cases=5, workflows=[easy, critical])
    import_run(
        agency,
        native_document(
            results_for("llama3.2", passed=5, cost_usd=0.0001) + results_for("gpt-4o", passed=5),
            suite="Copy suite",
        ),
    )
    client.force_login(member(agency, "viewer"))
    plan = client.get(budget_url(agency)).context["plan"]
    assert plan.direction == "to_open"
    assert [(m.candidate.workflow, m.candidate.evidence.model) for m in plan.moves] == [
        ("Campaign copy via CopyTool", "Llama 3.2 3B Instruct")
    ]
    assert plan.moves[0].candidate.evidence.pass_rate == 1.0 and suite.runs.count() == 1
    assert all(m.candidate.workflow != "Lead scoring agent" for m in plan.moves)


def test_the_budget_page_query_count_does_not_grow_with_workflows(client, organization):
    viewer = member(organization, "viewer")
    client.force_login(viewer)
    for index in range(10):
        workflow_with(
            organization=organization, name=f"W{index}", models=["qwen3:8b", "gpt-4o"], monthly_cost=100
        )
    client.get(budget_url(organization) + "?per_page=500")
    with CaptureQueriesContext(connection) as few:
        client.get(budget_url(organization) + "?per_page=500")
    for index in range(10, 500):
        Workflow.objects.create(organization=organization, name=f"W{index}", monthly_cost=10 + index)
    with CaptureQueriesContext(connection) as many:
        client.get(budget_url(organization) + "?per_page=500")
    assert len(few) == len(many)
