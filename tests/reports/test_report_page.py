"""The client report page: one client's workflows in plain words, for staff and that client's viewer."""

import pytest
from django.urls import reverse

from apps.reports.sections import SECTIONS, Section, register_section, report_build

pytestmark = pytest.mark.django_db


def client_report_url(agency, client):
    return reverse(
        "reports:client_report", kwargs={"org_slug": agency.organization.slug, "client_slug": client.slug}
    )


def test_it_shows_the_clients_workflows_and_nothing_of_other_clients(client, agency, agency_viewer):
    client.force_login(agency_viewer)
    response = client.get(client_report_url(agency, agency.helix))
    assert response.status_code == 200
    html = response.content.decode()
    for name in agency.helix_workflows:
        assert name in html
    for name in agency.cartwheel_workflows + agency.internal_workflows:
        assert name not in html
    assert "Prepared for Helix Health by Brightline Agency" in html


def test_it_writes_the_summary_from_the_data(agency):
    report = report_build(organization=agency.organization, client=agency.helix)
    summary = report["sections"][0]
    assert summary["key"] == "summary"
    sentences = summary["data"]["sentences"]
    assert sentences[0].startswith(
        "1 of 2 workflows is highly exposed to a change of course by a model vendor; 1 "
    )
    assert " 0 " not in sentences[0]  # bands without workflows are left out of the sentence
    assert "$3,000 a month runs on Alibaba (Qwen) models (vendor risk: high)." in sentences
    # The newsletter's cost is split between its one primary model; the fallback costs nothing until used.
    assert summary["data"]["spend_by_vendor"] == {"Alibaba (Qwen)": 3000.0, "OpenAI": 1200.0}
    assert summary["data"]["monthly_usd"] == 4200.0


def test_the_exposure_table_says_why(client, agency, agency_viewer):
    client.force_login(agency_viewer)
    html = client.get(client_report_url(agency, agency.helix)).content.decode()
    assert "Data sensitivity" in html and "regulated" in html
    assert "No fallback on another vendor" in html


def section(report: dict, key: str) -> dict | None:
    return next((s["data"] for s in report["sections"] if s["key"] == key), None)


def test_readiness_reads_the_evidence_the_score_credits(agency):
    from apps.inventory.models import Workflow

    readiness = section(report_build(organization=agency.organization, client=agency.helix), "readiness")
    assert {check["key"] for check in readiness["checks"]} == {"alternative", "archive", "plan"}
    assert readiness["with_alternative"] == 0
    assert all(value is None for row in readiness["rows"] for value in row["values"].values())

    drafting = Workflow.objects.get(name="Patient education drafting")
    drafting.exposure_factors = [
        *drafting.exposure_factors,
        {
            "key": "benchmarked_alternative",
            "label": "Benchmarked alternative",
            "value": "Llama 3.3 70B",
            "points": -8,
        },
        {"key": "verified_archive", "label": "Verified archive", "value": "2 verified copies", "points": -6},
        {
            "key": "migration_plan",
            "label": "Migration plan",
            "value": "to Llama 3.3 70B, 2 of 6 steps",
            "points": -5,
        },
    ]
    drafting.save(update_fields=["exposure_factors"])
    readiness = section(report_build(organization=agency.organization, client=agency.helix), "readiness")
    row = next(row for row in readiness["rows"] if row["workflow"] == "Patient education drafting")
    assert row["values"] == {
        "alternative": "Llama 3.3 70B",
        "archive": "2 verified copies",
        "plan": "to Llama 3.3 70B, 2 of 6 steps",
    }
    assert readiness["with_alternative"] == 1


