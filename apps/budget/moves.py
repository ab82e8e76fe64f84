"""What to move: the fewest, easiest switches that bring the open-weight share into the band (pure).

When the share is **below** the band, spend moves from proprietary to open-weight models; when it is
**above**, from open-weight to proprietary. A workflow is a candidate when it has spend in the tier
that moves out and a benchmarked alternative in the tier that moves in: the best eligible model of
the latest run of a suite it is linked to (apps/benchmarks/ranking.py, pass rate ≥ 80 %), so every
suggestion carries its evidence. The article's constraints hold:

- regulated data stays on self-hostable models: a regulated workflow is only offered self-hostable
  alternatives, and never moved to a proprietary API;
- mission-critical work may stay on a proprietary API with support: high-criticality workflows are
  never asked to leave proprietary.

Candidates are taken by least switching effort (difficulty 1 first), then by the most spend moved
(fewer switches), and added until the share is inside the band; one that would overshoot the band is
skipped for a smaller one. Spend is assumed to stay the same after a switch (the alternative's cost
per 1,000 requests is shown so a reader can judge).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.budget.budget import Band, Totals


@dataclass(frozen=True, slots=True)
class Evidence:
    model: str
    run_id: int
    suite: str
    pass_rate: float | None
    cost_per_1k: float | None
    open_weights: bool | None
    self_hostable: bool | None


@dataclass(frozen=True, slots=True)
class MoveCandidate:
    workflow_id: int
    workflow: str
    switching_difficulty: int
    criticality: str
    regulated: bool
    amount: Decimal  # the workflow's spend in the tier that moves out
    current_models: tuple[str, ...]
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class Move:
    candidate: MoveCandidate
    open_share_after: Decimal


@dataclass(frozen=True, slots=True)
class MovePlan:
    direction: str | None  # "to_open", "to_proprietary" or None (within the band, or nothing classified)
    gap: Decimal  # spend that must move to reach the band's nearest edge
    moves: tuple[Move, ...] = ()
    without_evidence: int = 0  # candidates that could move but have no benchmarked alternative
    reaches_band: bool = False


def direction_for(totals: Totals, band: Band) -> str | None:
    status = band.status(totals.open_share)
    return {"below": "to_open", "above": "to_proprietary"}.get(status or "")


def is_allowed(candidate: MoveCandidate, direction: str) -> bool:
    if direction == "to_open":
        return candidate.criticality != "high"
    return not candidate.regulated


def plan_moves(totals: Totals, band: Band, candidates: list[MoveCandidate], *, unlinked: int = 0) -> MovePlan:
    """`unlinked`: allowed workflows with spend to move that no benchmark suite covers (counted, not listed)."""
    direction = direction_for(totals, band)
    if direction is None:
        return MovePlan(
            direction=None, gap=Decimal(0), reaches_band=band.status(totals.open_share) == "within"
        )
    classified = totals.open + totals.proprietary
    if direction == "to_open":
        gap = band.open_min * classified - totals.open
    else:
        gap = totals.open - band.open_max * classified
    allowed = [c for c in candidates if is_allowed(c, direction) and c.amount > 0]
    with_evidence = sorted(
        (c for c in allowed if c.evidence is not None),
        key=lambda c: (c.switching_difficulty, -c.amount, c.workflow),
    )
    moves, open_now = [], totals.open
    for candidate in with_evidence:
        if band.status(open_now / classified) == "within":
            break
        after = open_now + candidate.amount if direction == "to_open" else open_now - candidate.amount
        if band.status(after / classified) == ("above" if direction == "to_open" else "below"):
            continue  # overshoots the band: a smaller move may fit
        open_now = after
        moves.append(Move(candidate, after / classified))
    return MovePlan(
        direction=direction,
        gap=gap,
        moves=tuple(moves),
        without_evidence=unlinked + sum(1 for c in allowed if c.evidence is None),
        reaches_band=band.status(open_now / classified) == "within",
    )
