"""The steps timeline: the bars a plan's steps become, and the chart drawn from them."""

import datetime as dt

import pytest

from apps.plans import services
from apps.plans.charts import plan_steps_timeline
from apps.plans.selectors import plan_timeline
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def test_each_dated_step_is_a_bar_from_start_to_due_and_late_ones_are_overdue(organization):
    workflow = workflow_with(
        organization=organization, name="Drafts", models=["qwen2.5:7b"], switching_difficulty=1
    )
    plan = services.plan_create(
        workflow=workflow, target_identifier="llama3.3:70b", start_date=dt.date(2026, 12, 1)
    )
    archive = plan.steps.get(kind="archive")
    services.step_update(step=archive, owner="", due=archive.due, status="done")

    bars = plan_timeline(organization=organization, today=dt.date(2026, 12, 6))

    assert [(bar.step, bar.start, bar.end, bar.status, bar.overdue) for bar in bars[:3]] == [
        (
            "Archive current weights, prompts and configs",
            dt.date(2026, 12, 1),
            dt.date(2026, 12, 3),
            "done",
            False,
        ),
        (
            "Put the workflow behind a registry alias",
            dt.date(2026, 12, 3),
            dt.date(2026, 12, 5),
            "todo",
            True,
        ),
        (
            "Re-validate prompts on the benchmark suite",
            dt.date(2026, 12, 5),
            dt.date(2026, 12, 6),
            "todo",
            False,
        ),
    ]
    assert {bar.plan_label for bar in bars} == {"Drafts"}


def test_a_dropped_plan_and_a_skipped_step_are_not_drawn(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    alias_step = plan.steps.get(kind="alias")
    services.step_update(step=alias_step, owner="", due=None, status="skipped")
    assert "Put the workflow behind a registry alias" not in {
        bar.step for bar in plan_timeline(organization=organization)
    }

    services.plan_set_status(plan=plan, status="dropped")

    assert plan_timeline(organization=organization) == []


def test_the_chart_colours_bars_by_status_and_spans_each_step(organization):
    workflow = workflow_with(
        organization=organization, name="Drafts", models=["qwen2.5:7b"], switching_difficulty=1
    )
    services.plan_create(workflow=workflow, target_identifier="llama3.3:70b", start_date=dt.date(2026, 12, 1))
    bars = plan_timeline(organization=organization, today=dt.date(2026, 12, 6))

    figure = plan_steps_timeline(bars, today=dt.date(2026, 12, 6))

    by_name = {trace.name: trace for trace in figure.data}
    assert set(by_name) == {"To do", "Overdue"}
    overdue = by_name["Overdue"]
    assert list(overdue.base) == ["2026-12-01", "2026-12-03"]
    assert list(overdue.x) == [2 * 86_400_000, 2 * 86_400_000]
    assert figure.layout.shapes[0].x0 == "2026-12-06"
