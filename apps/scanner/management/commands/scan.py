"""`python manage.py scan PATH [--format json|sarif|cyclonedx|table] [--fail-on SEVERITY] …`

The formats, the CI gate and its exit codes are contracts: docs/contracts.md, "Scanner formats and the
CI gate". Exit 0: no violation at or above --fail-on (or no --fail-on); 1: the gate failed (summary on
stderr, the report still on stdout); 2: a usage error (unknown format or severity, unreadable policy
file, unknown organization).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.policies.evaluation import LEVELS, Violation, at_or_above
from apps.policies.findings import GateContext, findings_violations, gate_summary
from apps.scanner.archive import UnsafeArchiveError, extracted_archive, is_archive
from apps.scanner.engine import scan_tree
from apps.scanner.findings import ScanResult
from apps.scanner.report import sarif_document, scan_document, scan_table

FORMATS = ("json", "sarif", "cyclonedx", "table")
USAGE_ERROR = 2
GATE_FAILED = 1


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = (
        "Scan a directory (or a .zip/.tar.gz archive of one) for the AI models, SDKs and vendor APIs it "
        "depends on. Honours .gitignore; skips binary files and dependency folders. With --fail-on it is "
        "a CI gate: exit 1 when a finding violates a policy at or above that severity."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="directory or archive to scan")
        parser.add_argument(
            "--format", dest="output_format", metavar="|".join(FORMATS), help="default: table"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="the same as --format json")
        parser.add_argument(
            "--organization",
            metavar="SLUG",
            help="record the scan for this organization and judge it by its policies and approvals",
        )
        parser.add_argument("--policy", metavar="FILE", help="judge by this policy file (YAML or JSON)")
        parser.add_argument(
            "--fail-on",
            dest="fail_on",
            metavar="|".join(LEVELS),
            help="exit 1 on a violation at or above this",
        )

    def handle(
        self,
        *args: object,
        path: str,
        output_format: str | None,
        as_json: bool,
        organization: str | None,
        policy: str | None,
        fail_on: str | None,
        **options: object,
    ) -> None:
        output_format = self._format(output_format, as_json)
        if fail_on is not None and fail_on not in LEVELS:
            raise usage_error(f"--fail-on: '{fail_on}' is not a severity; use one of {', '.join(LEVELS)}")
        policy_file = self._policy_file(policy) if policy else None
        org = self._organization(organization) if organization else None
        target = Path(path)
        if not target.exists():
            raise usage_error(f"{path} does not exist")

        result = self._scan(target)
        result.root = path  # the document names the tree as the user did, not the temporary directory
        if org is not None:
            self._record(result, org, target)

        judged = fail_on is not None or policy_file is not None or output_format in ("sarif", "cyclonedx")
        context, violations = None, []
        if judged:
            from apps.policies.gate import gate_context

            context = gate_context(organization=org, policy_file=policy_file, policy_path=policy or "")
            violations = findings_violations(result.findings, context)

        self.stdout.write(self._render(output_format, result, context, violations))

        if fail_on is not None:
            failing = at_or_above(violations, fail_on)
            if failing:
                self.stderr.write(gate_summary(failing, fail_on=fail_on, source=context.source))
                raise SystemExit(GATE_FAILED)
            self.stderr.write(
                f"Riskboard policy gate passed: no violation at or above {fail_on} "
                f"({len(violations)} below it; policies: {context.source})."
            )

    def _format(self, output_format: str | None, as_json: bool) -> str:
        if output_format is not None and output_format not in FORMATS:
            raise usage_error(f"--format: '{output_format}' is not one of {', '.join(FORMATS)}")
        if as_json and output_format not in (None, "json"):
            raise usage_error(
                f"--json means --format json; it cannot be combined with --format {output_format}"
            )
        return "json" if as_json else (output_format or "table")

    def _policy_file(self, policy: str):
        from apps.policies.policy_file import PolicyFileError, parse_policy_text

        try:
            text = Path(policy).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise usage_error(f"--policy: cannot read {policy} ({error})") from error
        try:
            return parse_policy_text(text)
        except PolicyFileError as error:
            raise usage_error(f"--policy {policy}: {error}") from error

    def _organization(self, slug: str):
        from apps.accounts.selectors import organization_by_slug_or_only

        try:
            return organization_by_slug_or_only(slug=slug)
        except CommandError as error:
            raise usage_error(f"--organization: {error}") from error

    def _render(
        self, output_format: str, result: ScanResult, context: GateContext | None, violations: list[Violation]
    ) -> str:
        if output_format == "json":
            return json.dumps(scan_document(result), ensure_ascii=False)
        if output_format == "sarif":
            return json.dumps(sarif_document(result, violations=violations), ensure_ascii=False, indent=2)
        if output_format == "cyclonedx":
            from apps.scanner.bom import scan_bom_json

            return scan_bom_json(result, context, violations=violations)
        table = scan_table(result)
        if violations:
            lines = [f"  [{v.severity}] {v.policy_name}: {v.subject}" for v in violations]
            table += "\n\nPolicy violations:\n" + "\n".join(lines)
        return table

    def _record(self, result: ScanResult, organization, target: Path) -> None:
        """Record through the job pipeline; what it says goes to stderr so stdout stays one document."""
        # Imported here: recording needs the database, scanning does not.
        from apps.jobs.services import PayloadInvalid
        from apps.scanner.services import scan_record

        try:
            job = scan_record(result=result, organization=organization, scanned_path=str(target.resolve()))
        except PayloadInvalid as invalid:
            raise CommandError(f"the scan could not be recorded: {invalid}") from invalid
        if job.status == job.Status.FAILED:
            errors = "; ".join(f"{error['where']}: {error['message']}" for error in job.errors)
            raise CommandError(f"recording the scan failed (job #{job.pk}): {errors}")
        counts = job.counts
        self.stderr.write(
            f"Recorded for {organization.slug} as job #{job.pk} ({job.status}): "
            f"{counts.get('findings_linked', 0)} linked to the inventory, "
            f"{counts.get('findings_untracked', 0)} untracked, {counts.get('findings_dismissed', 0)} dismissed."
        )

    def _scan(self, target: Path) -> ScanResult:
        if target.is_dir():
            return scan_tree(target)
        if not is_archive(target):
            raise usage_error(f"{target} is neither a directory nor a .zip/.tar.gz archive")
        try:
            with extracted_archive(target) as root:
                return scan_tree(root)
        except UnsafeArchiveError as error:
            raise CommandError(str(error)) from error
