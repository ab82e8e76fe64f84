"""The archive exposure factor: a workflow whose open-weight models are archived and verified is less exposed.

Through the `verified_archive` input of apps/exposure/scoring.py: the full credit when every
open-weight primary model of the workflow meets the organization's redundancy policy (policy.py).
"""

from collections.abc import Iterable

from apps.archive.policy import FULL

FULL_VALUE = "weights archived and checked"


def factor_value(level: str | None) -> str | None:
    """What the stored exposure factor says for this coverage level (None: the factor is absent)."""
    return FULL_VALUE if level == FULL else None


def archive_inputs_by_workflow(workflow_ids: Iterable[int]) -> dict[int, dict]:
    from apps.archive.selectors import archive_levels_by_workflow

    levels = archive_levels_by_workflow(workflow_ids)
    return {workflow_id: {"verified_archive": True} for workflow_id, level in levels.items() if level == FULL}
