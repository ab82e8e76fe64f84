"""`python manage.py budget [--organization SLUG] [--client SLUG] [--scenario SPEC ...] [--json]` (docs/contracts.md).

Monthly AI spend by tier against the organization's target band, with each scenario recomputed on
today's budget. The rules are in apps/budget/budget.py.
"""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import Client
from apps.accounts.selectors import organization_by_slug_or_only
from apps.budget.budget import ScenarioError, budget_document, budget_of, parse_scenario
from apps.budget.selectors import budget_band, workflow_spends
from apps.common.vendors import VENDOR_SLUGS


class Command(BaseCommand):
    help = (
        "Monthly AI spend by tier (open, proprietary, unclassified) against the target band, with scenarios."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", metavar="SLUG", help="the organization (default: the only one)")
        parser.add_argument("--client", metavar="SLUG", help="only this client's workflows")
        parser.add_argument(
            "--scenario",
            metavar="SPEC",
            nargs="+",
            action="extend",
            default=[],
            help="VENDOR*FACTOR or VENDOR:api-only*FACTOR, e.g. alibaba*15",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print riskboard.budget/1")

    def handle(
        self,
        *args,
        organization: str | None,
        client: str | None,
        scenario: list[str],
        as_json: bool,
        **options,
    ) -> None:
        org = organization_by_slug_or_only(slug=organization)
        client_obj = None
        if client:
            client_obj = Client.objects.filter(organization=org, slug=client).first()
            if client_obj is None:
                raise CommandError(f"{org.slug} has no client with slug '{client}'.")
        try:
            scenarios = [(spec.strip(), parse_scenario(spec, vendors=VENDOR_SLUGS)) for spec in scenario]
        except ScenarioError as error:
            raise CommandError(str(error)) from error
        budget = budget_of(
            workflow_spends(organization=org, client=client_obj),
            band=budget_band(organization=org),
            scenarios=scenarios,
        )
        document = budget_document(
            budget, organization=org.slug, client=client_obj.slug if client_obj else None
        )
        if as_json:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self._print(document)

    def _print(self, document: dict) -> None:
        scope = document["organization"] + (f" / {document['client']}" if document["client"] else "")
        share = document["open_share"]
        band = document["band"]
        self.stdout.write(f"Budget of {scope}: ${document['monthly_usd']:,.2f} a month")
        self.stdout.write(
            f"  open ${document['open_usd']:,.2f} · proprietary ${document['proprietary_usd']:,.2f} · "
            f"unclassified ${document['unclassified_usd']:,.2f}"
        )
        self.stdout.write(
            f"  open share {'—' if share is None else f'{share:.0%}'} against {band['open_min']:.0%}–"
            f"{band['open_max']:.0%}: {document['status'] or 'no classified spend'}"
        )
        if document["missing_cost"]:
            self.stdout.write(f"  without a cost: {', '.join(document['missing_cost'])}")
        self.stdout.write(
            f"\n{'monthly':>12} {'open':>12} {'proprietary':>12} {'unclassified':>12}  workflow"
        )
        for row in document["workflows"]:
            self.stdout.write(
                f"{row['monthly_usd']:>12,.2f} {row['open_usd']:>12,.2f} {row['proprietary_usd']:>12,.2f} "
                f"{row['unclassified_usd']:>12,.2f}  {row['workflow']}"
            )
        for outcome in document["scenarios"]:
            self.stdout.write(
                f"\nScenario {outcome['spec']}: ${outcome['monthly_usd']:,.2f} a month "
                f"({money_sign(outcome['delta_usd'])}), open share "
                f"{'—' if outcome['open_share'] is None else f'{outcome["open_share"]:.0%}'}"
            )
            for row in outcome["workflows"]:
                self.stdout.write(f"  {money_sign(row['delta_usd']):>14}  {row['workflow']}")


def money_sign(amount: float) -> str:
    return f"{'+' if amount >= 0 else '−'}${abs(amount):,.2f}"
