import json

from django.core.management.base import BaseCommand

from apps.accounts.selectors import organization_by_slug_or_only
from apps.exposure.selectors import exposure_ranking


class Command(BaseCommand):
    help = "Workflows ranked by exposure, highest first, with the factors behind each score."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization (default: all)")
        parser.add_argument("--json", action="store_true", help="Print the riskboard.exposure/1 document")

    def handle(self, *args, organization: str | None, json: bool, **options):
        target = organization_by_slug_or_only(slug=organization) if organization else None
        workflows = exposure_ranking(organization=target)
        if json:
            document = {"schema": "riskboard.exposure/1", "workflows": [_entry(w) for w in workflows]}
            self.stdout.write(_dumps(document))
            return
        self.stdout.write(f"{'score':>6}  {'band':<7} {'organization':<16} workflow")
        for workflow in workflows:
            self.stdout.write(
                f"{workflow.exposure_score:>6.1f}  {workflow.exposure_band:<7} {workflow.organization.slug:<16} "
                f"{workflow.name}"
            )


def _entry(workflow) -> dict:
    factors = {factor["key"]: factor["value"] for factor in workflow.exposure_factors}
    factors["criticality"] = workflow.criticality
    factors["switching_difficulty"] = workflow.switching_difficulty
    return {
        "workflow": workflow.name,
        "organization": workflow.organization.slug,
        "client": workflow.client.name if workflow.client_id else None,
        "score": workflow.exposure_score,
        "band": workflow.exposure_band,
        "factors": factors,
        "contributions": {factor["key"]: factor["points"] for factor in workflow.exposure_factors},
    }


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)
