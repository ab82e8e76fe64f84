"""`manage.py watch [SOURCE ...] [--organization SLUG] [--json]` against a local Hugging Face Hub."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from huggingface_hub.utils import _http as hf_http

from apps.jobs.models import ImportJob
from apps.jobs.services import job_run, job_submit
from apps.watch.models import Signal, Source
from tests.factories import OrganizationFactory
from tests.support.feed_server import HANG_PATH
from tests.support.hf_server import PLACEHOLDER_CREATED_AT, HubServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub_endpoint(hub, monkeypatch):
    # huggingface_hub reads HF_ENDPOINT at import time; the source reads it again at poll time.
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    return hub


def publish_monthly_releases(hub: HubServer) -> None:
    """Four Qwen releases a month apart, the last in April 2025: long overdue by now."""
    for index, day in enumerate(["2025-01-10", "2025-02-10", "2025-03-12", "2025-04-10"]):
        hub.add_model(f"Qwen/Qwen3-{index + 1}B", created_at=f"{day}T10:00:00.000Z", license="apache-2.0")
    hub.add_model("Qwen/legacy-tokenizer", created_at=PLACEHOLDER_CREATED_AT, license="apache-2.0")


def watch_json(*args: str) -> dict:
    out = StringIO()
    call_command("watch", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def kinds_and_subjects(document: dict) -> list[tuple[str, str]]:
    return sorted((signal["kind"], signal["subject"]) for signal in document["signals"])


def test_acceptance_two_polls_give_the_expected_signals_and_a_third_gives_none(organization, hub_endpoint):
    hub = hub_endpoint
    publish_monthly_releases(hub)

    first = watch_json("hf:Qwen")
    hub.add_model("Qwen/Qwen4-8B", created_at="2026-11-28T10:00:00.000Z", license="apache-2.0")
    hub.set_license("Qwen/Qwen3-2B", "other", license_name="qwen-research", license_link="LICENSE")
    second = watch_json("hf:Qwen")
    third = watch_json("hf:Qwen")

    assert first["schema"] == second["schema"] == third["schema"] == "riskboard.signals/1"
    assert kinds_and_subjects(first) == [("cadence_slip", "Qwen")]
    assert kinds_and_subjects(second) == [
        ("license_change", "Qwen/Qwen3-2B"),
        ("new_release", "Qwen/Qwen4-8B"),
    ]
    assert third["signals"] == []
    license_change = next(s for s in second["signals"] if s["kind"] == "license_change")
    assert license_change["source"] == "hf:Qwen"
    assert license_change["vendor"] == "alibaba"
    assert license_change["severity"] == "critical"
    assert license_change["detail"]["from"] == "apache-2.0"
    assert license_change["detail"]["to"] == "other"
    assert license_change["observed_at"].endswith("Z")
    assert Signal.objects.filter(organization=organization).count() == 3


def test_it_creates_the_named_source_for_the_only_organization_and_keeps_its_snapshot(
    organization, hub_endpoint
):
    publish_monthly_releases(hub_endpoint)

    watch_json("hf:Qwen")

    source = Source.objects.get()
    assert (source.organization, source.spec, source.kind) == (organization, "hf:Qwen", "hf")
    assert set(source.snapshot["models"]) >= {"Qwen/Qwen3-1B", "Qwen/Qwen3-4B"}
    assert source.last_success_at is not None and source.last_error == ""
    job = ImportJob.objects.get()
    assert (job.kind, job.source, job.status) == ("signals", "cli", "succeeded")
    assert job.counts == {"signals_received": 1, "signals_created": 1}


def test_the_same_observation_twice_makes_one_signal(organization, hub_endpoint):
    publish_monthly_releases(hub_endpoint)
    watch_json("hf:Qwen")
    job = ImportJob.objects.get()
    document = json.loads(bytes(job.payload))

    again, created = job_submit(
        organization=organization, kind="signals", payload=bytes(job.payload), source="api"
    )
    document["signals"][0]["observed_at"] = "2026-11-30T08:00:00Z"  # seen again, later
    later, later_created = job_submit(
        organization=organization, kind="signals", payload=json.dumps(document).encode(), source="api"
    )
    job_run(job_id=later.pk)

    assert (again.pk, created) == (job.pk, False)
    assert later_created
    later.refresh_from_db()
    assert later.status == "succeeded"
    assert later.counts == {"signals_received": 1, "signals_created": 0}
    assert Signal.objects.count() == 1


def test_a_source_that_times_out_is_recorded_and_does_not_stop_the_next(
    organization, hub_endpoint, feeds, monkeypatch, settings
):
    monkeypatch.setattr(hf_http.time, "sleep", lambda seconds: None)
    publish_monthly_releases(hub_endpoint)
    settings.RISKBOARD_WATCH_POLL = {"timeout": 0.3, "max_retries": 0}
    hanging = f"feed:{feeds.url}{HANG_PATH}"
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 source"):
        call_command("watch", hanging, "hf:Qwen", "--json", stdout=out, stderr=err)

    document = json.loads(out.getvalue())
    assert kinds_and_subjects(document) == [("cadence_slip", "Qwen")]
    broken = Source.objects.get(spec=hanging)
    assert broken.last_success_at is None
    assert "timed out" in broken.last_error
    assert broken.last_error_transient
    assert broken.consecutive_failures == 1
    assert broken.next_poll_at > broken.last_polled_at
    assert Source.objects.get(spec="hf:Qwen").last_error == ""
    assert "timed out" in err.getvalue()


def test_it_needs_an_organization_when_there_are_several(organization, hub_endpoint):
    OrganizationFactory(slug="second")

    with pytest.raises(CommandError, match="--organization"):
        watch_json("hf:Qwen")


def test_it_refuses_a_malformed_source(organization):
    with pytest.raises(CommandError, match="not a source"):
        watch_json("huggingface:Qwen")


def test_without_sources_it_polls_every_enabled_source_once(organization, hub_endpoint):
    publish_monthly_releases(hub_endpoint)
    watch_json("hf:Qwen")
    Source.objects.create(organization=organization, spec="hf:mistralai", kind="hf", enabled=False)
    hub_endpoint.add_model("Qwen/Qwen4-8B", created_at="2026-11-28T10:00:00.000Z")

    document = watch_json()

    assert kinds_and_subjects(document) == [("new_release", "Qwen/Qwen4-8B")]
    assert Source.objects.get(spec="hf:mistralai").last_polled_at is None


def test_without_json_it_prints_a_readable_line_per_source(organization, hub_endpoint):
    publish_monthly_releases(hub_endpoint)
    out = StringIO()

    call_command("watch", "hf:Qwen", stdout=out)

    assert out.getvalue().splitlines() == ["hf:Qwen: 1 new signal(s)", "  warning  cadence_slip      Qwen"]
