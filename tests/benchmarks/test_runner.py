"""The runner end to end: the official openai client against a real local HTTP server."""

import asyncio
import threading
import time

import pytest
from openai import AsyncOpenAI

from apps.benchmarks.ai_clients import OpenAIEmbeddings
from apps.benchmarks.assertions import Assertion
from apps.benchmarks.records import Case
from apps.benchmarks.runner import (
    Candidate,
    Endpoint,
    RunnerSettings,
    planned_keys,
    run_benchmark,
    run_benchmark_async,
)
from apps.benchmarks.summary import summarize_results
from apps.common.prices import load_price_map
from tests.support.openai_server import OpenAICompatibleServer

FAST_RETRIES = RunnerSettings(backoff_initial_s=0.01, timeout_s=10)


def headline_case(key="headline-de", **kwargs):
    return Case(key=key, prompt="Bonjour le monde", **kwargs)


def test_it_streams_an_answer_and_measures_it(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    case = headline_case(system="Answer in one line.")

    [result] = run_benchmark([case], [Candidate("qwen2.5:7b", endpoint)], settings=FAST_RETRIES)

    assert result.output == "Echo: Bonjour le monde"
    assert (result.model, result.vendor, result.family, result.case_key) == (
        "qwen2.5:7b",
        "alibaba",
        "qwen",
        "headline-de",
    )
    assert (result.prompt_tokens, result.completion_tokens) == (
        7,
        4,
    )  # words in system + prompt; in the answer
    # The server waits 50 ms before the first word and 5 ms between the next three.
    assert result.ttft_ms >= 50
    assert result.latency_ms >= result.ttft_ms + 15
    assert result.tokens_per_s == pytest.approx(4 / ((result.latency_ms - result.ttft_ms) / 1000))
    assert (result.passed, result.score, result.error) == (True, None, None)
    [request] = openai_server.requests_for("qwen2.5:7b")
    assert request["stream"] is True


def test_it_prices_answers_from_the_price_map_and_leaves_unknown_prices_unknown(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    candidates = [
        Candidate("gpt-4o", endpoint),
        Candidate("qwen2.5:7b", Endpoint(openai_server.base_url, kind="ollama")),
    ]

    results = run_benchmark([headline_case()], candidates, price_map=load_price_map(), settings=FAST_RETRIES)
    costs = {result.model: result.cost_usd for result in results}

    # 3 prompt tokens × $2.5/M + 4 completion tokens × $10/M
    assert costs == {"gpt-4o": pytest.approx(0.0000475, abs=1e-12), "qwen2.5:7b": None}


def test_it_uses_the_catalog_identifier_for_a_served_alias(openai_server):
    candidate = Candidate("my-proxy-alias", Endpoint(openai_server.base_url), identifier="gpt-4o-mini")

    [result] = run_benchmark(
        [headline_case()], [candidate], price_map=load_price_map(), settings=FAST_RETRIES
    )

    assert (result.model, result.vendor) == ("gpt-4o-mini", "openai")
    assert result.cost_usd is not None
    assert openai_server.requests_for("my-proxy-alias")


def test_it_retries_a_rate_limited_request_then_succeeds(openai_server):
    [result] = run_benchmark(
        [headline_case()],
        [Candidate("rate-limited", Endpoint(openai_server.base_url))],
        settings=FAST_RETRIES,
    )

    assert (result.passed, result.error, result.metrics["attempts"]) == (True, None, 2.0)
    assert len(openai_server.requests_for("rate-limited")) == 2


def test_it_waits_as_long_as_retry_after_asks():
    with OpenAICompatibleServer(retry_after="1") as server:
        started = time.perf_counter()
        [result] = run_benchmark(
            [headline_case()], [Candidate("rate-limited", Endpoint(server.base_url))], settings=FAST_RETRIES
        )

    assert result.error is None
    assert time.perf_counter() - started >= 1.0  # not the 10 ms backoff


def test_it_retries_a_server_error_once_and_gives_up_on_a_broken_model(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    settings = RunnerSettings(backoff_initial_s=0.01, max_retries=2)

    results = run_benchmark(
        [headline_case()], [Candidate("flaky", endpoint), Candidate("broken", endpoint)], settings=settings
    )
    by_model = {result.model: result for result in results}

    assert (by_model["flaky"].error, by_model["flaky"].metrics["attempts"]) == (None, 2.0)
    broken = by_model["broken"]
    assert (broken.error, broken.passed, broken.score, broken.output) == (
        "HTTP 500: internal error",
        False,
        0.0,
        None,
    )
    assert len(openai_server.requests_for("broken")) == 3


def test_it_times_out_a_slow_model_without_holding_up_the_others(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    started = time.perf_counter()

    results = run_benchmark(
        [headline_case()],
        [Candidate("slow", endpoint), Candidate("gpt-4o", endpoint)],
        settings=RunnerSettings(timeout_s=0.3),
    )
    by_model = {result.model: result for result in results}

    assert time.perf_counter() - started < 1.5  # the slow model would take 2 s
    assert by_model["slow"].error == "timed out after 0.3 s"
    assert by_model["slow"].passed is False
    assert len(openai_server.requests_for("slow")) == 1  # timeouts are not retried
    assert by_model["gpt-4o"].error is None
    assert [result.model for result in results] == ["gpt-4o", "slow"]  # results arrive as they finish


def test_it_never_exceeds_its_concurrency_limit():
    cases = [headline_case(key=f"case-{index}") for index in range(12)]
    with OpenAICompatibleServer(response_delay_s=0.05) as server:
        endpoint = Endpoint(base_url=server.base_url)
        results = run_benchmark(
            cases,
            [Candidate("qwen2.5:7b", endpoint), Candidate("gpt-4o-mini", endpoint)],
            settings=RunnerSettings(concurrency=3),
        )

    assert len(results) == 24
    assert server.max_in_flight == 3  # reached, never exceeded


def test_it_resumes_by_skipping_done_keys_and_reports_each_result_as_it_arrives(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    cases = [headline_case(key=f"case-{index}") for index in range(3)]
    candidates = [Candidate("qwen2.5:7b", endpoint), Candidate("gpt-4o", endpoint)]
    done = {("case-0", "qwen2.5:7b"), ("case-1", "gpt-4o")}
    received = []
    callback_threads = set()

    def save(result):
        callback_threads.add(threading.get_ident())
        received.append(result.key)

    results = run_benchmark(cases, candidates, on_result=save, skip=done, settings=FAST_RETRIES)

    expected = {
        ("case-0", "gpt-4o"),
        ("case-1", "qwen2.5:7b"),
        ("case-2", "qwen2.5:7b"),
        ("case-2", "gpt-4o"),
    }
    assert set(received) == expected == {result.key for result in results}
    assert len(openai_server.requests) == 4
    assert set(planned_keys(cases, candidates, done)) == expected
    assert callback_threads == {threading.get_ident()}  # the caller's thread: the Django ORM is safe there


def test_a_failing_callback_stops_the_run(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    cases = [headline_case(key=f"case-{index}") for index in range(20)]

    def save(result):
        raise RuntimeError("database is gone")

    with pytest.raises(RuntimeError, match="database is gone"):
        run_benchmark(cases, [Candidate("slow", endpoint), Candidate("gpt-4o", endpoint)], on_result=save)


def test_it_evaluates_assertions_on_each_answer(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    embeddings = OpenAIEmbeddings(AsyncOpenAI(base_url=openai_server.base_url, api_key="test"), "embedder")
    case = headline_case(
        reference="Bonjour le monde",
        assertions=(
            Assertion("icontains", "bonjour"),
            Assertion("is-json", {"type": "object", "required": ["headline"]}),
            Assertion("similar", threshold=0.8),
            Assertion("max-latency-ms", threshold=5000),
        ),
    )

    results = run_benchmark(
        [case], [Candidate("gpt-4o", endpoint), Candidate("json-writer", endpoint)], embeddings=embeddings
    )
    by_model = {result.model: result for result in results}

    echo, writer = by_model["gpt-4o"], by_model["json-writer"]
    assert [outcome.passed for outcome in echo.assertions] == [True, False, True, True]
    similarity = echo.assertions[2].score
    assert similarity >= 0.8
    assert (echo.passed, echo.score) == (False, pytest.approx((1 + 0 + similarity + 1) / 4))
    assert [outcome.passed for outcome in writer.assertions] == [True, True, False, True]


def test_it_reads_ollama_timings_when_the_server_reports_them(openai_server):
    [result] = run_benchmark([headline_case()], [Candidate("ollama-stats", Endpoint(openai_server.base_url))])

    assert result.tokens_per_s == 16.0  # eval_count 4 ÷ eval_duration 0.25 s


def test_it_does_not_invent_usage_a_server_does_not_report(openai_server):
    [result] = run_benchmark(
        [headline_case()],
        [Candidate("no-usage", Endpoint(openai_server.base_url))],
        price_map=load_price_map(),
    )

    assert result.output == "Echo: Bonjour le monde"
    assert (result.prompt_tokens, result.completion_tokens, result.tokens_per_s, result.cost_usd) == (
        None,
    ) * 4


def test_it_sends_the_endpoint_key_and_does_not_retry_a_refusal():
    with OpenAICompatibleServer(api_key="s3cret") as server:
        good, bad = (
            run_benchmark([headline_case()], [Candidate("gpt-4o", Endpoint(server.base_url, api_key=key))])[0]
            for key in ("s3cret", "wrong")
        )

    assert good.error is None
    assert (bad.error, bad.metrics["attempts"]) == ("HTTP 401: invalid api key", 1.0)


def test_the_async_entry_point_awaits_an_async_callback(openai_server):
    received = []

    async def save(result):
        await asyncio.sleep(0)
        received.append(result.key)

    results = asyncio.run(
        run_benchmark_async(
            [headline_case()], [Candidate("gpt-4o", Endpoint(openai_server.base_url))], on_result=save
        )
    )

    assert received == [results[0].key]


def test_runner_results_summarise_under_the_contract(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)
    cases = [
        headline_case(key=f"case-{index}", assertions=(Assertion("icontains", "echo"),)) for index in range(4)
    ]

    results = run_benchmark(cases, [Candidate("gpt-4o", endpoint)], price_map=load_price_map())
    [summary] = summarize_results(results)

    assert (summary.cases, summary.passed, summary.pass_rate, summary.mean_score) == (4, 4, 1.0, 1.0)
    assert summary.tokens_per_s > 0
    assert summary.cost_usd == pytest.approx(4 * 0.0000475)


def test_it_refuses_duplicate_candidate_keys(openai_server):
    endpoint = Endpoint(base_url=openai_server.base_url)

    with pytest.raises(ValueError, match="duplicate candidate model keys: gpt-4o"):
        run_benchmark([headline_case()], [Candidate("gpt-4o", endpoint), Candidate("gpt-4o", endpoint)])
