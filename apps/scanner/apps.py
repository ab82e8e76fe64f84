from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "apps.scanner"
    label = "scanner"

    def ready(self) -> None:
        from apps.jobs.importers import register_importer

        # Wraps apps.scanner.ingest.scan_import: archives are scanned first, and every recorded scan is
        # reconciled with the inventory.
        register_importer("scan", "apps.scanner.imports.scan_job_import")
        from apps.jobs.validation import register_raw_format

        # An uploaded (or pushed) .zip/.tar.gz of a repository is scanned by the importer itself.
        register_raw_format("scan", "apps.scanner.payloads.is_archive_payload")
