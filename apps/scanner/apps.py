from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "apps.scanner"
    label = "scanner"

    def ready(self) -> None:
        from apps.jobs.importers import register_importer

        # Wraps apps.scanner.ingest.scan_import: archives are scanned first, and every recorded scan is
        # reconciled with the inventory.
        register_importer("scan", "apps.scanner.imports.scan_job_import")
