from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    label = "archive"

    def ready(self) -> None:
        from apps.archive.exposure_factor import archive_inputs_by_workflow
        from apps.exposure.providers import register_factor_provider

        register_factor_provider(archive_inputs_by_workflow)
