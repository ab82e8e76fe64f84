"""Watch sources: one module per kind, one entry point.

    spec = parse_spec("hf:Qwen")
    result = poll(spec, SourceState(snapshot=…, http_state=…), settings=PollSettings.from_environment())
    # persist result.snapshot and result.http_state; feed (old snapshot, result.snapshot) to detect

Every poll returns a `PollResult` or raises `SourceError`; `poll_many` runs several and keeps
going past failures, so one broken source never stops the others.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from apps.watch.sources import feed, github, hf, prices
from apps.watch.sources.base import (
    InvalidSourceSpec,
    PollResult,
    PollSettings,
    SourceError,
    SourceKind,
    SourceSpec,
    SourceState,
    parse_spec,
)

__all__ = [
    "InvalidSourceSpec",
    "PollOutcome",
    "PollResult",
    "PollSettings",
    "SourceError",
    "SourceSpec",
    "SourceState",
    "parse_spec",
    "poll",
    "poll_many",
]

logger = logging.getLogger(__name__)

Poller = Callable[..., PollResult]
POLLERS: dict[SourceKind, Poller] = {
    "hf": hf.poll,
    "github": github.poll,
    "feed": feed.poll,
    "prices": prices.poll,
}


def poll(
    spec: SourceSpec,
    previous: SourceState | None = None,
    *,
    settings: PollSettings | None = None,
    now: datetime | None = None,
) -> PollResult:
    return POLLERS[spec.kind](
        spec,
        previous or SourceState(),
        settings=settings or PollSettings.from_environment(),
        now=now or datetime.now(UTC),
    )


@dataclass
class PollOutcome:
    spec: SourceSpec
    result: PollResult | None = None
    error: SourceError | None = None


def poll_many(
    sources: Iterable[tuple[SourceSpec, SourceState | None]],
    *,
    settings: PollSettings | None = None,
    now: datetime | None = None,
) -> list[PollOutcome]:
    """Poll each source in turn; a failure is recorded on its outcome and the next source runs."""
    outcomes = []
    for spec, state in sources:
        try:
            outcomes.append(PollOutcome(spec, result=poll(spec, state, settings=settings, now=now)))
        except SourceError as error:
            logger.warning(
                "watch: %s failed (%s): %s", spec, "transient" if error.transient else "permanent", error
            )
            outcomes.append(PollOutcome(spec, error=error))
        except Exception as error:  # a bug in one poller must not silence the others
            logger.exception("watch: %s crashed", spec)
            outcomes.append(PollOutcome(spec, error=SourceError(f"{spec}: {error!r}", transient=False)))
    return outcomes