def test_the_budget_split_is_the_clients_own_against_the_band(agency):
    budget = section(report_build(organization=agency.organization, client=agency.helix), "budget")
    # Helix: $3,000 on an open-weight Qwen model, $1,200 on GPT-4o mini (the Claude fallback costs nothing).
    assert (budget["open_usd"], budget["proprietary_usd"], budget["unclassified_usd"]) == (
        3000.0,
        1200.0,
        0.0,
    )
    assert budget["open_share"] == 0.7143 and budget["status"] == "above"
    whole = section(report_build(organization=agency.organization), "budget")
    assert whole["open_usd"] == 3900.0  # the kiosk of the other client counts only in the agency's own report
    assert whole["missing_cost"] == ["Agency pitch deck drafts"]


def test_plans_and_accepted_risks_appear_for_the_clients_workflows_only(agency):
    from datetime import timedelta

    from django.utils import timezone

    from apps.inventory.models import AIModel, Workflow
    from apps.plans.services import plan_create
    from apps.policies.services import model_approval_set, risk_treatment_set
    from tests.factories import MembershipFactory

    admin = MembershipFactory(organization=agency.organization, role="admin").user
    drafting = Workflow.objects.get(name="Patient education drafting")
    kiosk = Workflow.objects.get(name="In-store kiosk recommendations")
    plan_create(workflow=drafting, target_identifier="llama3.3:70b")
    plan_create(workflow=kiosk, target_identifier="llama3.2:3b")
    for name in ("qwen3.5:9b", "qwen3.5:0.8b"):
        model = (
            AIModel.objects.get(pk=drafting.dependencies.first().model_id)
            if name == "qwen3.5:9b"
            else (AIModel.objects.get(pk=kiosk.dependencies.first().model_id))
        )
        model_approval_set(
            organization=agency.organization,
            model=model,
            status="blocked",
            reason="licence review",
            user=admin,
        )
    risk_treatment_set(
        workflow=drafting,
        treatment="accept",
        justification="Contract renewal covers it",
        user=admin,
        expires_at=timezone.now() + timedelta(days=30),
    )

    report = report_build(organization=agency.organization, client=agency.helix)
    plans = section(report, "plans")
    assert [row["workflow"] for row in plans["rows"]] == ["Patient education drafting"]
    assert plans["rows"][0]["steps_done"] == 0 and plans["rows"][0]["steps"] >= 4
    treatment = section(report, "treatment")
    assert {row["workflow"] for row in treatment["accepted"]} == {"Patient education drafting"}
    assert all(row["accepted_until"] for row in treatment["accepted"])
    assert not any(row["workflow"] == "In-store kiosk recommendations" for row in treatment["open"])
    assert "In-store kiosk recommendations" not in str(report["sections"])


def test_signals_about_the_clients_vendors_are_listed_and_others_are_not(agency):
    from django.utils import timezone

    from apps.inventory.models import Vendor
    from apps.watch.models import Signal

    def signal(vendor_slug: str, subject: str):
        vendor = Vendor.objects.get(slug=vendor_slug)
        return Signal.objects.create(
            organization=agency.organization,
            source_spec="manual",
            kind="license_change",
            subject=subject,
            vendor=vendor,
            vendor_slug=vendor.slug,
            severity="critical",
            observed_at=timezone.now(),
            detail={"from": "apache-2.0", "to": "other"},
            key=subject,
        )

    signal("alibaba", "Qwen/Qwen3.5-9B")
    signal("google", "google/gemma-3-1b-it")
    report = report_build(organization=agency.organization, client=agency.helix)
    rows = next(s for s in report["sections"] if s["key"] == "signals")["data"]["rows"]
    assert [row["subject"] for row in rows] == ["Qwen/Qwen3.5-9B"]
    assert rows[0]["workflows"] == ["Patient education drafting"]


def test_a_section_is_one_registration(agency):
    """What the budget split and plans will do when they land: one builder, one template, one line."""
    before = list(SECTIONS)
    try:
        register_section(
            Section("budget", "Budget split", lambda scope, workflows: {"n": len(workflows)}), after="summary"
        )
        report = report_build(organization=agency.organization, client=agency.helix)
        assert [s["key"] for s in report["sections"]][:2] == ["summary", "budget"]
        assert report["sections"][1]["data"] == {"n": 2}
    finally:
        SECTIONS[:] = before


