"""Outbound HTTP to addresses people type in: the SSRF guard and the one retry policy.

Every URL an editor or admin enters (feed and price sources, GitHub, benchmark endpoints and the
embeddings/judge endpoints, webhooks) is fetched through `client()` / `async_client()`. Their
transport resolves the host itself, checks EVERY address the name resolves to, and connects to the
address it checked, so neither a redirect (each hop opens its own connection), a DNS answer that
mixes public and private addresses, nor a name that re-resolves between check and connect
(DNS rebinding) reaches the internal network.

Denied: every address that is not globally routable — loopback, private (RFC 1918, fc00::/7),
link-local (169.254.0.0/16 with the cloud metadata service, fe80::/10), CGNAT (100.64.0.0/10),
multicast, reserved, unspecified — and IPv6 forms that embed one (IPv4-mapped, 6to4, Teredo, NAT64).
`settings.RISKBOARD_OUTBOUND_ALLOW` (env: comma-separated CIDRs and host names) lets an operator
allow, say, an on-premises model server (`10.0.8.0/24`, `ollama.internal`).

Errors shown to users go through `describe_error`, which says "the address is not allowed",
"could not connect" or "timed out" and never echoes what the socket said (no "connection refused
on 10.0.0.5:6379", which would map the internal network port by port).

The retry policy (`RetryPolicy`, `retry_call`, `retry_call_async`) is tenacity with our rules:
retry what the caller calls retryable, wait what Retry-After asks (once per answer), else
exponential backoff; a server asking for longer than `max_wait` is not asked again inside this
call — the caller's scheduler (a task retry, the source backoff) waits instead.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx
import tenacity
from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NOT_ALLOWED = "the address is not allowed"
COULD_NOT_CONNECT = "could not connect"
# Names that always mean this machine or its network, refused at form time without a DNS lookup.
LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain")
DEFAULT_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=5)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundBlocked(httpcore.ConnectError):
    """The host resolves to an address outside the allow list. httpx re-raises it as
    `httpx.ConnectError` (this one as its `__cause__`): callers catch transport errors as before."""


# --- The guard ----------------------------------------------------------------------------------


def _allow_list() -> tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], set[str]]:
    entries = getattr(settings, "RISKBOARD_OUTBOUND_ALLOW", ()) or ()
    if isinstance(entries, str):
        entries = entries.split(",")
    networks, hosts = [], set()
    for entry in (item.strip() for item in entries):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return networks, hosts


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable, and so is any IPv4 address an IPv6 one carries."""
    if not address.is_global or address.is_multicast or address.is_reserved:
        return False
    embedded = _embedded_ipv4(address)
    return embedded is None or is_public(embedded)


def address_allowed(address: IPAddress, *, host: str = "") -> bool:
    networks, hosts = _allow_list()
    if host and host.lower().rstrip(".") in hosts:
        return True
    candidates = [address] + ([embedded] if (embedded := _embedded_ipv4(address)) else [])
    if any(
        candidate in network
        for candidate in candidates
        for network in networks
        if candidate.version == network.version
    ):
        return True
    return is_public(address)


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def _checked(host: str, answers: Iterable[tuple]) -> list[str]:
    """The addresses to connect to, in the resolver's order; refuse if ANY answer is not allowed."""
    addresses: list[str] = []
    for *_, sockaddr in answers:
        text = str(sockaddr[0])
        if not address_allowed(ipaddress.ip_address(text.split("%")[0]), host=host):
            raise OutboundBlocked(f"{host}: {NOT_ALLOWED}")
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise httpcore.ConnectError(f"{host}: {COULD_NOT_CONNECT}")
    return addresses


def resolve_checked(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"{host}: the name does not resolve") from error
    return _checked(host, answers)


async def resolve_checked_async(host: str, port: int) -> list[str]:
    try:
        answers = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"{host}: the name does not resolve") from error
    return _checked(host, answers)


class GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last_error: Exception | None = None
        for address in resolve_checked(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as error:
                last_error = error
        raise httpcore.ConnectError(f"{host}: {COULD_NOT_CONNECT}") from last_error


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last_error: Exception | None = None
        for address in await resolve_checked_async(host, port):
            try:
                return await self._backend.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as error:
                last_error = error
        raise httpcore.ConnectError(f"{host}: {COULD_NOT_CONNECT}") from last_error

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise OutboundBlocked(NOT_ALLOWED)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def guarded_transport(*, limits: httpx.Limits = DEFAULT_LIMITS) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(limits=limits)
    # httpx builds the pool without a way to pass a network backend; the pool reads this one.
    transport._pool._network_backend = GuardedBackend()
    return transport


def async_guarded_transport(*, limits: httpx.Limits = DEFAULT_LIMITS) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(limits=limits)
    transport._pool._network_backend = AsyncGuardedBackend()
    return transport


def client(*, limits: httpx.Limits = DEFAULT_LIMITS, **kwargs: typing.Any) -> httpx.Client:
    """An httpx.Client whose every connection (redirects included) goes through the guard.

    Passing a transport also means no proxy from the environment, which would bypass the guard.
    """
    return httpx.Client(transport=guarded_transport(limits=limits), **kwargs)


def async_client(*, limits: httpx.Limits = DEFAULT_LIMITS, **kwargs: typing.Any) -> httpx.AsyncClient:
    """The same for asyncio: give it to `openai.AsyncOpenAI(http_client=…)`."""
    return httpx.AsyncClient(transport=async_guarded_transport(limits=limits), **kwargs)


# --- Form-time check ----------------------------------------------------------------------------


def url_problem(url: str) -> str | None:
    """Why a URL may not be used for outbound requests, judged without a DNS lookup; None when fine.

    A literal address must be allowed and `localhost`-style names are refused; other names are
    checked at request time, address by address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "Use an http:// or https:// address."
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return "The address has no host."
    networks, hosts = _allow_list()
    if host in hosts:
        return None
    literal = _literal_address(host)
    if literal is None:
        try:  # integer and dotted-octal spellings resolve to addresses too (http://2130706433/)
            literal = (
                ipaddress.ip_address(socket.inet_aton(host)) if host.replace(".", "").isdigit() else None
            )
        except OSError:
            literal = None
    if literal is not None:
        return None if address_allowed(literal) else f"{host}: {NOT_ALLOWED} (a private or local network)."
    if host == "localhost" or host.endswith(LOCAL_NAMES):
        # Allowed only where the operator allows loopback (an on-premises Ollama on this machine).
        if address_allowed(ipaddress.ip_address("127.0.0.1")):
            return None
        return f"{host}: {NOT_ALLOWED} (a private or local network)."
    return None


def validate_public_url(url: str) -> None:
    """Django validator for form fields holding an outbound URL."""
    from django.core.exceptions import ValidationError

    if problem := url_problem(url):
        raise ValidationError(problem, code="outbound_not_allowed")


# --- What users are told ------------------------------------------------------------------------


def _causes(error: BaseException) -> Iterable[BaseException]:
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_blocked(error: BaseException) -> bool:
    return any(isinstance(cause, OutboundBlocked) for cause in _causes(error))


def describe_error(error: BaseException) -> str:
    """A transport failure in words that do not map the network: never the socket's own text."""
    if is_blocked(error):
        return NOT_ALLOWED
    for cause in _causes(error):
        if isinstance(cause, httpx.TimeoutException | httpcore.TimeoutException | TimeoutError):
            return "timed out"
        if isinstance(cause, httpx.ConnectError | httpcore.ConnectError | ConnectionError):
            return COULD_NOT_CONNECT
    return "the connection failed"


# --- One retry policy ---------------------------------------------------------------------------

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def retry_after_seconds(headers: typing.Mapping[str, str], *, now: float | None = None) -> float | None:
    """How long the server asked us to wait: Retry-After (seconds or an HTTP date), OpenAI's
    retry-after-ms, or GitHub's exhausted x-ratelimit-reset. None when it did not say."""
    now = time.time() if now is None else now
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if value:
        try:
            return max(float(value), 0.0)
        except ValueError:
            pass
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = headers.get("x-ratelimit-reset")
    if headers.get("x-ratelimit-remaining") == "0" and reset and reset.isdigit():
        return max(0.0, float(reset) - now) + 1.0  # +1: the reset second itself is still limited
    return None


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all; between them the server's Retry-After, else backoff_base × 2^(n−1)
    (capped at max_wait). A Retry-After longer than `max_wait` ends the retries here."""

    attempts: int = 3
    backoff_base: float = 1.0
    max_wait: float = 30.0

    def wait_before(self, attempt_number: int, asked: float | None) -> float | None:
        """Seconds to wait before the next try, or None: do not try again inside this call."""
        if asked is not None:
            return asked if asked <= self.max_wait else None
        return min(self.backoff_base * 2 ** (attempt_number - 1), self.max_wait)


@dataclass
class Retried[T]:
    outcome: T
    attempts: int


def _retrying_arguments(
    policy: RetryPolicy,
    should_retry: Callable[[typing.Any], bool],
    asked_wait: Callable[[typing.Any], float | None],
) -> dict[str, typing.Any]:
    def wait(state: tenacity.RetryCallState) -> float:
        outcome = state.outcome.result()
        return policy.wait_before(state.attempt_number, asked_wait(outcome)) or 0.0

    def retry(state: tenacity.RetryCallState) -> bool:
        if state.outcome.failed:
            return False  # an exception is the caller's to raise, not ours to retry
        outcome = state.outcome.result()
        return should_retry(outcome) and (
            policy.wait_before(state.attempt_number, asked_wait(outcome)) is not None
        )

    return {
        "stop": tenacity.stop_after_attempt(policy.attempts),
        "wait": wait,
        "retry": retry,
        "retry_error_callback": lambda state: state.outcome.result(),
    }


def retry_call[T](
    attempt: Callable[[], T],
    *,
    policy: RetryPolicy,
    should_retry: Callable[[T], bool],
    asked_wait: Callable[[T], float | None] = lambda outcome: None,
    sleep: Callable[[float], None] = time.sleep,
) -> Retried[T]:
    """Call `attempt` (which returns an outcome and does not raise for what may be retried) until
    `should_retry` is false or the policy gives up; the last outcome and the number of tries."""
    tries = 0

    def counted() -> T:
        nonlocal tries
        tries += 1
        return attempt()

    retrying = tenacity.Retrying(sleep=sleep, **_retrying_arguments(policy, should_retry, asked_wait))
    return Retried(retrying(counted), tries)


async def retry_call_async[T](
    attempt: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    should_retry: Callable[[T], bool],
    asked_wait: Callable[[T], float | None] = lambda outcome: None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Retried[T]:
    tries = 0

    async def counted() -> T:
        nonlocal tries
        tries += 1
        return await attempt()

    arguments = _retrying_arguments(policy, should_retry, asked_wait)
    if sleep is not None:
        arguments["sleep"] = sleep
    retrying = tenacity.AsyncRetrying(**arguments)
    return Retried(await retrying(counted), tries)
