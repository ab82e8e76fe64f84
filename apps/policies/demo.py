"""Demo policies: the article's templates for both demo organizations, and one model decision each."""

from django.contrib.auth import get_user_model

from apps.accounts.models import Organization
from apps.inventory.models import AIModel
from apps.policies.models import ModelApproval
from apps.policies.services import model_approval_set, policy_add_template

DEMO_TEMPLATES = ("single-high-risk-vendor", "regulated-data-on-cloud-api", "exposed-without-exit")


def seed_policies(organizations: dict[str, Organization]) -> None:
    decider = get_user_model().objects.filter(username="demo").first()
    deepseek = AIModel.objects.filter(vendor__slug="deepseek").order_by("name").first()
    for organization in organizations.values():
        for key in DEMO_TEMPLATES:
            policy_add_template(organization=organization, template_key=key, user=decider)
        if deepseek and not ModelApproval.objects.filter(organization=organization, model=deepseek).exists():
            model_approval_set(
                organization=organization,
                model=deepseek,
                status=ModelApproval.Status.RESTRICTED,
                reason="Internal experiments only until legal reviews the data-residency terms.",
                user=decider,
            )
