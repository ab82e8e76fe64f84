from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    label = "policies"
    verbose_name = "Policies, approvals and risk treatment"

    def ready(self) -> None:
        from apps.exposure.services import register_refresh_listener
        from apps.policies.services import policies_evaluate_for

        # Policies read the refreshed exposure: every refresh re-evaluates the same workflows.
        register_refresh_listener(lambda workflow_ids: policies_evaluate_for(workflow_ids=workflow_ids))
