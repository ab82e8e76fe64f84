"""`manage.py archive_verify [--organization SLUG] [--json]`: re-hash every recorded copy (docs/contracts.md).

Exit 0 when every copy is verified, 1 otherwise; the JSON is printed either way.
"""

import json

from django.core.management.base import BaseCommand

from apps.accounts.selectors import organization_by_slug_or_only
from apps.archive import services


class Command(BaseCommand):
    help = "Re-hash every archive copy; name the copies and files that are missing or corrupted."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization's copies (default: all)")
        parser.add_argument(
            "--json", action="store_true", help="Print the riskboard.archive-verify/1 document"
        )

    def handle(self, *args, organization: str | None, json: bool, **options):
        target = organization_by_slug_or_only(slug=organization) if organization else None
        copies = services.copies_verify(organization=target)
        document = {
            "schema": "riskboard.archive-verify/1",
            "copies": [
                {
                    "artifact": copy.artifact.source,
                    "revision": copy.artifact.revision,
                    "location": copy.location.url,
                    "status": copy.status,
                    "bad_files": copy.bad_files,
                }
                for copy in copies
            ],
        }
        if json:
            self.stdout.write(_dumps(document))
        else:
            for entry in document["copies"]:
                bad = f"  bad: {', '.join(entry['bad_files'])}" if entry["bad_files"] else ""
                self.stdout.write(f"{entry['status']:<9} {entry['artifact']} at {entry['location']}{bad}")
        if any(copy.status != "verified" for copy in copies):
            raise SystemExit(1)


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)
