from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    label = "archive"

    def ready(self) -> None:
        from apps.archive import exposure_factor
        from apps.exposure.factors import register_factor

        register_factor(exposure_factor.DEFINITION)
