"""`python manage.py watch [SOURCE ...] [--organization SLUG] [--json]` — see docs/contracts.md for the contract.

Polls the named sources (each created for the organization when missing, keeping its snapshot so
the next poll reports only what changed), or every enabled source once. Signals go through the job
pipeline and are imported here, before the command returns; `--json` prints the `riskboard.signals/1`
document of the signals this poll stored for the first time.
"""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.services import organization_for_command
from apps.jobs.models import ImportJob
from apps.watch.contract import signals_document
from apps.watch.models import Source
from apps.watch.services.sources import source_for_spec, source_poll
from apps.watch.sources import InvalidSourceSpec


class Command(BaseCommand):
    help = "Poll watch sources once and import their signals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "sources",
            nargs="*",
            metavar="SOURCE",
            help="hf:ORG, github:OWNER/REPO, feed:URL, prices:URL-or-path",
        )
        parser.add_argument("--organization", metavar="SLUG", help="the organization (default: the only one)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the signals as JSON")

    def handle(
        self, *args: object, sources: list[str], organization: str | None, as_json: bool, **options: object
    ) -> None:
        if sources or organization:
            org = organization_for_command(slug=organization)
        if sources:
            try:
                to_poll = [source_for_spec(organization=org, spec=spec) for spec in sources]
            except InvalidSourceSpec as error:
                raise CommandError(str(error)) from error
        else:
            to_poll = Source.objects.filter(enabled=True).select_related("organization")
            if organization:
                to_poll = to_poll.filter(organization=org)
            to_poll = list(to_poll)

        new_signals, failures = [], []
        for source in to_poll:
            report = source_poll(source=source, job_source=ImportJob.Source.CLI, import_inline=True)
            new_signals.extend(report.new_signals)
            if report.outcome.error is not None:
                failures.append(f"{source.spec}: {report.outcome.error}")
            for job in report.jobs:
                job.refresh_from_db(fields=["status", "errors"])
                if job.status == ImportJob.Status.FAILED:
                    failures.append(f"{source.spec}: import job #{job.pk} failed: {job.errors}")
            if not as_json:
                self._print_report(report)

        if as_json:
            self.stdout.write(json.dumps(signals_document(new_signals), indent=2))
        for failure in failures:
            self.stderr.write(failure)
        if failures:
            raise CommandError(f"{len(failures)} source(s) failed; see above.")

    def _print_report(self, report) -> None:
        source = report.source
        if report.outcome.error is not None:
            state = "transient error" if report.outcome.error.transient else "error"
            self.stdout.write(f"{source.spec}: {state}: {report.outcome.error}")
            return
        self.stdout.write(f"{source.spec}: {len(report.new_signals)} new signal(s)")
        for signal in report.new_signals:
            self.stdout.write(f"  {signal['severity']:<8} {signal['kind']:<17} {signal['subject']}")
