from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"

    def ready(self) -> None:
        from pathlib import Path

        from apps.inventory.selectors import imported_inventory_link
        from apps.jobs.kinds import register_ingest_kind
        from apps.reports.cyclonedx_import import cyclonedx_job_import

        # The `cyclonedx` ingest kind: a CycloneDX BOM made elsewhere lands in the inventory. A BOM has
        # no `schema` field, so its envelope schema (beside this app) is the default; the importer then
        # checks the official CycloneDX schema and names each error's JSON path.
        envelope = Path(__file__).resolve().parent / "schemas" / "cyclonedx-envelope.json"
        register_ingest_kind(
            "cyclonedx",
            importer=cyclonedx_job_import,
            schemas={"CycloneDX": str(envelope)},
            result_link=imported_inventory_link,
            help="A CycloneDX 1.4–1.6 JSON BOM (e.g. an AI BOM from another tool).",
        )
