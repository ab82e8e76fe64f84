from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"

    def ready(self) -> None:
        from apps.archive.bundle import register_bundle_contributor
        from apps.exposure.actions import register_action_provider
        from apps.exposure.factors import register_factor
        from apps.plans import exposure_factors
        from apps.plans.actions import plan_next_actions
        from apps.plans.selectors import registry_config_for_bundle

        for definition in exposure_factors.DEFINITIONS:
            register_factor(definition)
        register_action_provider(plan_next_actions)
        # A workflow's archive bundle carries the registry config it runs on (docs/architecture.md, Archive).
        register_bundle_contributor(registry_config_for_bundle)
