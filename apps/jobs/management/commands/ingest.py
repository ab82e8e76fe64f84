"""`manage.py ingest KIND FILE [--organization SLUG] [--wait] [--json]`: queue a payload as a CLI job."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import organization_for_command
from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.jobs.selectors import job_list, job_status_document


class Command(BaseCommand):
    help = "Store a payload file as an import job and queue it (the same file twice is imported once)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportJob.Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", help="Organization slug (default: the only one).")
        parser.add_argument("--wait", action="store_true", help="Wait for the job to finish.")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds --wait waits at most.")
        parser.add_argument("--json", action="store_true", help="Print the job's status document as JSON.")

    def handle(self, *args, kind: str, file: Path, organization: str | None, wait: bool, **options):
        org = organization_for_command(slug=organization)
        try:
            payload = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            job, created = services.job_submit(
                organization=org, kind=kind, payload=payload, source=ImportJob.Source.CLI, filename=file.name
            )
        except services.PayloadInvalid as invalid:
            lines = "\n".join(f"  {error['where']}: {error['message']}" for error in invalid.errors)
            raise CommandError(
                f"{file} is not a valid {kind} payload; nothing was stored:\n{lines}"
            ) from invalid
        if not options["json"]:
            verb = "Queued" if created else "Already stored as"
            self.stderr.write(f"{verb} job #{job.pk} ({kind}, {org.slug}).")
        if wait:
            deadline = time.monotonic() + options["timeout"]
            while not job.is_finished and time.monotonic() < deadline:
                time.sleep(0.5)
                job = job_list(organization=org).get(pk=job.pk)
        if options["json"]:
            self.stdout.write(json.dumps(job_status_document(job=job)))
        else:
            self.stdout.write(f"job {job.pk} {job.status} {json.dumps(job.counts)}")
            for error in job.errors:
                self.stdout.write(f"  {error['where']}: {error['message']}")
        if wait and job.status == ImportJob.Status.FAILED:
            raise CommandError(f"Job #{job.pk} failed.")
        if wait and not job.is_finished:
            raise CommandError(f"Job #{job.pk} is still {job.status} after {options['timeout']:.0f} s.")
