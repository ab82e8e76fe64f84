"""What every source kind shares: the spec, the state kept between polls, the result, the errors."""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from apps.common.vendors import family_for_model_name, vendor_for_hf_org

SourceKind = Literal["hf", "github", "feed", "prices"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("hf", "github", "feed", "prices")

DEFAULT_GITHUB_API = "https://api.github.com"


class InvalidSourceSpec(ValueError):
    pass


class SourceError(Exception):
    """A poll that failed. `transient` errors (timeouts, 5xx, rate limits) are worth retrying
    later, `retry_after` seconds from now when the server said so; permanent ones (404, a
    malformed document) need a person to fix the source."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class SourceSpec:
    kind: SourceKind
    target: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"


def parse_spec(text: str) -> SourceSpec:
    """`hf:ORG`, `github:OWNER/REPO`, `feed:URL` or `prices:URL-or-path` → SourceSpec."""
    kind, separator, target = text.strip().partition(":")
    target = target.strip()
    if not separator or kind not in SOURCE_KINDS or not target:
        raise InvalidSourceSpec(
            f"{text!r} is not a source: expected hf:ORG, github:OWNER/REPO, feed:URL or prices:URL-or-path"
        )
    if kind == "hf" and "/" in target:
        raise InvalidSourceSpec(f"{text!r}: hf: takes an organization, not a repository")
    if kind == "github" and target.count("/") != 1:
        raise InvalidSourceSpec(f"{text!r}: github: takes OWNER/REPO")
    if kind == "feed" and not target.startswith(("http://", "https://")):
        raise InvalidSourceSpec(f"{text!r}: feed: takes an http(s) URL")
    return SourceSpec(kind=kind, target=target)  # type: ignore[arg-type]  # checked above


@dataclass
class SourceState:
    """What a source keeps between polls (the lead persists both fields as JSON).

    `snapshot` is what the source looked like (shape per kind, see each source module);
    `http_state` maps a URL to the validators it last answered with
    (`{"etag": …, "last_modified": …}`) for conditional requests.
    """

    snapshot: dict[str, Any] | None = None
    http_state: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class PollResult:
    snapshot: dict[str, Any]
    http_state: dict[str, dict[str, str]]
    # What the poll did, for the source health page: pages fetched, "not modified", rate limits.
    observations: list[str] = field(default_factory=list)

    @property
    def state(self) -> SourceState:
        return SourceState(snapshot=self.snapshot, http_state=self.http_state)


@dataclass
class PollSettings:
    """How politely and how long to poll. Defaults suit a beat-scheduled worker; tests shrink them."""

    timeout: float = 15.0
    max_retries: int = 3
    backoff_base: float = 1.0
    # Longest wait we sit out inside one poll (Retry-After, rate-limit reset, backoff). A longer
    # one becomes a transient SourceError with retry_after, so the scheduler waits, not the worker.
    max_wait: float = 60.0
    github_api: str = DEFAULT_GITHUB_API
    github_token: str | None = None
    # None = huggingface_hub's own rule: HF_ENDPOINT, else the public Hub.
    hf_endpoint: str | None = None
    hf_token: str | None = None
    max_pages: int = 10
    user_agent: str = "riskboard-watch/1"
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_environment(cls, **overrides: Any) -> "PollSettings":
        """Settings from RISKBOARD_GITHUB_API / GITHUB_TOKEN / HF_ENDPOINT / HF_TOKEN.

        The lead's Django settings can pass values explicitly instead; this keeps the module
        importable and testable without Django.
        """
        values: dict[str, Any] = {
            "github_api": os.environ.get("RISKBOARD_GITHUB_API") or DEFAULT_GITHUB_API,
            "github_token": os.environ.get("GITHUB_TOKEN") or None,
            "hf_endpoint": os.environ.get("HF_ENDPOINT") or None,
            "hf_token": os.environ.get("HF_TOKEN") or None,
        }
        values.update(overrides)
        return cls(**values)


def vendor_for(owner: str, name: str = "") -> str:
    """The vendor behind an organization (Hub or GitHub, they mostly coincide) or a model name."""
    vendor = vendor_for_hf_org(owner)
    if vendor == "unknown" and (family := family_for_model_name(name)):
        vendor = family[1]
    return vendor
