from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_shipped_catalog(sender, **kwargs) -> None:
    """After every migrate (and every test flush), add whatever of the shipped catalog is missing."""
    from apps.inventory.services import catalog_sync

    catalog_sync()


class InventoryConfig(AppConfig):
    name = "apps.inventory"
    label = "inventory"

    def ready(self) -> None:
        post_migrate.connect(load_shipped_catalog, sender=self, dispatch_uid="inventory-catalog")
        from apps.inventory.ingest import inventory_job_import, is_spreadsheet
        from apps.inventory.selectors import imported_inventory_link
        from apps.jobs.kinds import register_ingest_kind

        register_ingest_kind(
            "inventory",
            importer=inventory_job_import,
            schemas={"riskboard.inventory/1": "inventory-1.json"},
            # The CSV/XLSX sheet `import_inventory` reads skips the JSON Schema: its importer checks the rows.
            raw_format=is_spreadsheet,
            result_link=imported_inventory_link,
            help="The inventory sheet (CSV or XLSX), or riskboard.inventory/1 JSON.",
        )
