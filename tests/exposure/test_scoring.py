"""The exposure score's documented properties, checked over every combination of its inputs."""

import itertools
from dataclasses import replace

import pytest

from apps.exposure import factors
from apps.exposure.factors import FactorDefinition
from apps.exposure.scoring import ExposureInputs, band_for, exposure_score

CRITICALITY = ["low", "medium", "high"]
RISK = ["low", "medium", "high"]
SENSITIVITY = ["public", "confidential", "regulated"]


def all_inputs():
    for criticality, difficulty, risk, api_only, indirect, fallback, sensitivity in itertools.product(
        CRITICALITY, range(1, 6), RISK, [False, True], [False, True], [False, True], SENSITIVITY
    ):
        yield ExposureInputs(
            criticality=criticality,
            switching_difficulty=difficulty,
            vendor_risk=risk,
            api_only=api_only,
            indirect=indirect,
            fallback_on_other_vendor=fallback,
            data_sensitivity=sensitivity,
        )


def score(inputs: ExposureInputs) -> float:
    return exposure_score(inputs).score


def test_it_is_bounded_and_uses_the_whole_range():
    scores = [score(inputs) for inputs in all_inputs()]
    assert min(scores) >= 0 and max(scores) <= 100
    worst = ExposureInputs(
        criticality="high",
        switching_difficulty=5,
        vendor_risk="high",
        api_only=True,
        indirect=True,
        data_sensitivity="regulated",
        unmapped_models=("mystery-model",),
    )
    assert score(worst) == 100.0


@pytest.mark.parametrize(
    ("field", "ladder"),
    [
        ("criticality", CRITICALITY),
        ("switching_difficulty", [1, 2, 3, 4, 5]),
        ("vendor_risk", RISK),
        ("api_only", [False, True]),
        ("indirect", [False, True]),
        ("fallback_on_other_vendor", [True, False]),  # losing the fallback raises exposure
        ("data_sensitivity", SENSITIVITY),
    ],
)
def test_it_is_monotone_in_each_factor(field, ladder):
    for inputs in all_inputs():
        values = [score(replace(inputs, **{field: step})) for step in ladder]
        assert values == sorted(values), f"{field} not monotone from {inputs}: {values}"
        assert values[0] < values[-1], f"{field} has no effect from {inputs}"


def test_mitigations_lower_the_score_but_never_below_zero(monkeypatch):
    inputs = ExposureInputs(criticality="high", switching_difficulty=4, vendor_risk="high")
    mitigated = replace(inputs, provided={"benchmarked_alternative": "Llama 3.3 70B"})
    assert score(mitigated) == score(inputs) - 8
    every_mitigation = FactorDefinition(
        key="every_mitigation",
        label="Every mitigation",
        order=999,
        points="-50",
        why="test",
        evaluate=lambda inputs: ("all of them", -50),
    )
    monkeypatch.setitem(factors._registry, "every_mitigation", every_mitigation)
    floor = ExposureInputs(criticality="low", switching_difficulty=1, vendor_risk="low")
    assert score(floor) == 0


def test_the_case_users_check_first_ranks_as_they_expect():
    critical_on_qwen = ExposureInputs(
        criticality="high", switching_difficulty=5, vendor_risk="high", fallback_on_other_vendor=False
    )
    minor_on_gpt_with_fallback = ExposureInputs(
        criticality="low",
        switching_difficulty=2,
        vendor_risk="low",
        api_only=True,
        fallback_on_other_vendor=True,
    )
    high, low = exposure_score(critical_on_qwen), exposure_score(minor_on_gpt_with_fallback)
    assert high.score > low.score
    assert (high.band, low.band) == ("high", "low")


def test_every_factor_that_moved_the_score_is_explained():
    result = exposure_score(
        ExposureInputs(
            criticality="high",
            switching_difficulty=4,
            vendor_risk="high",
            vendor_names=("Alibaba (Qwen)",),
            indirect=True,
            data_sensitivity="regulated",
        )
    )
    explained = {factor.key: factor.points for factor in result.factors}
    assert explained == {
        "criticality": 25,
        "switching_difficulty": 15,
        "vendor_risk": 25,
        "indirect": 5,
        "no_fallback": 10,
        "data_sensitivity": 7,
    }
    assert sum(explained.values()) == result.score == 87


def test_recent_signals_add_points_up_to_a_cap():
    base = ExposureInputs(criticality="low", switching_difficulty=1, vendor_risk="low")
    noisy = replace(base, provided={"recent_signals": (("critical", "licence tightened"),) * 3})
    assert score(noisy) - score(base) == 10


def test_a_workflow_without_dependencies_scores_only_its_own_traits():
    result = exposure_score(
        ExposureInputs(criticality="medium", switching_difficulty=3, vendor_risk=None, has_dependencies=False)
    )
    assert [factor.key for factor in result.factors] == ["criticality", "switching_difficulty"]
    assert result.score == 25


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "low"), (34.9, "low"), (35, "medium"), (59.9, "medium"), (60, "high"), (100, "high")],
)
def test_bands_have_documented_edges(value, band):
    assert band_for(value) == band
