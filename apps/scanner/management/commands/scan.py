"""`python manage.py scan PATH [--json] [--organization SLUG]` — see DESIGN.md for the JSON contract."""

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
            # Imported here: recording needs the database, scanning does not.
            from apps.scanner.services import record_scan_for_organization

            try:
                record_scan_for_organization(result, organization)
            except NotImplementedError as error:
                raise CommandError(f"cannot record the scan: {error}") from error

        if as_json:
            self.stdout.write(json.dumps(scan_document(result), ensure_ascii=False))
        else:
            self.stdout.write(scan_table(result))

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
