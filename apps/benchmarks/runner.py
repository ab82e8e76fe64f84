"""Run cases × candidate models through OpenAI-compatible endpoints and measure each answer.

    results = run_benchmark(cases, candidates, settings=RunnerSettings(concurrency=4),
                            on_result=save_result, skip={("case-1", "qwen2.5:7b")},
                            price_map=load_price_map())

Every request streams (``stream_options={"include_usage": True}``) through the official
``openai`` client, so one request gives the time to first token, the total latency and the
server's token counts. Per result:

- ``latency_ms``: from sending the request to the end of the stream (last successful attempt);
- ``ttft_ms``: until the first chunk carrying content;
- ``tokens_per_s``: Ollama's ``eval_count ÷ eval_duration`` when the server reports them, else
  completion tokens ÷ (latency − ttft), the decode rate, comparable with Ollama's figure;
- ``cost_usd``: from the price map; None (unknown) when the model has no price or the server sent
  no usage.

A semaphore caps requests in flight. Each attempt has a deadline (``timeout_s``, covering the
whole stream). 429, 5xx and connection failures are retried by the project's one retry policy
(``apps.common.outbound.RetryPolicy``): exponential backoff, or what a ``Retry-After`` header asks
for when there is one (a wait longer than ``backoff_max_s`` ends the retries); timeouts are not retried (a slow model
would only be slow again). Each finished result goes to ``on_result`` as it arrives, so a caller
that persists it can resume an interrupted run by passing the keys it already has as ``skip``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from openai import APIConnectionError, APIStatusError, APITimeoutError, AsyncOpenAI

from apps.benchmarks.assertions import (
    EmbeddingsClient,
    JudgeClient,
    OutputFacts,
    evaluate_assertions,
    grade_result,
)
from apps.benchmarks.identifiers import guess_family_vendor
from apps.benchmarks.records import BenchResult, Case
from apps.common.outbound import (
    RetryPolicy,
    async_client,
    describe_error,
    is_blocked,
    retry_after_seconds,
    retry_call_async,
)
from apps.common.prices import PriceMap, cost_usd, price_for

ResultCallback = Callable[[BenchResult], Awaitable[None] | None]
_NO_API_KEY = "not-needed"  # the client insists on a key; Ollama, vLLM and LM Studio ignore it


@dataclass(frozen=True, slots=True)
class Endpoint:
    base_url: str  # e.g. "http://localhost:11434/v1"
    api_key: str | None = None  # resolved by the caller (decrypted or read from the environment)
    kind: str | None = None  # "ollama", "vllm", "dashscope", "openai"… a hint for the price lookup


@dataclass(frozen=True, slots=True)
class Candidate:
    model: str  # the name the endpoint serves, sent as "model"
    endpoint: Endpoint
    identifier: str | None = None  # the catalog identifier, when it differs from the served name
    extra_body: dict[str, Any] | None = None  # endpoint-specific request fields (e.g. Ollama "options")

    @property
    def key(self) -> str:
        return self.identifier or self.model


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    concurrency: int = 4
    timeout_s: float = 120.0
    max_retries: int = 3
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    temperature: float | None = 0.0
    max_tokens: int | None = None


@dataclass(slots=True)
class _Answer:
    output: str = ""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    eval_count: int | None = None
    eval_duration_ns: int | None = None
    attempts: int = 0
    error: str | None = None


@dataclass
class _RunContext:
    settings: RunnerSettings
    price_map: PriceMap | None
    embeddings: EmbeddingsClient | None
    judge: JudgeClient | None
    semaphore: asyncio.Semaphore
    clients: dict[Endpoint, AsyncOpenAI] = field(default_factory=dict)


def planned_keys(
    cases: Sequence[Case], candidates: Sequence[Candidate], skip: Collection[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """The (case key, model key) pairs a run will do, in order: the total for a progress bar."""
    return [
        (case.key, candidate.key)
        for case in cases
        for candidate in candidates
        if (case.key, candidate.key) not in skip
    ]


async def run_benchmark_async(
    cases: Sequence[Case],
    candidates: Sequence[Candidate],
    *,
    settings: RunnerSettings | None = None,
    on_result: ResultCallback | None = None,
    skip: Collection[tuple[str, str]] = (),
    price_map: PriceMap | None = None,
    embeddings: EmbeddingsClient | None = None,
    judge: JudgeClient | None = None,
) -> list[BenchResult]:
    """Run every (case, candidate) pair not in ``skip``; results come back in completion order.

    ``on_result`` is called inside the event loop (an async callback is awaited). Code that must
    not run in an event loop — the Django ORM — should use ``run_benchmark`` instead.
    """
    settings = settings or RunnerSettings()
    if settings.concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    _require_unique_keys([case.key for case in cases], "case")
    _require_unique_keys([candidate.key for candidate in candidates], "candidate model")
    context = _RunContext(settings, price_map, embeddings, judge, asyncio.Semaphore(settings.concurrency))
    candidates_by_key = {candidate.key: candidate for candidate in candidates}
    cases_by_key = {case.key: case for case in cases}
    results: list[BenchResult] = []
    try:
        tasks = [
            asyncio.create_task(_run_one(cases_by_key[case_key], candidates_by_key[model_key], context))
            for case_key, model_key in planned_keys(cases, candidates, skip)
        ]
        try:
            for finished in asyncio.as_completed(tasks):
                result = await finished
                results.append(result)
                if on_result is not None:
                    outcome = on_result(result)
                    if inspect.isawaitable(outcome):
                        await outcome
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await asyncio.gather(*(client.close() for client in context.clients.values()))
    return results


def _require_unique_keys(keys: list[str], what: str) -> None:
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what} keys: {', '.join(duplicates)} (results are keyed by them)")


def run_benchmark(
    cases: Sequence[Case],
    candidates: Sequence[Candidate],
    *,
    settings: RunnerSettings | None = None,
    on_result: Callable[[BenchResult], None] | None = None,
    skip: Collection[tuple[str, str]] = (),
    price_map: PriceMap | None = None,
    embeddings: EmbeddingsClient | None = None,
    judge: JudgeClient | None = None,
) -> list[BenchResult]:
    """Blocking entry point for a Celery task.

    The event loop runs in a helper thread and ``on_result`` is called here, in the caller's
    thread, so it may use the Django ORM. If ``on_result`` raises, the run stops (requests in
    flight are cancelled) and the exception propagates.
    """
    _require_unique_keys([case.key for case in cases], "case")
    _require_unique_keys([candidate.key for candidate in candidates], "candidate model")
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue()
    loop = asyncio.new_event_loop()
    run = loop.create_task(
        run_benchmark_async(
            cases,
            candidates,
            settings=settings,
            on_result=lambda result: handoff.put(("result", result)),
            skip=skip,
            price_map=price_map,
            embeddings=embeddings,
            judge=judge,
        )
    )

    def run_loop() -> None:
        asyncio.set_event_loop(loop)
        try:
            handoff.put(("done", loop.run_until_complete(run)))
        except BaseException as exc:  # handed to the caller's thread and raised there
            handoff.put(("failed", exc))
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    worker = threading.Thread(target=run_loop, name="benchmark-runner", daemon=True)
    worker.start()
    try:
        while True:
            message, payload = handoff.get()
            if message == "result":
                if on_result is not None:
                    on_result(payload)
            elif message == "done":
                return payload
            else:
                raise payload
    except BaseException:
        with contextlib.suppress(RuntimeError):  # the loop may have finished (and closed) meanwhile
            loop.call_soon_threadsafe(run.cancel)
        raise
    finally:
        worker.join()


# -- one request --------------------------------------------------------------------------------


async def _run_one(case: Case, candidate: Candidate, context: _RunContext) -> BenchResult:
    answer = await _ask_with_retries(case, candidate, context)
    price = None
    if context.price_map is not None:
        price = price_for(candidate.key, context.price_map, provider=candidate.endpoint.kind)
    cost = cost_usd(price, answer.prompt_tokens, answer.completion_tokens)
    cost_value = float(cost) if cost is not None else None

    outcomes = []
    if answer.error is None:
        facts = OutputFacts(
            output=answer.output,
            latency_ms=answer.latency_ms,
            cost_usd=cost_value,
            reference=case.reference,
            prompt=case.prompt,
        )
        outcomes = await evaluate_assertions(
            case.assertions, facts, embeddings=context.embeddings, judge=context.judge
        )
    passed, score = grade_result(
        outcomes,
        error=answer.error,
        weights=[assertion.weight for assertion in case.assertions] if outcomes else None,
    )
    family, vendor = guess_family_vendor(candidate.key)
    return BenchResult(
        model=candidate.key,
        case_key=case.key,
        provider=candidate.endpoint.kind or candidate.endpoint.base_url,
        vendor=vendor,
        family=family,
        case_label=case.label,
        prompt=case.prompt,
        output=answer.output if answer.error is None else None,
        passed=passed,
        score=score,
        latency_ms=answer.latency_ms,
        ttft_ms=answer.ttft_ms,
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        tokens_per_s=_tokens_per_second(answer),
        cost_usd=cost_value,
        error=answer.error,
        assertions=outcomes,
        vars=dict(case.vars),
        metrics={"attempts": float(answer.attempts)},
    )


@dataclass(slots=True)
class _Attempt:
    answer: _Answer
    retryable: bool = False
    asked_wait: float | None = None


async def _ask_with_retries(case: Case, candidate: Candidate, context: _RunContext) -> _Answer:
    settings = context.settings
    client = _client_for(candidate.endpoint, context)
    policy = RetryPolicy(
        attempts=settings.max_retries + 1,
        backoff_base=settings.backoff_initial_s,
        max_wait=settings.backoff_max_s,
    )

    async def attempt() -> _Attempt:
        # The semaphore is held for the request only: while a retry waits, other models keep the slots.
        try:
            async with context.semaphore, asyncio.timeout(settings.timeout_s):
                return _Attempt(await _stream_answer(client, case, candidate, settings))
        except (TimeoutError, APITimeoutError):
            return _Attempt(_Answer(error=f"timed out after {settings.timeout_s:g} s"))
        except APIStatusError as exc:
            return _Attempt(
                _Answer(error=f"HTTP {exc.status_code}: {_error_message(exc)}"),
                retryable=_is_retryable_status(exc.status_code),
                asked_wait=retry_after_seconds(exc.response.headers),
            )
        except APIConnectionError as exc:
            return _Attempt(
                _Answer(error=f"connection failed: {describe_error(exc)}"), retryable=not is_blocked(exc)
            )

    retried = await retry_call_async(
        attempt,
        policy=policy,
        should_retry=lambda outcome: outcome.retryable,
        asked_wait=lambda outcome: outcome.asked_wait,
    )
    answer = retried.outcome.answer
    answer.attempts = retried.attempts
    return answer


async def _stream_answer(
    client: AsyncOpenAI, case: Case, candidate: Candidate, settings: RunnerSettings
) -> _Answer:
    messages: list[dict[str, str]] = []
    if case.system:
        messages.append({"role": "system", "content": case.system})
    messages.append({"role": "user", "content": case.prompt})
    options: dict[str, Any] = {}
    if settings.temperature is not None:
        options["temperature"] = settings.temperature
    if settings.max_tokens is not None:
        options["max_tokens"] = settings.max_tokens
    if candidate.extra_body:
        options["extra_body"] = candidate.extra_body

    answer = _Answer()
    parts: list[str] = []
    started = time.perf_counter()
    stream = await client.chat.completions.create(
        model=candidate.model,
        messages=messages,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
        **options,
    )
    async for chunk in stream:
        for choice in chunk.choices:
            content = choice.delta.content if choice.delta else None
            if content:
                if answer.ttft_ms is None:
                    answer.ttft_ms = (time.perf_counter() - started) * 1000
                parts.append(content)
        if chunk.usage is not None:
            answer.prompt_tokens = chunk.usage.prompt_tokens
            answer.completion_tokens = chunk.usage.completion_tokens
        _read_ollama_timings(chunk, answer)
    answer.latency_ms = (time.perf_counter() - started) * 1000
    answer.output = "".join(parts)
    return answer


def _read_ollama_timings(chunk: Any, answer: _Answer) -> None:
    """Ollama's native counters, when a server passes them through as extra fields."""
    for source in (chunk, getattr(chunk, "usage", None)):
        extra = getattr(source, "model_extra", None) or {}
        if isinstance(extra.get("eval_count"), int) and isinstance(extra.get("eval_duration"), int):
            answer.eval_count = extra["eval_count"]
            answer.eval_duration_ns = extra["eval_duration"]


