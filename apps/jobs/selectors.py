from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organization
from apps.jobs.models import ImportJob


def job_list(*, organization: Organization, kind: str = "", status: str = "") -> QuerySet[ImportJob]:
    """The organization's jobs, newest first, without their payloads."""
    jobs = (
        ImportJob.objects.filter(organization=organization)
        .defer("payload")
        .select_related("started_by_user", "started_by_token")
    )
    if kind in ImportJob.Kind.values:
        jobs = jobs.filter(kind=kind)
    if status in ImportJob.Status.values:
        jobs = jobs.filter(status=status)
    return jobs


def job_get(*, organization: Organization, job_id: int) -> ImportJob:
    """The organization's job, or 404: another tenant's job does not exist for this one."""
    return get_object_or_404(job_list(organization=organization).select_related("organization"), pk=job_id)


def job_status_document(*, job: ImportJob) -> dict:
    """The job as the ingest API answers it (docs/contracts.md: id, kind, status, progress, counts, errors)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": {"done": job.progress_done, "total": job.progress_total, "percent": job.progress_percent},
        "counts": job.counts,
        "errors": job.errors,
        "source": job.source,
        "sha256": job.sha256,
        "deliveries": job.deliveries,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
