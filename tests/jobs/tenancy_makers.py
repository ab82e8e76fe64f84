"""Objects of the jobs pipeline for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

import hashlib
from collections.abc import Callable

from apps.accounts.tokens import api_token_create
from apps.jobs.models import ImportJob


def _job(organization) -> int:
    payload = f"tenancy job of {organization.slug}".encode()
    return ImportJob.objects.create(
        organization=organization,
        kind=ImportJob.Kind.SCAN,
        source=ImportJob.Source.CLI,
        payload=payload,
        sha256=hashlib.sha256(payload).hexdigest(),
        status=ImportJob.Status.FAILED,
    ).pk


OBJECT_MAKERS: dict[str, Callable] = {
    "job_id": _job,
    "token_id": lambda organization: api_token_create(organization=organization, name="tenancy")[0].pk,
}
