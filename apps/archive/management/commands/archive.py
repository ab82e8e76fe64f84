"""`manage.py archive SOURCE --organization SLUG --to LOCATION [--to LOCATION ...] [--json]` (docs/contracts.md)."""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.selectors import organization_by_slug_or_only
from apps.archive import services
from apps.archive.hub import SourceError, parse_source
from apps.archive.storage import LocationError


class Command(BaseCommand):
    help = "Archive a Hugging Face repository at a pinned revision into one or more storage locations."

    def add_arguments(self, parser):
        parser.add_argument("source", help="hf:OWNER/REPO[@REVISION]")
        parser.add_argument("--organization", help="Organization slug (default: the only one)")
        parser.add_argument(
            "--to",
            action="append",
            required=True,
            dest="locations",
            metavar="LOCATION",
            help="file:///absolute/path or s3://bucket/prefix (repeat for more copies)",
        )
        parser.add_argument("--json", action="store_true", help="Print the riskboard.archive/1 document")

    def handle(
        self, *args, source: str, organization: str | None, locations: list[str], json: bool, **options
    ):
        target = organization_by_slug_or_only(slug=organization)
        try:
            parse_source(source)
            chosen = [services.location_for_url(organization=target, url=url) for url in locations]
        except (SourceError, LocationError) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

        def progress(done: int, total: int, current: str) -> None:
            if not json and sys.stderr.isatty():
                sys.stderr.write(f"\r{done * 100 // max(total, 1):3d}%  {current[:60]:<60}")

        try:
            outcome = services.archive_source(
                organization=target, source=source, locations=chosen, progress=progress
            )
        except Exception as error:  # the reason, not a traceback
            raise CommandError(services._explain(error)) from error
        document = outcome.as_contract()
        if json:
            self.stdout.write(_dumps(document))
            return
        self.stdout.write(
            f"{document['artifact']}@{document['revision']}: {document['files']} files, {document['bytes']} bytes"
        )
        for copy in document["copies"]:
            self.stdout.write(f"  {copy['status']:<9} {copy['location']}")


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)
