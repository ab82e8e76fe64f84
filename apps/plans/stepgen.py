"""The default steps of a migration plan, from the workflow's category and switching difficulty (pure).

Durations are calendar days and follow the article:

| step                                   | days                                          | why |
|----------------------------------------|-----------------------------------------------|-----|
| archive weights, prompts and configs   | 2                                             | practice 2: mirrors go offline |
| put the workflow behind an alias       | 2 (3 for agents); skipped when already behind | practice 3: a swap is one config change |
| port agents to a framework-agnostic    | agents only: 7 + 1.5 × (difficulty − 1)       | function-calling formats and tool |
|   layer                                |   → 7 … 13                                     |   protocols are model-specific |
| rework vision prompts                  | vision only: 5 + 2 × (difficulty − 1)         | "those prompts will not transfer one-to-one" |
| re-validate prompts on the suite       | REVALIDATE_DAYS[difficulty]                   | the prompt work does not transfer cleanly |
|                                        | (agents: AGENT_REVALIDATE_DAYS)               | |
| shadow run                             | 7 (10 for agents)                             | parallel testing before trusting it |
| cut over (swap the alias)              | 1                                             | |
| decommission the old model             | 7                                             | keep it as a fallback for a week |

So an agentic workflow not yet behind an alias reaches its cut-over in 28 to 39 days, the article's
"four- to six-week migration timeline"; a difficulty-1 content workflow in about two weeks. A workflow
already behind an alias saves that step: the abstraction pays off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REVALIDATE_DAYS = {1: 1, 2: 2, 3: 5, 4: 8, 5: 12}
AGENT_REVALIDATE_DAYS = {1: 5, 2: 6, 3: 7, 4: 9, 5: 10}


@dataclass(frozen=True)
class StepSpec:
    kind: str
    title: str
    detail: str
    duration_days: int
    skipped: bool = False


def default_steps(
    *,
    category: str,
    switching_difficulty: int,
    current_api_only: bool = False,
    behind_alias: bool = False,
    target_name: str = "the new model",
    has_suite: bool = False,
) -> list[StepSpec]:
    difficulty = min(max(int(switching_difficulty), 1), 5)
    agent = category == "agent"
    vision = category == "vision"
    steps = [
        StepSpec(
            "archive",
            "Archive current weights, prompts and configs"
            if not current_api_only
            else "Archive current prompts and configs",
            "Download the weights you run (not a bookmark), fine-tuning data, adapters, system prompts and "
            "deployment configs to two places you control."
            if not current_api_only
            else "The current model is API-only: there are no weights to keep, so archive prompts, "
            "parameters and sample outputs.",
            2,
        ),
        StepSpec(
            "alias",
            "Put the workflow behind a registry alias",
            "Callers use an alias (e.g. drafts); the registry maps it to a model, so the cut-over is one "
            "config change.",
            3 if agent else 2,
            skipped=behind_alias,
        ),
    ]
    if agent:
        steps.append(
            StepSpec(
                "port_agent",
                "Port the agents to a framework-agnostic layer",
                "Function-calling formats, tool protocols and agent behaviour are model-specific: document "
                "the agent architecture and move it to a framework that supports several backends.",
                round(7 + 1.5 * (difficulty - 1)),
            )
        )
    if vision:
        steps.append(
            StepSpec(
                "rework_prompts",
                "Rework the vision prompts",
                "Prompts written for one vision model do not transfer one-to-one: rewrite them for "
                f"{target_name} and note what changed.",
                5 + 2 * (difficulty - 1),
            )
        )
    steps += [
        StepSpec(
            "revalidate",
            "Re-validate prompts on the benchmark suite",
            f"Run your own cases through {target_name} and compare with today's model"
            + ("." if has_suite else "; link a benchmark suite to the workflow first."),
            AGENT_REVALIDATE_DAYS[difficulty] if agent else REVALIDATE_DAYS[difficulty],
        ),
        StepSpec(
            "shadow",
            "Shadow run",
            f"Send live traffic to {target_name} in parallel (staging alias) and compare outputs before "
            "anyone relies on them.",
            10 if agent else 7,
        ),
        StepSpec(
            "cutover",
            "Cut over: swap the alias",
            f"Point the production alias at {target_name}; the old model stays reachable as history.",
            1,
        ),
        StepSpec(
            "decommission",
            "Decommission the old model",
            "After a week without a rollback, remove the old deployment and its credentials.",
            7,
        ),
    ]
    return steps


def schedule(steps: list[StepSpec], start: dt.date) -> list[dt.date | None]:
    """Due dates: steps run one after another from `start`; a skipped step takes no time (None)."""
    due: list[dt.date | None] = []
    cursor = start
    for step in steps:
        if step.skipped:
            due.append(None)
            continue
        cursor = cursor + dt.timedelta(days=step.duration_days)
        due.append(cursor)
    return due


def days_to_cut_over(steps: list[StepSpec]) -> int:
    total = 0
    for step in steps:
        if not step.skipped:
            total += step.duration_days
        if step.kind == "cutover":
            break
    return total
