"""Where the result of a finished job lives, so the job page can link to it.

Each kind's owner declares a `result_link(job) -> (label, url) | None` with its kind
(apps/jobs/kinds.py). A kind without one simply shows no link.
"""

from apps.jobs.kinds import ingest_kind


def job_result_link(job) -> tuple[str, str] | None:
    entry = ingest_kind(job.kind)
    if job.status != job.Status.SUCCEEDED or entry is None or entry.result_link is None:
        return None
    return entry.result_link(job)
