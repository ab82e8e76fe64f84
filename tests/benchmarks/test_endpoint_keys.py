"""Which key an endpoint may send: server keys only when granted, stored keys only to their own host."""

import pytest
from django.urls import reverse

from apps.benchmarks import services
from apps.benchmarks.models import Endpoint
from tests.benchmarks.makers import make_endpoint, make_suite
from tests.support.openai_server import OpenAICompatibleServer

pytestmark = pytest.mark.django_db

GRANTS = "acme=OPENAI_PROD, QWEN;globex=RISKBOARD_ENDPOINT_KEY_DASHSCOPE"


def url(name, organization, *args):
    return reverse(f"benchmarks:{name}", args=[organization.slug, *args])


def run_once(organization, endpoint, django_capture_on_commit_callbacks):
    suite = make_suite(organization, cases=1)
    candidate = services.candidate_create(
        organization=organization, endpoint=endpoint, identifier="gpt-4o-mini"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(suite=suite, candidates=[candidate], settings={"timeout_s": 10})
    run.refresh_from_db()
    return run


def test_the_form_offers_only_the_keys_granted_to_the_organization(editor_client, organization, settings):
    settings.RISKBOARD_ENDPOINT_KEY_GRANTS = GRANTS

    page = editor_client.get(url("endpoint_create", organization)).content.decode()

    assert 'value="RISKBOARD_ENDPOINT_KEY_OPENAI_PROD"' in page
    assert 'value="RISKBOARD_ENDPOINT_KEY_QWEN"' in page
    assert "DASHSCOPE" not in page  # granted to globex, not to acme


def test_a_key_granted_to_another_organization_is_a_form_error(editor_client, organization, settings):
    settings.RISKBOARD_ENDPOINT_KEY_GRANTS = GRANTS

    response = editor_client.post(
        url("endpoint_create", organization),
        {
            "name": "Borrowed",
            "base_url": "https://attacker.example/v1",
            "kind": "other",
            "api_key_env": "RISKBOARD_ENDPOINT_KEY_DASHSCOPE",
        },
    )

    assert response.status_code == 422
    assert (
        "$RISKBOARD_ENDPOINT_KEY_DASHSCOPE is not granted to this organization" in response.content.decode()
    )
    assert not Endpoint.objects.exists()


def test_the_runner_refuses_a_key_that_is_not_granted_and_sends_nothing(
    organization, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RISKBOARD_ENDPOINT_KEY_GRANTS = "globex=DASHSCOPE"  # granted once to acme, since revoked
    monkeypatch.setenv("RISKBOARD_ENDPOINT_KEY_DASHSCOPE", "sk-globex-only")
    with OpenAICompatibleServer() as server:
        endpoint = make_endpoint(
            organization, base_url=server.base_url, api_key_env="RISKBOARD_ENDPOINT_KEY_DASHSCOPE"
        )
        run = run_once(organization, endpoint, django_capture_on_commit_callbacks)

    assert run.status == "failed"
    assert "$RISKBOARD_ENDPOINT_KEY_DASHSCOPE is not granted to this organization" in run.error
    assert server.requests == []


def test_moving_an_endpoint_to_another_host_asks_for_the_key_again(editor_client, organization):
    endpoint = make_endpoint(organization, base_url="https://models.acme.example/v1", api_key="sk-acme")
    token = endpoint.api_key_encrypted
    moved = {"name": endpoint.name, "base_url": "https://collector.attacker.example/v1", "kind": "vllm"}

    refused = editor_client.post(url("endpoint_edit", organization, endpoint.pk), {**moved, "api_key": ""})

    assert refused.status_code == 422
    assert "enter the key for the new address" in refused.content.decode().lower()
    endpoint.refresh_from_db()
    assert (endpoint.base_url, endpoint.api_key_encrypted) == ("https://models.acme.example/v1", token)

    editor_client.post(url("endpoint_edit", organization, endpoint.pk), {**moved, "api_key": "sk-new"})

    endpoint.refresh_from_db()
    assert endpoint.api_key_host == "collector.attacker.example:443" and endpoint.api_key_encrypted != token


def test_the_same_host_on_another_path_keeps_the_key(editor_client, organization):
    endpoint = make_endpoint(organization, base_url="https://models.acme.example/v1", api_key="sk-acme")

    response = editor_client.post(
        url("endpoint_edit", organization, endpoint.pk),
        {"name": endpoint.name, "base_url": "https://models.acme.example/openai/v1", "kind": "vllm"},
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.key_status == "set"


def test_a_stored_key_is_never_sent_to_a_host_it_was_not_entered_for(
    organization, django_capture_on_commit_callbacks
):
    with OpenAICompatibleServer(api_key="sk-acme") as home, OpenAICompatibleServer() as elsewhere:
        endpoint = make_endpoint(organization, base_url=home.base_url, api_key="sk-acme")
        # Moved behind the form's back (the admin, a script): the key stays bound to its host.
        Endpoint.objects.filter(pk=endpoint.pk).update(base_url=elsewhere.base_url)
        endpoint.refresh_from_db()
        run = run_once(organization, endpoint, django_capture_on_commit_callbacks)

    assert run.status == "failed" and "enter the key again" in run.error
    assert elsewhere.requests == [] and home.requests == []


def test_saving_a_moved_endpoint_through_the_service_drops_the_key(organization):
    endpoint = make_endpoint(organization, base_url="https://models.acme.example/v1", api_key="sk-acme")
    endpoint.base_url = "https://other.example/v1"

    services.endpoint_save(endpoint=endpoint)

    endpoint.refresh_from_db()
    assert (endpoint.api_key_encrypted, endpoint.api_key_host, endpoint.key_status) == ("", "", "none")
