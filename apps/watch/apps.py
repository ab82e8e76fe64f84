from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "apps.watch"
    label = "watch"

    def ready(self) -> None:
        from apps.exposure.factors import register_factor
        from apps.jobs.importers import register_importer
        from apps.watch import exposure_factors

        register_importer("signals", "apps.watch.ingest.signals_import")
        register_factor(exposure_factors.DEFINITION)
