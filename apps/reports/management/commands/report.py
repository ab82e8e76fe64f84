"""`manage.py report --organization SLUG [--client SLUG] --format pdf|csv|xlsx|cyclonedx --output FILE`.

Writes the client's (or the whole organization's) exposure report (docs/contracts.md). The file is
written to a temporary name beside FILE and renamed, so a failure never leaves half a report.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Client
from apps.accounts.selectors import organization_by_slug_or_only
from apps.reports.exports import EXPORT_FORMATS, report_export


class Command(BaseCommand):
    help = "Write a client's (or the organization's) exposure report as PDF, CSV, XLSX or CycloneDX."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Organization slug (default: the only one).")
        parser.add_argument("--client", help="Client slug (default: the whole organization).")
        parser.add_argument("--format", required=True, choices=list(EXPORT_FORMATS), dest="export_format")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, organization, client, export_format, output, **options):
        org = organization_by_slug_or_only(slug=organization)
        chosen = None
        if client:
            chosen = Client.objects.filter(organization=org, slug=client).first()
            if chosen is None:
                known = ", ".join(org.clients.values_list("slug", flat=True)) or "none"
                raise CommandError(f"{org.slug} has no client '{client}' (clients: {known}).")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        export = report_export(organization=org, client=chosen, export_format=export_format)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(export.content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        subject = chosen.name if chosen else org.name
        self.stderr.write(
            f"Wrote the {export_format} report of {subject} to {target} ({len(export.content):,} bytes)."
        )
