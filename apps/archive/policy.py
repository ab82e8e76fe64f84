"""The redundancy policy as pure functions: which copies count, and how well an artifact is covered.

A copy counts when its last re-hash found it whole (`verified`) no longer ago than the policy's
`max_age_days`: coverage decays with time, so a copy nobody re-checks stops counting (the beat task
re-hashes copies before that happens and refreshes exposure when it does).

    level = "full"    when counting copies ≥ min_copies and counting off-site copies ≥ min_off_site
          = "partial" when at least one copy counts
          = "none"    otherwise

A workflow is as covered as its least covered open-weight primary model (API-only models cannot be
archived; the exposure score already charges them as such). A workflow with no open-weight primary
model has nothing to archive: "n/a".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

FULL, PARTIAL, NONE, NOT_APPLICABLE = "full", "partial", "none", "n/a"
RANK = {NONE: 0, PARTIAL: 1, FULL: 2}


@dataclass(frozen=True)
class Policy:
    min_copies: int = 2
    min_off_site: int = 1
    max_age_days: int = 30

    def describe(self) -> str:
        return (
            f"at least {self.min_copies} verified cop{'y' if self.min_copies == 1 else 'ies'}, "
            f"{self.min_off_site} off-site, verified within the last {self.max_age_days} days"
        )


@dataclass(frozen=True)
class CopyState:
    status: str
    last_verified_at: datetime | None
    off_site: bool


def copy_counts(copy: CopyState, policy: Policy, *, now: datetime) -> bool:
    return (
        copy.status == "verified"
        and copy.last_verified_at is not None
        and now - copy.last_verified_at <= timedelta(days=policy.max_age_days)
    )


def coverage_level(copies: Iterable[CopyState], policy: Policy, *, now: datetime) -> str:
    counting = [copy for copy in copies if copy_counts(copy, policy, now=now)]
    if not counting:
        return NONE
    off_site = sum(1 for copy in counting if copy.off_site)
    if len(counting) >= policy.min_copies and off_site >= policy.min_off_site:
        return FULL
    return PARTIAL


def best_level(levels: Iterable[str]) -> str:
    return max(levels, key=RANK.__getitem__, default=NONE)


def workflow_level(model_levels: Iterable[str]) -> str:
    """The least covered of the workflow's open-weight primary models; n/a when there is none."""
    levels = list(model_levels)
    if not levels:
        return NOT_APPLICABLE
    return min(levels, key=RANK.__getitem__)
