from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "apps.benchmarks"
    label = "benchmarks"

    def ready(self) -> None:
        from apps.benchmarks import exposure_factors
        from apps.exposure.factors import register_factor
        from apps.jobs.importers import register_importer

        register_importer("bench", "apps.benchmarks.ingest.bench_import")
        register_factor(exposure_factors.DEFINITION)