def _tokens_per_second(answer: _Answer) -> float | None:
    if answer.eval_count is not None and answer.eval_duration_ns:
        return answer.eval_count / answer.eval_duration_ns * 1e9
    if answer.completion_tokens is None or answer.latency_ms is None:
        return None
    generation_ms = answer.latency_ms - (answer.ttft_ms or 0.0)
    return answer.completion_tokens / (generation_ms / 1000) if generation_ms > 0 else None


def _client_for(endpoint: Endpoint, context: _RunContext) -> AsyncOpenAI:
    client = context.clients.get(endpoint)
    if client is None:
        pool = httpx.Limits(
            max_connections=context.settings.concurrency,
            max_keepalive_connections=context.settings.concurrency,
        )
        client = AsyncOpenAI(
            base_url=endpoint.base_url,
            api_key=endpoint.api_key or _NO_API_KEY,
            max_retries=0,  # retries are ours, so the semaphore and the result's attempts count see them
            timeout=context.settings.timeout_s,
            # Every connection goes through the SSRF guard (apps/common/outbound.py).
            http_client=async_client(limits=pool, timeout=context.settings.timeout_s),
        )
        context.clients[endpoint] = client
    return client


def _is_retryable_status(status: int) -> bool:
    return status == 429 or status >= 500


def _error_message(exc: APIStatusError) -> str:
    # The client unwraps {"error": {...}}: body is the inner object when the server sent one.
    if isinstance(exc.body, dict) and exc.body.get("message"):
        return str(exc.body["message"])
    return exc.message
