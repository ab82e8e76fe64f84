"""Scores stay true as signals age: the daily refresh, its snapshots and the trend, on a controlled clock."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from apps.exposure import tasks
from apps.exposure.history import snapshots_for
from apps.inventory.models import AIModel, OrganizationVendorRisk, Workflow
from tests.factories import workflow_with
from tests.watch.factories import stored_signal

pytestmark = pytest.mark.django_db

DAY_ZERO = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def score_of(name: str) -> float:
    return Workflow.objects.get(name=name).exposure_score


def test_a_critical_signal_raises_a_score_and_the_daily_refresh_brings_it_back(organization, viewer_client):
    with time_machine.travel(DAY_ZERO, tick=False) as clock:
        workflow_with(
            organization=organization, name="Lead scoring agent", models=["llama3.2"], criticality="high"
        )
        tasks.refresh_all_organizations()  # beat, day 0: the calm before
        calm = score_of("Lead scoring agent")

        stored_signal(organization, severity="critical", observed_at=DAY_ZERO)
        raised = score_of("Lead scoring agent")
        assert raised > calm
        assert OrganizationVendorRisk.objects.get(organization=organization).risk_level == "high"

        clock.shift(timedelta(days=1))
        tasks.refresh_all_organizations()  # day 1: the signal still counts
        assert score_of("Lead scoring agent") == raised

        clock.shift(timedelta(days=199))  # the signal is 200 days old
        assert score_of("Lead scoring agent") == raised  # nothing moves a stored score by itself …
        tasks.refresh_all_organizations()  # … until the daily refresh
        assert score_of("Lead scoring agent") == calm
        assert not OrganizationVendorRisk.objects.filter(organization=organization).exists()

        trend = snapshots_for(organization=organization, days=365)
        assert [(s.day.isoformat(), s.mean_score, s.high) for s in trend] == [
            ("2026-03-04", calm, int(calm >= 60)),
            ("2026-03-05", raised, int(raised >= 60)),
            ("2026-09-20", calm, int(calm >= 60)),
        ]
        chart = viewer_client.get(
            reverse("exposure:dashboard", kwargs={"org_slug": organization.slug})
        ).context["trend_chart"]
        mean_trace = chart.to_plotly_json()["data"][0]
        assert list(mean_trace["y"]) == [calm, raised, calm]


def test_exposure_refresh_does_the_same_on_demand(organization, capsys):
    with time_machine.travel(DAY_ZERO, tick=False) as clock:
        workflow_with(organization=organization, name="Kiosk", models=["llama3.2"])
        calm = score_of("Kiosk")
        stored_signal(organization, severity="critical", observed_at=DAY_ZERO)
        clock.shift(timedelta(days=200))
        call_command("exposure", "--refresh", "--json", "--organization", organization.slug)
        captured = capsys.readouterr()
        document = json.loads(captured.out)
        assert document["workflows"][0]["score"] == calm
        # the calmer vendor level already rescored the workflow; nothing else was stale
        assert "Refreshed acme: 1 workflows checked, 0 rescored, 1 vendor risk levels moved" in captured.err
        assert [s.day.isoformat() for s in snapshots_for(organization=organization, days=1)] == ["2026-09-20"]


def test_an_admin_edit_of_a_catalog_model_rescores_what_depends_on_it(
    client, admin_user, organization, django_capture_on_commit_callbacks
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    workflow_with(organization=organization, name="Drafts", models=["llama3.2"])
    before = Workflow.objects.get(name="Drafts").exposure_factors
    assert "api_only" not in [factor["key"] for factor in before]
    model = Workflow.objects.get(name="Drafts").dependencies.get().model
    from django.forms.models import model_to_dict

    data = {k: v for k, v in model_to_dict(model).items() if v is not None and k != "id"}
    data.update(
        open_weights="",  # an unticked checkbox: the weights are withdrawn
        modalities=json.dumps(model.modalities),
        **{"aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/inventory/aimodel/{model.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AIModel.objects.get(pk=model.pk).open_weights is False
    after = Workflow.objects.get(name="Drafts").exposure_factors
    assert "api_only" in [factor["key"] for factor in after]
