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
        from apps.jobs.importers import register_importer

        register_importer("inventory", "apps.inventory.ingest.inventory_job_import")
