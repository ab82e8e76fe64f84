from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "apps.benchmarks"
    label = "benchmarks"

    def ready(self) -> None:
        from apps.benchmarks.selectors import benchmarked_alternatives
        from apps.exposure.providers import register_factor_provider
        from apps.jobs.importers import register_importer

        register_importer("bench", "apps.benchmarks.ingest.bench_import")
        register_factor_provider(benchmarked_alternatives)
