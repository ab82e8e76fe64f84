from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"

    def ready(self) -> None:
        from apps.exposure.factors import register_factor
        from apps.plans import exposure_factors

        for definition in exposure_factors.DEFINITIONS:
            register_factor(definition)
