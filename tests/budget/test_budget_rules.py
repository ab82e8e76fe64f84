"""The pure rules of apps/budget/budget.py and apps/budget/moves.py, without a database."""

from decimal import Decimal

import pytest

from apps.budget.budget import (
    Band,
    PrimaryModel,
    ScenarioError,
    SpendLine,
    Totals,
    cents,
    parse_scenario,
    scenario_lines,
    totals_of,
    workflow_lines,
)
from apps.budget.moves import Evidence, MoveCandidate, plan_moves
from apps.common.vendors import VENDOR_SLUGS

QWEN = PrimaryModel("alibaba", True)
QWEN_API = PrimaryModel("alibaba", False)
GPT = PrimaryModel("openai", False)
UNKNOWN = PrimaryModel(None, None)


def test_a_cost_is_shared_equally_among_primaries_and_rounded_only_for_output():
    lines = workflow_lines(Decimal(100), [QWEN, GPT, UNKNOWN])
    totals = totals_of(lines)
    assert [cents(amount) for amount in (totals.open, totals.proprietary, totals.unclassified)] == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert cents(totals.total) == Decimal("100.00")


def test_no_cost_is_nothing_and_no_primary_is_unclassified():
    assert workflow_lines(None, [QWEN]) == []
    assert workflow_lines(Decimal(0), [QWEN]) == []
    assert workflow_lines(Decimal(50), []) == [SpendLine("unclassified", None, Decimal(50))]


@pytest.mark.parametrize(
    ("spec", "canonical", "api_only"),
    [
        ("alibaba*15", "alibaba*15", False),
        (" Alibaba x 15 ", "alibaba*15", False),
        ("alibaba ×1.5", "alibaba*1.5", False),
        ("alibaba:api-only*15", "alibaba:api-only*15", True),
        ("01-ai*2.00", "01-ai*2", False),
    ],
)
def test_scenario_specs(spec, canonical, api_only):
    scenario = parse_scenario(spec, vendors=VENDOR_SLUGS)
    assert (scenario.spec, scenario.api_only) == (canonical, api_only)


@pytest.mark.parametrize("spec", ["", "alibaba", "alibaba*", "*15", "alibaba*-1", "alibaba:cheap*2"])
def test_a_malformed_spec_says_how_to_write_one(spec):
    with pytest.raises(ScenarioError, match="VENDOR\\*FACTOR"):
        parse_scenario(spec, vendors=VENDOR_SLUGS)


def test_api_only_moves_open_shares_to_proprietary_and_leaves_others_alone():
    lines = [
        SpendLine("open", "alibaba", Decimal(100)),
        SpendLine("proprietary", "alibaba", Decimal(10)),
        SpendLine("open", "meta", Decimal(50)),
        SpendLine("unclassified", None, Decimal(5)),
    ]
    after = totals_of(scenario_lines(lines, parse_scenario("alibaba:api-only*2", vendors=VENDOR_SLUGS)))
    assert (after.open, after.proprietary, after.unclassified) == (Decimal(50), Decimal(220), Decimal(5))


def test_the_band_status():
    band = Band()
    assert [
        band.status(share)
        for share in (None, Decimal("0.59"), Decimal("0.6"), Decimal("0.7"), Decimal("0.71"))
    ] == [
        None,
        "below",
        "within",
        "within",
        "above",
    ]


def candidate(name, *, amount, difficulty=2, criticality="medium", regulated=False, evidence=True):
    return MoveCandidate(
        workflow_id=hash(name),
        workflow=name,
        switching_difficulty=difficulty,
        criticality=criticality,
        regulated=regulated,
        amount=Decimal(amount),
        current_models=("GPT-4o",),
        evidence=Evidence("Llama 3.3 70B", 1, "Suite", 0.9, 0.5, True, True) if evidence else None,
    )


def test_moves_take_the_easiest_switches_until_the_share_is_in_the_band():
    totals = Totals(open=Decimal(400), proprietary=Decimal(600))  # 40 %: 200 must move to reach 60 %
    plan = plan_moves(
        totals,
        Band(),
        [
            candidate("Hard but big", amount=300, difficulty=5),
            candidate("Easy small", amount=120, difficulty=1),
            candidate("Easy, overshoots", amount=400, difficulty=1),
            candidate("Mission critical", amount=150, difficulty=1, criticality="high"),
            candidate("Easy, no evidence", amount=100, difficulty=1, evidence=False),
            candidate("Moderate", amount=150, difficulty=3),
        ],
        unlinked=3,
    )
    assert plan.direction == "to_open" and plan.gap == Decimal(200)
    assert [move.candidate.workflow for move in plan.moves] == ["Easy small", "Moderate"]
    assert plan.moves[-1].open_share_after == Decimal("0.67") and plan.reaches_band
    assert plan.without_evidence == 4


def test_regulated_work_never_moves_to_a_proprietary_api():
    totals = Totals(open=Decimal(900), proprietary=Decimal(100))
    plan = plan_moves(totals, Band(), [candidate("Patient letters", amount=300, regulated=True)])
    assert plan.direction == "to_proprietary" and plan.moves == () and not plan.reaches_band
