"""`python manage.py scan PATH [--json] [--organization SLUG]` — see docs/contracts.md for the JSON contract."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.scanner.archive import UnsafeArchiveError, extracted_archive, is_archive
from apps.scanner.engine import scan_tree
from apps.scanner.findings import ScanResult
from apps.scanner.report import scan_document, scan_table


class Command(BaseCommand):
    help = (
        "Scan a directory (or a .zip/.tar.gz archive of one) for the AI models, SDKs and vendor APIs it "
        "depends on. Honours .gitignore; skips binary files and dependency folders."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="directory or archive to scan")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print riskboard.scan/1 JSON")
        parser.add_argument(
            "--organization", metavar="SLUG", help="also record the scan for this organization"
        )

    def handle(
        self, *args: object, path: str, as_json: bool, organization: str | None, **options: object
    ) -> None:
        target = Path(path)
        if not target.exists():
            raise CommandError(f"{path} does not exist")
        result = self._scan(target)
        result.root = path  # the document names the tree as the user did, not the temporary directory

        if organization:
            self._record(result, organization, target)

        if as_json:
            self.stdout.write(json.dumps(scan_document(result), ensure_ascii=False))
        else:
            self.stdout.write(scan_table(result))

    def _record(self, result: ScanResult, organization_slug: str, target: Path) -> None:
        """Record through the job pipeline; what it says goes to stderr so --json output stays one document."""
        # Imported here: recording needs the database, scanning does not.
        from apps.accounts.selectors import organization_by_slug_or_only
        from apps.jobs.services import PayloadInvalid
        from apps.scanner.services import scan_record

        organization = organization_by_slug_or_only(slug=organization_slug)
        try:
            job = scan_record(result=result, organization=organization, scanned_path=str(target.resolve()))
        except PayloadInvalid as invalid:
            raise CommandError(f"the scan could not be recorded: {invalid}") from invalid
        if job.status == job.Status.FAILED:
            errors = "; ".join(f"{error['where']}: {error['message']}" for error in job.errors)
            raise CommandError(f"recording the scan failed (job #{job.pk}): {errors}")
        counts = job.counts
        self.stderr.write(
            f"Recorded for {organization.slug} as job #{job.pk} ({job.status}): "
            f"{counts.get('findings_linked', 0)} linked to the inventory, "
            f"{counts.get('findings_untracked', 0)} untracked, {counts.get('findings_dismissed', 0)} dismissed."
        )

    def _scan(self, target: Path) -> ScanResult:
        if target.is_dir():
            return scan_tree(target)
        if not is_archive(target):
            raise CommandError(f"{target} is neither a directory nor a .zip/.tar.gz archive")
        try:
            with extracted_archive(target) as root:
                return scan_tree(root)
        except UnsafeArchiveError as error:
            raise CommandError(str(error)) from error
