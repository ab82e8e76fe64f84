from pathlib import Path

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"

    def ready(self) -> None:
        # The `cyclonedx` ingest kind: a CycloneDX BOM made elsewhere lands in the inventory.
        # (ImportJob.Kind lists it; the payload's envelope schema lives beside this app.)
        from apps.jobs import forms, results, validation
        from apps.jobs.importers import register_importer

        register_importer("cyclonedx", "apps.reports.cyclonedx_import.cyclonedx_job_import")
        envelope = Path(__file__).resolve().parent / "schemas" / "cyclonedx-envelope.json"
        validation.SCHEMA_FILES.setdefault("cyclonedx", {"CycloneDX": str(envelope)})
        results.RESULT_LINKS.setdefault("cyclonedx", "apps.inventory.selectors.imported_inventory_link")
        forms.KIND_HELP.setdefault(
            "cyclonedx", "A CycloneDX 1.4–1.6 JSON BOM (e.g. an AI BOM from another tool)."
        )
