"""Poll sources and detect their signals in one go: what the `watch` command and task call.

    outcomes = watch_sources([(spec, state), …], settings=PollSettings.from_environment())
    for outcome in outcomes:
        save outcome.state (the previous one again when the poll failed) and outcome.error
    print(json.dumps(signals_document([s for o in outcomes for s in o.signals])))

No database here: the caller loads and saves `SourceState` and imports the signals through the
job pipeline (whose natural keys make a repeated observation a no-op).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apps.watch.contract import Signal
from apps.watch.detect import detect
from apps.watch.sources import PollSettings, SourceError, SourceSpec, SourceState, poll_many


@dataclass
class WatchOutcome:
    spec: SourceSpec
    state: SourceState  # to persist: the new state, or the previous one when the poll failed
    signals: list[Signal] = field(default_factory=list)
    error: SourceError | None = None
    observations: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.error is None


def watch_sources(
    sources: Iterable[tuple[SourceSpec, SourceState | None]],
    *,
    settings: PollSettings | None = None,
    now: datetime | None = None,
) -> list[WatchOutcome]:
    now = now or datetime.now(UTC)
    sources = list(sources)
    previous_states = {str(spec): state or SourceState() for spec, state in sources}
    outcomes = []
    for polled in poll_many(sources, settings=settings, now=now):
        previous = previous_states[str(polled.spec)]
        if polled.result is None:
            outcomes.append(WatchOutcome(polled.spec, state=previous, error=polled.error))
            continue
        signals = detect(
            source=str(polled.spec), previous=previous.snapshot, current=polled.result.snapshot, now=now
        )
        outcomes.append(
            WatchOutcome(
                polled.spec,
                state=polled.result.state,
                signals=signals,
                observations=polled.result.observations,
            )
        )
    return outcomes