def test_the_whole_organization_report_is_for_staff(client, agency, agency_viewer, helix_viewer):
    url = reverse("reports:organization_report", kwargs={"org_slug": agency.organization.slug})
    client.force_login(agency_viewer)
    html = client.get(url).content.decode()
    for name in agency.helix_workflows + agency.cartwheel_workflows + agency.internal_workflows:
        assert name in html
    client.force_login(helix_viewer)
    assert client.get(url).status_code == 403


def test_a_client_viewer_lands_on_their_report_and_sees_no_navigation(client, agency, helix_viewer):
    client.force_login(helix_viewer)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == client_report_url(agency, agency.helix)
    html = response.content.decode()
    assert "Patient education drafting" in html
    assert 'class="sidebar"' not in html
    assert reverse("watch:inbox", kwargs={"org_slug": agency.organization.slug}) not in html
    assert "All reports" not in html


def test_a_client_viewer_gets_404_for_another_client_and_403_for_staff_pages(client, agency, helix_viewer):
    client.force_login(helix_viewer)
    assert client.get(client_report_url(agency, agency.cartwheel)).status_code == 404
    org = agency.organization.slug
    for name in (
        "exposure:dashboard",
        "inventory:index",
        "watch:index",
        "jobs:index",
        "accounts:client_list",
    ):
        assert client.get(reverse(name, kwargs={"org_slug": org})).status_code == 403, name


def test_the_reports_page_lists_clients_for_staff(client, agency, agency_admin):
    client.force_login(agency_admin)
    html = client.get(
        reverse("reports:index", kwargs={"org_slug": agency.organization.slug})
    ).content.decode()
    assert "Helix Health" in html and "Cartwheel Retail" in html
    assert "Make share link" in html and "Add client viewer" in html


def test_an_admin_adds_a_client_viewer(client, agency, agency_admin):
    from apps.accounts.models import Membership
    from tests.factories import UserFactory

    UserFactory(username="carla.cartwheel", email="carla@cartwheel.example")
    client.force_login(agency_admin)
    url = reverse("reports:client_viewer_add", kwargs={"org_slug": agency.organization.slug})
    response = client.post(
        url, {"username_or_email": "carla@cartwheel.example", "client": agency.cartwheel.pk}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="carla.cartwheel")
    assert (membership.role, membership.client) == ("client", agency.cartwheel)
    response = client.post(url, {"username_or_email": "nobody", "client": agency.cartwheel.pk})
    assert response.status_code == 422 and "No user" in response.content.decode()


def test_a_client_viewer_made_staff_is_no_longer_bound(agency, helix_viewer):
    from apps.accounts.models import Membership
    from apps.accounts.services import membership_change_role

    membership = Membership.objects.get(user=helix_viewer)
    membership_change_role(membership=membership, role="viewer")
    membership.refresh_from_db()
    assert (membership.role, membership.client) == ("viewer", None)


def test_readiness_names_the_benchmarked_alternative(organization, django_capture_on_commit_callbacks):
    """The readiness row carries the alternative's model name (the whole-organization report once
    answered 500 as soon as one workflow had a benchmarked alternative)."""
    from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
    from tests.factories import workflow_with

    workflow = workflow_with(organization=organization, name="Weekly blog localisation", models=["gpt-4o"])
    make_suite(organization, name="Localisation", cases=0, workflows=[workflow])
    document = native_document(
        results_for("gpt-4o", passed=5) + results_for("qwen2.5:7b", passed=5), suite="Localisation"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_run(organization, document)

    report = report_build(organization=organization, client=None)
    readiness = next(s for s in report["sections"] if s["key"] == "readiness")["data"]
    assert readiness["with_alternative"] == 1
    assert readiness["rows"][0]["values"]["alternative"] == "Qwen2.5-7B-Instruct"
