"""Default steps and durations of a migration plan (apps/plans/stepgen.py): the article's timelines."""

import datetime as dt

import pytest

from apps.plans.stepgen import days_to_cut_over, default_steps, schedule


@pytest.mark.parametrize("difficulty", [1, 2, 3, 4, 5])
def test_an_agentic_workflow_reaches_its_cut_over_in_four_to_six_weeks(difficulty):
    steps = default_steps(category="agent", switching_difficulty=difficulty)

    assert 28 <= days_to_cut_over(steps) <= 42
    assert "port_agent" in [step.kind for step in steps]


def test_vision_prompts_get_a_rework_step_before_revalidation():
    kinds = [step.kind for step in default_steps(category="vision", switching_difficulty=3)]

    assert kinds.index("rework_prompts") < kinds.index("revalidate")


def test_the_steps_follow_the_article_in_order():
    kinds = [step.kind for step in default_steps(category="content", switching_difficulty=2)]

    assert kinds == ["archive", "alias", "revalidate", "shadow", "cutover", "decommission"]


def test_harder_switches_take_longer():
    totals = [
        days_to_cut_over(default_steps(category="content", switching_difficulty=d)) for d in range(1, 6)
    ]

    assert totals == sorted(totals) and totals[0] < totals[-1]


def test_a_workflow_already_behind_an_alias_skips_that_step_and_its_days():
    behind = default_steps(category="agent", switching_difficulty=3, behind_alias=True)
    direct = default_steps(category="agent", switching_difficulty=3)

    assert [step.kind for step in behind if step.skipped] == ["alias"]
    assert days_to_cut_over(direct) - days_to_cut_over(behind) == 3


def test_an_api_only_model_has_no_weights_to_archive():
    archive = default_steps(category="content", switching_difficulty=2, current_api_only=True)[0]

    assert archive.title == "Archive current prompts and configs"


def test_due_dates_run_one_after_another_and_a_skipped_step_has_none():
    steps = default_steps(category="content", switching_difficulty=1, behind_alias=True)

    dues = schedule(steps, dt.date(2026, 12, 1))

    assert dues[:3] == [dt.date(2026, 12, 3), None, dt.date(2026, 12, 4)]
    assert dues[-1] == dt.date(2026, 12, 1) + dt.timedelta(
        days=sum(s.duration_days for s in steps if not s.skipped)
    )
