import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import organization_for_command
from apps.inventory.importing import inventory_import
from apps.inventory.spreadsheet import SpreadsheetError, parse_sheet, read_table


class Command(BaseCommand):
    help = "Import the audit spreadsheet (CSV or XLSX). Any invalid row: every error is listed and nothing is written."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organization", help="Organization slug (required when there are several)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing")
        parser.add_argument(
            "--json", action="store_true", help="Print the riskboard.inventory-import/1 summary"
        )

    def handle(self, *args, file: str, organization: str | None, dry_run: bool, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = organization_for_command(slug=organization)
        try:
            sheet = parse_sheet(read_table(path.read_bytes(), path.name))
        except SpreadsheetError as error:
            raise CommandError(str(error)) from error
        summary = inventory_import(organization=target, sheet=sheet, dry_run=dry_run)
        if json:
            self.stdout.write(_dumps(summary.as_contract()))
        else:
            self._print_readable(summary, target)
        if summary.errors:
            raise SystemExit(1)

    def _print_readable(self, summary, organization) -> None:
        if summary.errors:
            self.stderr.write(f"{len(summary.errors)} problem(s); nothing was written:")
            for error in summary.errors:
                self.stderr.write(f"  row {error.row}, {error.column}: {error.message}")
            return
        prefix = "Would import" if summary.dry_run else "Imported"
        self.stdout.write(
            f"{prefix} into {organization.slug}: {summary.workflows_created} workflows created, "
            f"{summary.workflows_updated} updated, {summary.dependencies_created} dependencies created, "
            f"{summary.tools_created} tools created."
        )
        if summary.unmatched_models:
            self.stdout.write(
                "Flagged for review (not in the catalog): " + ", ".join(summary.unmatched_models)
            )


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)
