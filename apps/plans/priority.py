""" "Migrate first": which workflows to move before the others (pure).

    priority = exposure score × monthly spend (USD) ÷ effort (weeks to the cut-over)

Exposure says how badly a vendor's change would hurt, spend how much rides on the workflow, effort
how long the move takes (from the plan's unfinished steps, or the default steps for a workflow with
no plan: apps/plans/stepgen.py). A workflow without a known monthly cost has no priority: it is
listed after the ranked ones, by exposure, with "cost unknown", never ranked as if it cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PriorityInputs:
    exposure_score: float
    monthly_cost: Decimal | float | None
    effort_days: int


def migrate_first_priority(inputs: PriorityInputs) -> float | None:
    if inputs.monthly_cost is None:
        return None
    weeks = max(inputs.effort_days, 1) / 7
    return round(inputs.exposure_score * float(inputs.monthly_cost) / weeks, 1)


def sort_key(priority: float | None, exposure_score: float, name: str) -> tuple:
    return (priority is None, -(priority or 0.0), -exposure_score, name.lower())
