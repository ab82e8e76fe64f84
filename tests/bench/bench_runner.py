"""How many requests/s the benchmark runner sustains, and what it costs per request over bare HTTP.

    .venv/bin/python tests/bench/bench_runner.py [--requests 400] [--concurrency 8] [--delay-ms 0]

Both sides hit the same local OpenAI-compatible server (tests/support/openai_server.py) with the
same streaming chat request and the same concurrency:

- *bare*: httpx.AsyncClient posting the request and reading the SSE stream to the end;
- *runner*: apps.benchmarks.runner.run_benchmark — the official openai client, retries, timing,
  assertion evaluation (one icontains), price lookup and the result hand-off to the caller's thread.

Overhead per request = (runner wall time − bare wall time) ÷ requests, i.e. what the runner adds
on top of the HTTP exchange itself. ``--delay-ms`` makes the server wait before answering, to check
that throughput then tracks concurrency ÷ delay (the semaphore, not the runner, is the limit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from apps.benchmarks.assertions import Assertion
from apps.benchmarks.records import Case
from apps.benchmarks.runner import Candidate, Endpoint, RunnerSettings, run_benchmark
from apps.common.prices import load_price_map
from tests.support.openai_server import OpenAICompatibleServer

MODEL = "gpt-4o-mini"
PROMPT = "Translate to German: free shipping on all orders this week"


async def bare_httpx(base_url: str, requests: int, concurrency: int) -> float:
    semaphore = asyncio.Semaphore(concurrency)
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": PROMPT}],
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0,
    }
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:

        async def one() -> None:
            async with semaphore, client.stream("POST", "/chat/completions", json=body) as response:
                response.raise_for_status()
                # Read to the end of the body (past "data: [DONE]") so the connection is reused.
                async for _line in response.aiter_lines():
                    pass

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        return time.perf_counter() - started


def through_runner(base_url: str, requests: int, concurrency: int) -> tuple[float, int]:
    cases = [
        Case(key=f"case-{index}", prompt=PROMPT, assertions=(Assertion("icontains", "shipping"),))
        for index in range(requests)
    ]
    received = 0

    def count(_result: object) -> None:
        nonlocal received
        received += 1

    started = time.perf_counter()
    results = run_benchmark(
        cases,
        [Candidate(MODEL, Endpoint(base_url=base_url))],
        settings=RunnerSettings(concurrency=concurrency, timeout_s=60),
        on_result=count,
        price_map=load_price_map(),
    )
    elapsed = time.perf_counter() - started
    failures = sum(1 for result in results if result.error or not result.passed)
    assert received == requests == len(results), (received, len(results))
    return elapsed, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="server think time per request")
    parser.add_argument("--rounds", type=int, default=3, help="best of N for each side")
    arguments = parser.parse_args()

    with OpenAICompatibleServer(response_delay_s=arguments.delay_ms / 1000) as server:
        asyncio.run(bare_httpx(server.base_url, 20, arguments.concurrency))  # warm up
        bare = min(
            asyncio.run(bare_httpx(server.base_url, arguments.requests, arguments.concurrency))
            for _ in range(arguments.rounds)
        )
        runs = [
            through_runner(server.base_url, arguments.requests, arguments.concurrency)
            for _ in range(arguments.rounds)
        ]
        runner, failures = min(runs)
        max_in_flight = server.max_in_flight

    report = {
        "requests": arguments.requests,
        "concurrency": arguments.concurrency,
        "server_delay_ms": arguments.delay_ms,
        "bare_httpx_requests_per_s": round(arguments.requests / bare, 1),
        "runner_requests_per_s": round(arguments.requests / runner, 1),
        "runner_overhead_ms_per_request": round((runner - bare) / arguments.requests * 1000, 3),
        "server_max_in_flight": max_in_flight,
        "runner_failures": failures,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
