import json
import time

from django.core.management.base import BaseCommand

from apps.accounts.selectors import organization_by_slug_or_only
from apps.exposure.selectors import exposure_ranking


class Command(BaseCommand):
    help = "Workflows ranked by exposure, highest first, with the factors behind each score."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization (default: all)")
        parser.add_argument("--json", action="store_true", help="Print the riskboard.exposure/1 document")
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="First do what the daily refresh does: re-assess vendor risk, rescore, record today's snapshot",
        )

    def handle(self, *args, organization: str | None, json: bool, refresh: bool = False, **options):
        target = organization_by_slug_or_only(slug=organization) if organization else None
        if refresh:
            self._refresh(target, quiet_stdout=json)
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

    def _refresh(self, target, *, quiet_stdout: bool) -> None:
        from apps.exposure.history import all_organizations_refresh, organization_refresh

        started = time.perf_counter()
        reports = [organization_refresh(organization=target)] if target else all_organizations_refresh()
        out = self.stderr if quiet_stdout else self.stdout  # --json keeps stdout to the one document
        for report in reports:
            out.write(
                f"Refreshed {report.organization}: {report.workflows} workflows checked, {report.rescored} rescored, "
                f"{report.vendors_moved} vendor risk levels moved, snapshot of {report.snapshot.day} recorded"
            )
        out.write(f"Refresh took {time.perf_counter() - started:.1f}s")


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
