"""Polite HTTP for sources: timeouts, conditional requests, backoff, Retry-After, rate limits.

One `Fetcher` per poll, on a client of the SSRF guard (apps/common/outbound.py). It retries what is
worth retrying (timeouts, connection errors, 408, 429, 5xx) by the project's one retry policy
(`outbound.RetryPolicy`: Retry-After or a GitHub rate-limit reset when short, else exponential
backoff), and otherwise turns the failure into a `SourceError` the scheduler can act on. An address
the guard refuses is a permanent error: a person has to fix the source or the allow list.
"""

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx

from apps.common import outbound
from apps.common.outbound import RETRYABLE_STATUSES as TRANSIENT_STATUSES
from apps.common.outbound import RetryPolicy, describe_error, retry_after_seconds, retry_call
from apps.watch.sources.base import PollSettings, SourceError


def validators_of(response: httpx.Response) -> dict[str, str]:
    """The headers that let the next request be conditional (empty when the server sends none)."""
    validators = {}
    if etag := response.headers.get("etag"):
        validators["etag"] = etag
    if last_modified := response.headers.get("last-modified"):
        validators["last_modified"] = last_modified
    return validators


def conditional_headers(validators: dict[str, str] | None) -> dict[str, str]:
    validators = validators or {}
    headers = {}
    if "etag" in validators:
        headers["If-None-Match"] = validators["etag"]
    if "last_modified" in validators:
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def seconds_until_allowed(response: httpx.Response, *, now: float) -> float | None:
    """How long the server asked us to wait, from Retry-After or x-ratelimit-reset; None if it didn't."""
    return retry_after_seconds(response.headers, now=now)


def is_rate_limited(response: httpx.Response) -> bool:
    # GitHub answers an exhausted primary limit with 403 (or 429) and x-ratelimit-remaining: 0.
    return response.status_code == 429 or (
        response.status_code == 403 and response.headers.get("x-ratelimit-remaining") == "0"
    )


class Fetcher:
    def __init__(
        self,
        settings: PollSettings,
        *,
        headers: dict[str, str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.observations: list[str] = []
        self._clock = clock
        self._blocked_until = 0.0
        self._client = outbound.client(
            timeout=settings.timeout,
            follow_redirects=True,
            headers={"User-Agent": settings.user_agent, **(headers or {})},
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._client.close()

    def get(
        self, url: str, *, params: dict[str, Any] | None = None, validators: dict[str, str] | None = None
    ) -> httpx.Response:
        """GET with retries. A 304 is returned like any success: the caller reuses what it had."""
        headers = conditional_headers(validators)
        policy = RetryPolicy(
            attempts=self.settings.max_retries + 1,
            backoff_base=self.settings.backoff_base,
            max_wait=self.settings.max_wait,
        )
        last: list[SourceError] = []

        def attempt() -> httpx.Response | SourceError:
            self._wait_for_rate_limit(url)
            outcome = self._attempt(url, params=params, headers=headers)
            last[:] = [outcome] if isinstance(outcome, SourceError) else []
            return outcome

        def sleep(delay: float) -> None:
            self.observations.append(f"{last[0]}; retrying in {delay:.1f}s")
            self.settings.sleep(delay)

        outcome = retry_call(
            attempt,
            policy=policy,
            should_retry=lambda outcome: isinstance(outcome, SourceError),
            asked_wait=lambda outcome: getattr(outcome, "retry_after", None),
            sleep=sleep,
        ).outcome
        if isinstance(outcome, SourceError):
            raise outcome
        return outcome

    def _attempt(
        self, url: str, *, params: dict[str, Any] | None, headers: dict[str, str]
    ) -> httpx.Response | SourceError:
        """One request: the response when it is usable, else the SourceError it amounts to."""
        try:
            response = self._client.get(url, params=params, headers=headers)
        except httpx.TimeoutException:
            return SourceError(f"{url} timed out after {self.settings.timeout:g}s", transient=True)
        except httpx.TransportError as error:
            if outbound.is_blocked(error):  # a person has to change the address or the allow list
                raise SourceError(f"{url}: {describe_error(error)}", transient=False) from error
            return SourceError(f"{url} could not be reached: {describe_error(error)}", transient=True)
        self._remember_rate_limit(response)
        status = response.status_code
        if is_rate_limited(response):
            wait = seconds_until_allowed(response, now=self._clock())
            return SourceError(f"{url} is rate limited (HTTP {status})", transient=True, retry_after=wait)
        if status in TRANSIENT_STATUSES:
            wait = seconds_until_allowed(response, now=self._clock())
            return SourceError(f"{url} answered HTTP {status}", transient=True, retry_after=wait)
        if status >= 400:
            raise SourceError(f"{url} answered HTTP {status} {response.reason_phrase}", transient=False)
        return response

    def _remember_rate_limit(self, response: httpx.Response) -> None:
        # A success that spends the last request of the window: the next page would be refused.
        if response.status_code < 400 and response.headers.get("x-ratelimit-remaining") == "0":
            wait = seconds_until_allowed(response, now=self._clock())
            if wait is not None:
                self._blocked_until = self._clock() + wait
                self.observations.append(f"rate limit exhausted; resets in {wait:.0f}s")

    def _wait_for_rate_limit(self, url: str) -> None:
        wait = self._blocked_until - self._clock()
        if wait <= 0:
            return
        if wait > self.settings.max_wait:
            raise SourceError(f"{url}: rate limit exhausted", transient=True, retry_after=wait)
        self.settings.sleep(wait)
