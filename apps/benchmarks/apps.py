from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "apps.benchmarks"
    label = "benchmarks"

    def ready(self) -> None:
        from apps.benchmarks import exposure_factors
        from apps.benchmarks.ingest import bench_import
        from apps.benchmarks.selectors import imported_run_link
        from apps.exposure.factors import register_factor
        from apps.jobs.kinds import register_ingest_kind

        register_ingest_kind(
            "bench",
            importer=bench_import,
            # promptfoo and lm-eval files carry no `schema` field: one envelope schema serves them all.
            schemas={"riskboard.bench/1": "bench-1.json"},
            result_link=imported_run_link,
            help="riskboard.bench/1, a promptfoo `-o results.json` export or an lm-eval results_*.json file.",
        )
        register_factor(exposure_factors.DEFINITION)
