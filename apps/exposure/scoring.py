"""The exposure score: how badly a workflow is hurt if the vendor behind it changes course.

A pure function of plain values, so it is easy to test, to explain and to extend.

    score = clamp(0, 100, Σ factor points)

| factor                     | points                                              | why |
|----------------------------|-----------------------------------------------------|-----|
| criticality                | high 25 · medium 15 · low 5                         | the harm if the workflow stops or degrades |
| switching difficulty 1–5   | (difficulty − 1) × 5  → 0 … 20                      | how long the team is stuck when it must move |
| vendor risk                | high 25 · medium 14 · low 5 (worst primary vendor)  | how likely the vendor changes course |
| API-only model             | +8 when a primary model has no open weights         | the vendor can reprice or withdraw it at will |
| indirect dependency        | +5 when a primary model is used through a tool      | hidden from you; you cannot pin or archive it |
| no fallback elsewhere      | +10 unless a fallback runs on another vendor        | a single point of failure |
| data sensitivity           | regulated +7 · confidential +4                      | fewer alternatives: they must be self-hosted |
| unmapped model             | +4 when a primary model is not in the catalog       | unknown licence and vendor: assume the worst |
| — later capabilities —     |                                                     | |
| verified archive           | −6 when open weights are archived and verified      | the current model cannot be taken away |
| benchmarked alternative    | −8 when an alternative passed your own benchmark    | the switch is de-risked |
| migration plan             | −5 when a migration plan is ready                   | the switch is rehearsed |
| recent vendor signal       | +3 per warning, +6 per critical signal (max +10)    | the situation is moving now |

The positive factors add up to at most 100, so with no later factor the score uses the whole range.
Bands: high ≥ 60, medium ≥ 35, low below. Every factor that moved the score is returned with its
points so pages can show *why*.
"""

from dataclasses import dataclass, field

CRITICALITY_POINTS = {"high": 25, "medium": 15, "low": 5}
VENDOR_RISK_POINTS = {"high": 25, "medium": 14, "low": 5}
SENSITIVITY_POINTS = {"regulated": 7, "confidential": 4, "internal": 0, "public": 0}
POINTS_PER_DIFFICULTY_STEP = 5
API_ONLY_POINTS = 8
INDIRECT_POINTS = 5
NO_FALLBACK_POINTS = 10
UNMAPPED_MODEL_POINTS = 4
VERIFIED_ARCHIVE_POINTS = -6
BENCHMARKED_ALTERNATIVE_POINTS = -8
MIGRATION_PLAN_POINTS = -5
SIGNAL_POINTS = {"warning": 3, "critical": 6}
SIGNAL_POINTS_CAP = 10

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
    # Factors that later capabilities provide; neutral by default.
    verified_archive: bool = False
    benchmarked_alternative: str | None = None
    migration_plan: bool = False
    recent_signals: tuple[tuple[str, str], ...] = field(default=())  # (severity, description)


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
    difficulty = min(max(int(inputs.switching_difficulty), 1), 5)
    factors = [
        Factor("criticality", "Criticality", inputs.criticality, CRITICALITY_POINTS[inputs.criticality]),
        Factor(
            "switching_difficulty",
            "Switching difficulty",
            f"{difficulty} of 5",
            (difficulty - 1) * POINTS_PER_DIFFICULTY_STEP,
        ),
    ]
    if inputs.has_dependencies and inputs.vendor_risk:
        vendors = ", ".join(inputs.vendor_names) or "unknown"
        factors.append(
            Factor(
                "vendor_risk",
                "Vendor risk",
                f"{inputs.vendor_risk} ({vendors})",
                VENDOR_RISK_POINTS[inputs.vendor_risk],
            )
        )
    if inputs.api_only:
        factors.append(
            Factor("api_only", "API-only model", "no open weights to fall back on", API_ONLY_POINTS)
        )
    if inputs.indirect:
        factors.append(
            Factor("indirect", "Indirect dependency", "used through a third-party tool", INDIRECT_POINTS)
        )
    if inputs.has_dependencies and not inputs.fallback_on_other_vendor:
        factors.append(
            Factor(
                "no_fallback", "No fallback on another vendor", "single point of failure", NO_FALLBACK_POINTS
            )
        )
    sensitivity_points = SENSITIVITY_POINTS.get(inputs.data_sensitivity, 0)
    if sensitivity_points:
        factors.append(
            Factor("data_sensitivity", "Data sensitivity", inputs.data_sensitivity, sensitivity_points)
        )
    if inputs.unmapped_models:
        factors.append(
            Factor(
                "unmapped_model",
                "Model not in the catalog",
                ", ".join(inputs.unmapped_models),
                UNMAPPED_MODEL_POINTS,
            )
        )
    if inputs.verified_archive:
        factors.append(
            Factor(
                "verified_archive",
                "Verified archive",
                "weights archived and checked",
                VERIFIED_ARCHIVE_POINTS,
            )
        )
    if inputs.benchmarked_alternative:
        factors.append(
            Factor(
                "benchmarked_alternative",
                "Benchmarked alternative",
                inputs.benchmarked_alternative,
                BENCHMARKED_ALTERNATIVE_POINTS,
            )
        )
    if inputs.migration_plan:
        factors.append(Factor("migration_plan", "Migration plan", "ready", MIGRATION_PLAN_POINTS))
    if inputs.recent_signals:
        points = min(
            sum(SIGNAL_POINTS.get(severity, 0) for severity, _ in inputs.recent_signals), SIGNAL_POINTS_CAP
        )
        if points:
            described = "; ".join(description for _, description in inputs.recent_signals)
            factors.append(Factor("recent_signals", "Recent vendor signals", described, points))

    score = round(min(max(sum(factor.points for factor in factors), 0.0), 100.0), 1)
    return Exposure(score=score, band=band_for(score), factors=tuple(factors))
