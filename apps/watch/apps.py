from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "apps.watch"
    label = "watch"

    def ready(self) -> None:
        from apps.exposure.factors import register_factor
        from apps.jobs.kinds import register_ingest_kind
        from apps.watch import exposure_factors
        from apps.watch.ingest import signals_import
        from apps.watch.selectors import imported_signals_link

        register_ingest_kind(
            "signals",
            importer=signals_import,
            schemas={"riskboard.signals/1": "signals-1.json"},
            result_link=imported_signals_link,
            help="The JSON from `manage.py watch --json` (riskboard.signals/1).",
            text_limits={"signals/*/key": 64},
        )
        register_factor(exposure_factors.DEFINITION)
