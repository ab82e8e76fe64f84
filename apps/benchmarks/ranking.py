"""The best alternative to a workflow's current model, from one benchmark run: a pure ranking.

A model of the run is **eligible** when it is not one of the workflow's current models and meets
every threshold the user set:

- pass rate ≥ ``min_pass_rate`` (a model without pass/fail verdicts — lm-eval scores only — is not
  eligible while a minimum is set);
- p95 latency ≤ ``max_latency_p95_ms`` (unknown latency fails a set maximum);
- cost per 1,000 requests ≤ ``max_cost_per_1k`` (unknown cost fails a set maximum: an unpriced model
  is never assumed free);
- self-hostable, when ``self_hostable_only``.

Eligible models are ranked by pass rate (highest first), then mean score (highest), then cost per
1,000 requests (lowest, unknown last), then p95 latency (lowest, unknown last), then name. The first
is the best alternative. Every rejected model keeps the reasons, so the page can say why.

**Data sensitivity** applies everywhere a workflow's alternatives are ranked: a workflow whose data
must stay local (``data_sensitivity`` regulated, or deployed at the edge) only ever gets self-hostable
alternatives (``thresholds_for_workflow`` switches ``self_hostable_only`` on whatever the user set).

``DEFAULT_THRESHOLDS`` are the ones the exposure factor "a benchmarked alternative exists" uses:
pass rate ≥ 0.8 and nothing else — a model that passes four cases in five of your own suite is a
credible fallback whatever its speed or price.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class ModelStanding:
    """One model's results in a run, with what the catalog says about it."""

    identifier: str
    name: str  # the catalog name when known, else the identifier
    catalog_model_id: int | None = None
    pass_rate: float | None = None
    mean_score: float | None = None
    latency_p95_ms: float | None = None
    cost_per_1k: float | None = None
    self_hostable: bool | None = None
    open_weights: bool | None = None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_pass_rate: float | None = 0.8
    max_latency_p95_ms: float | None = None
    max_cost_per_1k: float | None = None
    self_hostable_only: bool = False


DEFAULT_THRESHOLDS = Thresholds()

# Data that must not leave your own hardware: only self-hostable models are alternatives.
MUST_STAY_LOCAL_SENSITIVITIES = frozenset({"regulated"})
MUST_STAY_LOCAL_DEPLOYMENTS = frozenset({"edge"})


def must_stay_local(*, data_sensitivity: str, deployment: str = "") -> bool:
    return data_sensitivity in MUST_STAY_LOCAL_SENSITIVITIES or deployment in MUST_STAY_LOCAL_DEPLOYMENTS


def thresholds_for_workflow(
    thresholds: Thresholds, *, data_sensitivity: str, deployment: str = ""
) -> Thresholds:
    """The user's thresholds, with self-hostable-only forced on when the workflow's data must stay local."""
    if must_stay_local(data_sensitivity=data_sensitivity, deployment=deployment):
        return replace(thresholds, self_hostable_only=True)
    return thresholds


@dataclass(frozen=True, slots=True)
class Rejection:
    standing: ModelStanding
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    eligible: tuple[ModelStanding, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    current: tuple[ModelStanding, ...] = field(default=())

    @property
    def best(self) -> ModelStanding | None:
        return self.eligible[0] if self.eligible else None


def is_current(
    standing: ModelStanding, *, current_ids: Collection[int], current_names: Collection[str]
) -> bool:
    if standing.catalog_model_id is not None and standing.catalog_model_id in current_ids:
        return True
    names = {name.lower() for name in current_names}
    return standing.identifier.lower() in names or standing.name.lower() in names


def rejection_reasons(standing: ModelStanding, thresholds: Thresholds) -> tuple[str, ...]:
    reasons = []
    if thresholds.min_pass_rate is not None:
        if standing.pass_rate is None:
            reasons.append("no pass/fail results")
        elif standing.pass_rate < thresholds.min_pass_rate:
            reasons.append(f"pass rate {standing.pass_rate:.0%} < {thresholds.min_pass_rate:.0%}")
    if thresholds.max_latency_p95_ms is not None:
        if standing.latency_p95_ms is None:
            reasons.append("latency unknown")
        elif standing.latency_p95_ms > thresholds.max_latency_p95_ms:
            reasons.append(
                f"p95 latency {standing.latency_p95_ms:,.0f} ms > {thresholds.max_latency_p95_ms:,.0f} ms"
            )
    if thresholds.max_cost_per_1k is not None:
        if standing.cost_per_1k is None:
            reasons.append("cost unknown")
        elif standing.cost_per_1k > thresholds.max_cost_per_1k:
            reasons.append(
                f"${standing.cost_per_1k:,.4g} per 1k requests > ${thresholds.max_cost_per_1k:,.4g}"
            )
    if thresholds.self_hostable_only and not standing.self_hostable:
        reasons.append("not self-hostable")
    return tuple(reasons)


def _sort_key(standing: ModelStanding) -> tuple:
    return (
        -(standing.pass_rate or 0.0),
        -(standing.mean_score if standing.mean_score is not None else -1.0),
        standing.cost_per_1k is None,
        standing.cost_per_1k or 0.0,
        standing.latency_p95_ms is None,
        standing.latency_p95_ms or 0.0,
        standing.name.lower(),
    )


def rank_alternatives(
    standings: Sequence[ModelStanding],
    *,
    current_ids: Collection[int] = (),
    current_names: Collection[str] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Ranking:
    current, eligible, rejected = [], [], []
    for standing in standings:
        if is_current(standing, current_ids=current_ids, current_names=current_names):
            current.append(standing)
            continue
        reasons = rejection_reasons(standing, thresholds)
        if reasons:
            rejected.append(Rejection(standing, reasons))
        else:
            eligible.append(standing)
    return Ranking(
        eligible=tuple(sorted(eligible, key=_sort_key)),
        rejected=tuple(sorted(rejected, key=lambda rejection: _sort_key(rejection.standing))),
        current=tuple(current),
    )
