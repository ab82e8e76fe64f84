"""Thin-evidence warnings and the "migrate first" priority: pure functions."""

from decimal import Decimal

from apps.plans.evidence import evidence_warnings, languages_of_cases
from apps.plans.priority import PriorityInputs, migrate_first_priority, sort_key


def test_a_hand_picked_target_warns_that_there_is_no_evidence():
    assert evidence_warnings(None)[0].startswith("No benchmark evidence")


def test_few_cases_one_language_and_no_latency_are_each_named():
    warnings = evidence_warnings(
        {"cases": 6, "pass_rate": 0.83, "languages": ["de"], "latency_ms_p95": None}, languages_served=12
    )

    assert warnings == [
        "Only 6 cases: too few to trust a pass rate of 83%; aim for 20 or more.",
        "The suite covers 1 language (de) but the workflow serves 12.",
        "No latency figures: the run did not measure how fast the target answers.",
    ]


def test_solid_evidence_has_no_warning():
    evidence = {"cases": 40, "pass_rate": 0.9, "languages": ["de", "fr"], "latency_ms_p95": 900.0}

    assert evidence_warnings(evidence, languages_served=2) == []


def test_languages_are_read_from_the_cases_variables():
    assert languages_of_cases([{"language": "de"}, {"lang": "fr"}, {"language": "de"}, {}]) == ["de", "fr"]


def test_priority_is_exposure_times_spend_over_weeks_of_effort():
    assert migrate_first_priority(PriorityInputs(80.0, Decimal("700"), 14)) == 28000.0
    assert migrate_first_priority(PriorityInputs(80.0, None, 14)) is None


def test_unknown_cost_sorts_after_ranked_workflows_then_by_exposure():
    rows = [(None, 90.0, "a"), (100.0, 10.0, "b"), (None, 95.0, "c"), (500.0, 5.0, "d")]

    ordered = sorted(rows, key=lambda row: sort_key(*row))

    assert [name for *_, name in ordered] == ["d", "b", "c", "a"]
