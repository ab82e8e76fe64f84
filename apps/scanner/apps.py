from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "apps.scanner"
    label = "scanner"

    def ready(self) -> None:
        from apps.jobs.kinds import register_ingest_kind
        from apps.scanner.imports import scan_job_import
        from apps.scanner.payloads import is_archive_payload
        from apps.scanner.selectors import imported_scan_link

        register_ingest_kind(
            "scan",
            # Wraps apps.scanner.ingest.scan_import: archives are scanned first, and every recorded
            # scan is reconciled with the inventory.
            importer=scan_job_import,
            schemas={"riskboard.scan/1": "scan-1.json"},
            # An uploaded (or pushed) .zip/.tar.gz of a repository is scanned by the importer itself.
            raw_format=lambda payload, filename, content_type: is_archive_payload(payload),
            result_link=imported_scan_link,
            help="The JSON from `manage.py scan PATH --json` (riskboard.scan/1).",
            text_limits={
                "root": 1024,
                "findings/*/path": 1024,
                "findings/*/identifier": 512,
                "findings/*/family": 64,
                "findings/*/rule": 120,
            },
        )
