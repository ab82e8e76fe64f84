from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "apps.watch"
    label = "watch"

    def ready(self) -> None:
        from apps.exposure.providers import register_factor_provider
        from apps.jobs.importers import register_importer
        from apps.watch.exposure_factors import recent_signals_by_workflow

        register_importer("signals", "apps.watch.ingest.signals_import")
        register_factor_provider(recent_signals_by_workflow)
