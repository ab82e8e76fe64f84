"""The exposure factor registry: every factor is ONE entry, and everything reads from it.

A `FactorDefinition` holds a factor's key, label, how it scores (for the method page), why it
matters, its pure `evaluate` function and, for factors that later capabilities add, the `provider`
that reads their input from the database and what makes that input move. The score
(`scoring.exposure_score`), the "why" stored with each workflow, the method page
(`/o/<org>/exposure/method/`) and the refresh service (`services.exposure_factor_moved`) all read
this registry, so adding a factor is one `register_factor(...)` call in the app that owns its data:

    register_factor(FactorDefinition(
        key="verified_archive", label="Verified archive", order=90,
        points=f"{ARCHIVE_POINTS}", why="The model you run cannot be taken away.",
        evaluate=lambda inputs: ("weights archived and checked", ARCHIVE_POINTS)
        if inputs.provided.get("verified_archive") else None,
        provider=archived_workflows,                 # (workflow ids) -> {workflow id: value}
        refreshed_when="a copy is verified, fails verification or expires",
    ))

`evaluate` is pure: it sees only `ExposureInputs` (the workflow's own traits, plus
`inputs.provided[key]`, the value its provider returned) and returns `(value shown, points)` or
None when the factor does not apply. Factors are shown in `order`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.exposure.scoring import ExposureInputs

Evaluation = tuple[str, float] | None
Provider = Callable[[Iterable[int]], Mapping[int, Any]]


@dataclass(frozen=True)
class FactorDefinition:
    key: str
    label: str
    order: int
    points: str  # how it scores, as the method page shows it ("+8", "high 25 · medium 15 · low 5")
    why: str  # why it matters, in the user's words
    evaluate: Callable[[ExposureInputs], Evaluation]
    provider: Provider | None = field(default=None, compare=False)
    refreshed_when: str = "the workflow or its dependencies change"


_registry: dict[str, FactorDefinition] = {}


def register_factor(definition: FactorDefinition) -> FactorDefinition:
    """Add (or replace, on a re-import) a factor. Keys are unique across apps."""
    _registry[definition.key] = definition
    return definition


def registered_factors() -> list[FactorDefinition]:
    return sorted(_registry.values(), key=lambda definition: (definition.order, definition.key))


def factor(key: str) -> FactorDefinition:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"No exposure factor {key!r} is registered") from None


def provided_inputs_for(workflow_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per workflow, the value each provider-backed factor reads: {workflow id: {factor key: value}}."""
    provided: dict[int, dict[str, Any]] = {}
    for definition in registered_factors():
        if definition.provider is None:
            continue
        for workflow_id, value in definition.provider(workflow_ids).items():
            provided.setdefault(workflow_id, {})[definition.key] = value
    return provided
