"""The exposure score: how badly a workflow is hurt if the vendor behind it changes course.

A pure function of plain values, so it is easy to test, to explain and to extend.

    score = clamp(0, 100, Σ factor points)

Each factor is one entry in the registry (`apps/exposure/factors.py`): the core factors below, and
the ones later capabilities register from their own apps (benchmarked alternative, recent vendor
signals, archive, migration plans, …). The method page lists every registered factor with its points.

| core factor                | points                                              | why |
|----------------------------|-----------------------------------------------------|-----|
| criticality                | high 25 · medium 15 · low 5                         | the harm if the workflow stops or degrades |
| switching difficulty 1–5   | (difficulty − 1) × 5  → 0 … 20                      | how long the team is stuck when it must move |
| vendor risk                | high 25 · medium 14 · low 5 (worst primary vendor)  | how likely the vendor changes course |
| API-only model             | +8 when a primary model has no open weights         | the vendor can reprice or withdraw it at will |
| indirect dependency        | +5 when a primary model is used through a tool      | hidden from you; you cannot pin or archive it |
| no fallback elsewhere      | +10 unless a fallback runs on another vendor        | a single point of failure |
| data sensitivity           | regulated +7 · confidential +4                      | fewer alternatives: they must be self-hosted |
| unmapped model             | +4 when a primary model is not in the catalog       | unknown licence and vendor: assume the worst |

The positive factors add up to at most 100, so with no later factor the score uses the whole range.
Bands: high ≥ 60, medium ≥ 35, low below. Every factor that moved the score is returned with its
points so pages can show *why*.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apps.exposure.factors import FactorDefinition, register_factor, registered_factors

CRITICALITY_POINTS = {"high": 25, "medium": 15, "low": 5}
VENDOR_RISK_POINTS = {"high": 25, "medium": 14, "low": 5}
SENSITIVITY_POINTS = {"regulated": 7, "confidential": 4, "internal": 0, "public": 0}
POINTS_PER_DIFFICULTY_STEP = 5
API_ONLY_POINTS = 8
INDIRECT_POINTS = 5
NO_FALLBACK_POINTS = 10
UNMAPPED_MODEL_POINTS = 4

HIGH_BAND_FROM = 60.0
MEDIUM_BAND_FROM = 35.0


@dataclass(frozen=True)
class ExposureInputs:
    criticality: str  # high | medium | low
    switching_difficulty: int  # 1 … 5
    vendor_risk: str | None  # worst risk level among primary vendors; None when no dependency is logged
    vendor_names: tuple[str, ...] = ()
    api_only: bool = False
    indirect: bool = False
    has_dependencies: bool = True
    fallback_on_other_vendor: bool = False
    data_sensitivity: str = "internal"
    unmapped_models: tuple[str, ...] = ()
    # What the registered factors' providers read from the database, by factor key; a factor whose
    # key is absent is neutral.
    provided: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    value: str
    points: float

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value, "points": self.points}


@dataclass(frozen=True)
class Exposure:
    score: float
    band: str
    factors: tuple[Factor, ...]


def band_for(score: float) -> str:
    if score >= HIGH_BAND_FROM:
        return "high"
    if score >= MEDIUM_BAND_FROM:
        return "medium"
    return "low"


def exposure_score(inputs: ExposureInputs) -> Exposure:
    factors = []
    for definition in registered_factors():
        evaluation = definition.evaluate(inputs)
        if evaluation is not None:
            value, points = evaluation
            factors.append(Factor(definition.key, definition.label, value, points))
    score = round(min(max(sum(factor.points for factor in factors), 0.0), 100.0), 1)
    return Exposure(score=score, band=band_for(score), factors=tuple(factors))


# -- the core factors: what the workflow and its dependencies say by themselves ------------------


def _difficulty(inputs: ExposureInputs) -> int:
    return min(max(int(inputs.switching_difficulty), 1), 5)


def _levels(points: Mapping[str, float], sign: str = "") -> str:
    return " · ".join(f"{level} {sign}{value}" for level, value in points.items() if value)


def _vendor_risk(inputs: ExposureInputs):
    if not (inputs.has_dependencies and inputs.vendor_risk):
        return None
    vendors = ", ".join(inputs.vendor_names) or "unknown"
    return f"{inputs.vendor_risk} ({vendors})", VENDOR_RISK_POINTS[inputs.vendor_risk]


def _no_fallback(inputs: ExposureInputs):
    if inputs.has_dependencies and not inputs.fallback_on_other_vendor:
        return "single point of failure", NO_FALLBACK_POINTS
    return None


def _data_sensitivity(inputs: ExposureInputs):
    points = SENSITIVITY_POINTS.get(inputs.data_sensitivity, 0)
    return (inputs.data_sensitivity, points) if points else None


for _definition in (
    FactorDefinition(
        key="criticality",
        label="Criticality",
        order=10,
        points=_levels(CRITICALITY_POINTS),
        why="The harm if the workflow stops or degrades.",
        evaluate=lambda inputs: (inputs.criticality, CRITICALITY_POINTS[inputs.criticality]),
    ),
    FactorDefinition(
        key="switching_difficulty",
        label="Switching difficulty",
        order=20,
        points=f"{POINTS_PER_DIFFICULTY_STEP} per step above 1 (0–{4 * POINTS_PER_DIFFICULTY_STEP})",
        why="How long the team is stuck when it has to move.",
        evaluate=lambda inputs: (
            f"{_difficulty(inputs)} of 5",
            (_difficulty(inputs) - 1) * POINTS_PER_DIFFICULTY_STEP,
        ),
    ),
    FactorDefinition(
        key="vendor_risk",
        label="Vendor risk",
        order=30,
        points=_levels(VENDOR_RISK_POINTS) + " (worst primary vendor)",
        why="How likely the vendor changes course; monitoring signals raise it for your organization.",
        evaluate=_vendor_risk,
        refreshed_when="the workflow changes, a staff member edits the vendor, or signals move its risk",
    ),
    FactorDefinition(
        key="api_only",
        label="API-only model",
        order=40,
        points=f"+{API_ONLY_POINTS}",
        why="Without open weights the vendor can reprice or withdraw the model at will.",
        evaluate=lambda inputs: (
            ("no open weights to fall back on", API_ONLY_POINTS) if inputs.api_only else None
        ),
    ),
    FactorDefinition(
        key="indirect",
        label="Indirect dependency",
        order=50,
        points=f"+{INDIRECT_POINTS}",
        why="You cannot pin, archive or see the model a third-party tool runs for you.",
        evaluate=lambda inputs: (
            ("used through a third-party tool", INDIRECT_POINTS) if inputs.indirect else None
        ),
    ),
    FactorDefinition(
        key="no_fallback",
        label="No fallback on another vendor",
        order=60,
        points=f"+{NO_FALLBACK_POINTS}",
        why="A single point of failure.",
        evaluate=_no_fallback,
    ),
    FactorDefinition(
        key="data_sensitivity",
        label="Data sensitivity",
        order=70,
        points=_levels(SENSITIVITY_POINTS, "+"),
        why="Fewer alternatives: they must run on your own hardware.",
        evaluate=_data_sensitivity,
    ),
    FactorDefinition(
        key="unmapped_model",
        label="Model not in the catalog",
        order=80,
        points=f"+{UNMAPPED_MODEL_POINTS}",
        why="Unknown maker and licence: assume medium risk until mapped.",
        evaluate=lambda inputs: (
            (", ".join(inputs.unmapped_models), UNMAPPED_MODEL_POINTS) if inputs.unmapped_models else None
        ),
    ),
):
    register_factor(_definition)
