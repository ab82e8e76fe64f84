import json

from django.core.management.base import BaseCommand

from apps.accounts.selectors import organization_by_slug_or_only
from apps.plans.selectors import plan_document, plan_list


class Command(BaseCommand):
    help = "Migration plans with their target, evidence and steps (docs/contracts.md, riskboard.plans/1)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="The organization's slug (default: the only one)")
        parser.add_argument("--json", action="store_true", help="Print the riskboard.plans/1 document")

    def handle(self, *args, organization: str | None, json: bool, **options):
        target = organization_by_slug_or_only(slug=organization)
        plans = [
            plan_document(plan) for plan in plan_list(organization=target).order_by("workflow__name", "pk")
        ]
        if json:
            self.stdout.write(_dumps({"schema": "riskboard.plans/1", "plans": plans}))
            return
        if not plans:
            self.stdout.write(f"No migration plan in {target.slug} yet.")
        for plan in plans:
            done = sum(step["status"] in ("done", "skipped") for step in plan["steps"])
            self.stdout.write(
                f"{plan['status']:<12} {plan['workflow']} → {plan['target_model']}  "
                f"{done}/{len(plan['steps'])} steps, due {plan['due'] or '—'}"
            )
            for warning in plan["warnings"]:
                self.stdout.write(f"             ! {warning}")


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)
