"""Plain records shared by the importers, the runner, the assertions and the summary.

They carry no database identity: the lead's models persist them. A field the source did not
carry stays ``None`` — nothing here invents a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.benchmarks.assertions import Assertion


@dataclass(frozen=True, slots=True)
class AssertionOutcome:
    """How one assertion judged one output."""

    type: str
    passed: bool | None  # None: not evaluated (unsupported type, no judge or embeddings configured)
    score: float | None
    reason: str = ""
    value: Any = None
    threshold: float | None = None


@dataclass(slots=True)
class BenchResult:
    """One case answered by one model."""

    model: str  # clean identifier, e.g. "qwen2.5:7b", "gpt-4o", "Qwen/Qwen2.5-7B"
    case_key: str
    provider: str | None = None  # as the source named it, e.g. "ollama:chat:qwen2.5:7b"
    vendor: str = "unknown"  # a slug from apps.common.vendors.VENDOR_SLUGS
    family: str | None = None
    case_label: str | None = None
    prompt: str | None = None
    output: str | None = None
    passed: bool | None = None
    score: float | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_per_s: float | None = None
    cost_usd: float | None = None
    error: str | None = None  # the request failed (not: an assertion failed)
    reason: str | None = None  # why the grading passed or failed, when the source says
    assertions: list[AssertionOutcome] = field(default_factory=list)
    vars: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float | None] = field(default_factory=dict)  # e.g. lm-eval "acc,none"

    @property
    def key(self) -> tuple[str, str]:
        """The (case, model) pair a resumed run uses to skip work already done."""
        return (self.case_key, self.model)


@dataclass(slots=True)
class BenchRun:
    """A set of results from one source file or one runner invocation."""

    source: str  # "promptfoo" | "lm-eval" | "riskboard"
    results: list[BenchResult] = field(default_factory=list)
    name: str | None = None
    started_at: str | None = None  # ISO 8601 as the source wrote it
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Case:
    """One prompt to send to every candidate model, with what a good answer looks like."""

    key: str
    prompt: str
    system: str | None = None
    reference: str | None = None
    assertions: tuple[Assertion, ...] = ()
    vars: dict[str, Any] = field(default_factory=dict)
    label: str | None = None
