"""The `verified_archive` exposure factor: a workflow whose open models are archived and verified is less exposed.

One entry in the exposure factor registry. The provider reads each workflow's archive coverage
(policy.py: the least covered of its open-weight primary models, counting only copies whose last
re-hash found them whole within the policy's days); `evaluate` turns it into points:

    full    (every open model meets the redundancy policy)        −6
    partial (at least one verified copy each, below the policy)   −3
    none / nothing to archive                                       0 (the factor is absent)

It moves when an archive finishes, when a re-hash finds a copy damaged or whole again, when the
policy changes, and when a copy's last check grows older than the policy allows (the hourly beat
task `refresh_archive_coverage` keeps that true).
"""

from apps.archive.policy import FULL, PARTIAL
from apps.exposure.factors import FactorDefinition

VERIFIED_ARCHIVE = "verified_archive"
FULL_POINTS = -6
PARTIAL_POINTS = -3
VALUES = {
    FULL: "weights archived; verified copies meet the redundancy policy",
    PARTIAL: "weights archived and verified, but fewer copies than the policy wants",
}
POINTS = {FULL: FULL_POINTS, PARTIAL: PARTIAL_POINTS}


def factor_value(level: str | None) -> str | None:
    """What the stored exposure factor says for this coverage level (None: the factor is absent)."""
    return VALUES.get(level or "")


def _provider(workflow_ids):
    from apps.archive.selectors import archive_levels_by_workflow

    levels = archive_levels_by_workflow(workflow_ids)
    return {workflow_id: level for workflow_id, level in levels.items() if level in POINTS}


def _evaluate(inputs):
    level = inputs.provided.get(VERIFIED_ARCHIVE)
    return (VALUES[level], POINTS[level]) if level in POINTS else None


DEFINITION = FactorDefinition(
    key=VERIFIED_ARCHIVE,
    label="Verified archive",
    order=90,
    points=f"{FULL_POINTS} when the redundancy policy is met · {PARTIAL_POINTS} with at least one verified copy",
    why="A verified copy of the weights you run cannot be withdrawn or relicensed by the vendor.",
    evaluate=_evaluate,
    provider=_provider,
    refreshed_when=(
        "an archive finishes, a re-hash finds a copy damaged or whole, the policy changes, "
        "or a copy's last check grows older than the policy allows"
    ),
)
