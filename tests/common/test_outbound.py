"""The SSRF guard: every hop, every DNS answer, the allow list, and what users are told.

The test settings allow loopback (tests/conftest.py) for the local servers that stand in for the
outside world; these tests set the allow list themselves to prove the refusals.
"""

import ipaddress
import socket

import httpx
import pytest

from apps.common import outbound
from tests.support.plain_server import PlainServer


@pytest.fixture
def nothing_allowed(settings):
    settings.RISKBOARD_OUTBOUND_ALLOW = []


@pytest.fixture
def fake_dns(monkeypatch):
    """The resolver answers these names with these addresses (other names resolve as usual)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",  # CGNAT
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "2002:a00:1::1",  # 6to4 around 10.0.0.1
        "64:ff9b::a00:5",  # NAT64 around 10.0.0.5
        "ff02::1",
    ],
)
def test_non_public_addresses_are_denied(nothing_allowed, address):
    assert not outbound.address_allowed(ipaddress.ip_address(address))
    assert outbound.url_problem(f"http://{address if ':' not in address else f'[{address}]'}/x")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(nothing_allowed, address):
    assert outbound.address_allowed(ipaddress.ip_address(address))


def test_the_operator_allow_list_takes_cidrs_and_host_names(settings):
    settings.RISKBOARD_OUTBOUND_ALLOW = ["10.0.8.0/24", "ollama.internal"]

    assert outbound.address_allowed(ipaddress.ip_address("10.0.8.20"))
    assert not outbound.address_allowed(ipaddress.ip_address("10.0.9.20"))
    assert outbound.url_problem("http://ollama.internal:11434/v1") is None
    assert outbound.url_problem("http://10.0.8.20/v1") is None
    assert outbound.url_problem("http://10.0.9.20/v1")


def test_a_url_to_loopback_is_refused_before_anything_is_sent(nothing_allowed):
    with PlainServer() as server, outbound.client() as client, pytest.raises(httpx.ConnectError) as failure:
        client.get(server.url)

    assert outbound.describe_error(failure.value) == "the address is not allowed"
    assert server.hits == []


def test_a_redirect_to_a_private_address_is_refused(settings):
    settings.RISKBOARD_OUTBOUND_ALLOW = ["127.0.0.1/32"]  # the first hop only
    with PlainServer("127.0.0.2") as inside, PlainServer("127.0.0.1") as outside:
        outside.redirect_to = inside.url + "secret"
        with outbound.client(follow_redirects=True) as client, pytest.raises(httpx.ConnectError) as failure:
            client.get(outside.url)

    assert outbound.is_blocked(failure.value)
    assert len(outside.hits) == 1 and inside.hits == []


def test_one_private_answer_among_public_ones_refuses_the_name(nothing_allowed, fake_dns):
    fake_dns["mixed.example"] = ["93.184.216.34", "10.0.0.5"]

    with outbound.client() as client, pytest.raises(httpx.ConnectError) as failure:
        client.get("http://mixed.example/")

    assert outbound.is_blocked(failure.value)


def test_it_connects_to_the_address_it_checked_and_keeps_the_host_name(settings, fake_dns):
    settings.RISKBOARD_OUTBOUND_ALLOW = ["127.0.0.1/32"]
    with PlainServer() as server:
        fake_dns["models.example"] = ["127.0.0.1"]
        with outbound.client() as client:
            response = client.get(f"http://models.example:{server.port}/v1")

    assert response.text == "hello"
    assert server.hits == [("/v1", f"models.example:{server.port}")]


def test_error_text_does_not_map_the_internal_network(settings, fake_dns):
    settings.RISKBOARD_OUTBOUND_ALLOW = ["127.0.0.1/32"]
    fake_dns["redis.internal.example"] = ["10.0.0.5"]
    closed_port = _closed_port()

    with outbound.client() as client:
        with pytest.raises(httpx.ConnectError) as blocked:
            client.get("http://redis.internal.example:6379/")
        with pytest.raises(httpx.ConnectError) as refused:
            client.get(f"http://127.0.0.1:{closed_port}/")

    assert outbound.describe_error(blocked.value) == "the address is not allowed"
    assert outbound.describe_error(refused.value) == "could not connect"
    assert "10.0.0.5" not in str(blocked.value) and "refused" not in outbound.describe_error(refused.value)


@pytest.mark.django_db
def test_a_feed_on_a_private_address_fails_for_good_and_says_only_that(nothing_allowed, fake_dns):
    from apps.watch.sources import PollSettings, SourceError, parse_spec, poll

    fake_dns["intranet.example"] = ["192.168.0.10"]

    with pytest.raises(SourceError) as failure:
        poll(parse_spec("feed:http://intranet.example:8080/rss"), None, settings=PollSettings(timeout=2))

    assert str(failure.value) == "http://intranet.example:8080/rss: the address is not allowed"
    assert not failure.value.transient  # a person must fix the address or the allow list


def test_a_webhook_to_loopback_is_not_delivered_nor_retried(nothing_allowed):
    from apps.watch.webhooks import deliver, generate_secret

    waits = []
    with PlainServer() as server:
        result = deliver(server.url, {"type": "t"}, secret=generate_secret(), sleep=waits.append)

    assert (result.delivered, result.attempts, result.error, result.retryable) == (
        False,
        1,
        "the address is not allowed",
        False,
    )
    assert server.hits == [] and waits == []


def test_a_benchmark_endpoint_on_loopback_is_refused_by_the_runner(nothing_allowed):
    from apps.benchmarks.records import Case
    from apps.benchmarks.runner import Candidate, Endpoint, RunnerSettings, run_benchmark
    from tests.support.openai_server import OpenAICompatibleServer

    with OpenAICompatibleServer() as server:
        [result] = run_benchmark(
            [Case(key="c", prompt="hi")],
            [Candidate(model="m", endpoint=Endpoint(base_url=server.base_url))],
            settings=RunnerSettings(timeout_s=5, backoff_initial_s=0.01),
        )

    assert result.error == "connection failed: the address is not allowed"
    assert result.metrics["attempts"] == 1.0
    assert server.requests == []


@pytest.mark.django_db
def test_forms_refuse_urls_to_private_addresses(client, admin_user, organization, nothing_allowed):
    from django.urls import reverse

    client.force_login(admin_user)
    feed = client.post(
        reverse("watch:source_list", args=[organization.slug]),
        {"spec": "feed:http://10.0.0.5/rss", "poll_interval_minutes": 60},
    )
    hook = client.post(
        reverse("watch:rule_create", args=[organization.slug]),
        {
            "name": "Exfiltrate",
            "min_severity": "warning",
            "notify_webhook": "on",
            "webhook_url": "http://169.254.169.254/latest/meta-data/",
            "delivery": "immediate",
        },
    )
    endpoint = client.post(
        reverse("benchmarks:endpoint_create", args=[organization.slug]),
        {"name": "Local", "base_url": "http://localhost:11434/v1", "kind": "ollama"},
    )

    for response in (feed, hook, endpoint):
        assert response.status_code == 422
        assert "the address is not allowed" in response.content.decode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
