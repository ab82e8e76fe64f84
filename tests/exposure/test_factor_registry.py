"""One registry entry per factor: the score, the why, the method page and refreshes all read it."""

import pytest
from django.urls import reverse

from apps.exposure import factors, services
from apps.exposure.factors import FactorDefinition, registered_factors
from apps.exposure.scoring import ExposureInputs, exposure_score
from apps.inventory.models import Workflow
from tests.factories import MembershipFactory, OrganizationFactory, workflow_with

KIOSK_FLAG = "kiosk_offline_ready"


def _kiosk_factor() -> FactorDefinition:
    def provider(workflow_ids):
        return dict.fromkeys(
            Workflow.objects.filter(pk__in=workflow_ids, name__icontains="kiosk").values_list(
                "pk", flat=True
            ),
            "runs offline",
        )

    return FactorDefinition(
        key=KIOSK_FLAG,
        label="Kiosk runs offline",
        order=200,
        points="-3",
        why="An edge device keeps working when the vendor changes course.",
        evaluate=lambda inputs: (
            (inputs.provided[KIOSK_FLAG], -3) if inputs.provided.get(KIOSK_FLAG) else None
        ),
        provider=provider,
        refreshed_when="the kiosk fleet reports in",
    )


@pytest.fixture
def kiosk_factor(monkeypatch):
    definition = _kiosk_factor()
    monkeypatch.setitem(factors._registry, KIOSK_FLAG, definition)
    return definition


def test_the_core_and_app_factors_are_registered_once_each_in_display_order():
    keys = [definition.key for definition in registered_factors()]
    assert keys[:3] == ["criticality", "switching_difficulty", "vendor_risk"]
    assert {"benchmarked_alternative", "recent_signals"} <= set(keys)
    assert len(keys) == len(set(keys))


def test_a_registered_factor_moves_the_pure_score_and_explains_itself(kiosk_factor):
    inputs = ExposureInputs(criticality="high", switching_difficulty=3, vendor_risk="high")
    plain = exposure_score(inputs)
    with_flag = exposure_score(
        ExposureInputs(**{**inputs.__dict__, "provided": {KIOSK_FLAG: "runs offline"}})
    )
    assert with_flag.score == plain.score - 3
    assert (KIOSK_FLAG, "Kiosk runs offline", "runs offline", -3) in [
        (f.key, f.label, f.value, f.points) for f in with_flag.factors
    ]


@pytest.mark.django_db
def test_a_registered_factor_reaches_the_stored_why_through_its_provider(kiosk_factor):
    organization = OrganizationFactory()
    kiosk = workflow_with(organization=organization, models=["qwen2.5:7b"], name="Store kiosk assistant")
    other = workflow_with(organization=organization, models=["qwen2.5:7b"], name="Blog drafts")
    services.exposure_refresh(workflow_ids=[kiosk.pk, other.pk])
    kiosk.refresh_from_db()
    other.refresh_from_db()
    assert {f["key"]: f["points"] for f in kiosk.exposure_factors}[KIOSK_FLAG] == -3
    assert KIOSK_FLAG not in {f["key"] for f in other.exposure_factors}


@pytest.mark.django_db
def test_the_method_page_lists_every_registered_factor_from_its_entry(client, kiosk_factor):
    membership = MembershipFactory(role="viewer")
    client.force_login(membership.user)
    page = client.get(reverse("exposure:method", args=[membership.organization.slug])).content.decode()
    for definition in registered_factors():
        assert f'id="factor-{definition.key}"' in page
    assert "An edge device keeps working when the vendor changes course." in page
    assert "The kiosk fleet reports in" in page


@pytest.mark.django_db
def test_a_moved_factor_refreshes_its_workflows_once_the_change_commits(
    kiosk_factor, monkeypatch, django_capture_on_commit_callbacks
):
    # The kiosk existed before the factor did, so its stored why does not name it yet.
    monkeypatch.delitem(factors._registry, KIOSK_FLAG)
    kiosk = workflow_with(organization=OrganizationFactory(), models=["qwen2.5:7b"], name="Store kiosk")
    monkeypatch.setitem(factors._registry, KIOSK_FLAG, kiosk_factor)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.exposure_factor_moved(factor_key=KIOSK_FLAG, workflow_ids=[kiosk.pk, kiosk.pk])
        kiosk.refresh_from_db()
        assert KIOSK_FLAG not in {f["key"] for f in kiosk.exposure_factors}
    assert len(callbacks) == 1
    kiosk.refresh_from_db()  # Celery runs eagerly in tests: the refresh ran on commit
    assert KIOSK_FLAG in {f["key"] for f in kiosk.exposure_factors}


def test_an_unregistered_factor_cannot_be_refreshed():
    with pytest.raises(LookupError, match="no_such_factor"):
        services.exposure_factor_moved(factor_key="no_such_factor", workflow_ids=[1])
