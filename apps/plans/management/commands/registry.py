import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.selectors import organization_by_slug_or_only
from apps.plans import services
from apps.plans.litellm_config import ConfigError, parse_config, render_config
from apps.plans.models import ENVIRONMENT_VALIDATOR
from apps.plans.selectors import registry_config


class Command(BaseCommand):
    help = "Export the model registry as a LiteLLM proxy config.yaml, or import one (docs/contracts.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Print the registry as a LiteLLM proxy config.yaml")
        export.add_argument("--organization", help="The organization's slug (default: the only one)")
        export.add_argument("--environment", default="production")
        read = actions.add_parser("import", help="Read a LiteLLM proxy config.yaml into the registry")
        read.add_argument("file")
        read.add_argument("--organization", help="The organization's slug (default: the only one)")
        read.add_argument("--environment", default="production")
        read.add_argument(
            "--json", action="store_true", help="Print the riskboard.registry-import/1 document"
        )

    def handle(self, *args, action: str, organization: str | None, environment: str, **options):
        try:
            ENVIRONMENT_VALIDATOR(environment)
        except ValidationError as error:
            raise CommandError(f"--environment {environment!r}: {error.messages[0]}") from None
        target = organization_by_slug_or_only(slug=organization)
        if action == "export":
            deployments, fallbacks = registry_config(organization=target, environment=environment)
            self.stdout.write(render_config(deployments, fallbacks), ending="")
            return
        self._import(target, Path(options["file"]), environment, as_json=options["json"])

    def _import(self, organization, path: Path, environment: str, *, as_json: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._fail([{"where": str(path), "message": f"cannot read: {error}"}], as_json)
        try:
            config = parse_config(
                text, known_aliases=set(organization.registry_aliases.values_list("name", flat=True))
            )
            result = services.registry_import(
                organization=organization,
                config=config,
                environment=environment,
                reason=f"Imported {path.name}",
            )
        except ConfigError as error:
            self._fail(error.errors, as_json)
        except ValidationError as error:
            self._fail([{"where": "(file)", "message": message} for message in error.messages], as_json)
        document = {
            "schema": "riskboard.registry-import/1",
            "aliases_created": result.aliases_created,
            "aliases_updated": result.aliases_updated,
            "deployments": result.deployments,
            "unmatched_models": result.unmatched_models,
            "errors": [],
        }
        if as_json:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result.aliases_created} aliases created, {result.aliases_updated} updated, "
            f"{result.deployments} deployments ({environment})."
        )
        for model in result.unmatched_models:
            self.stdout.write(f"  not in the catalog (kept, flagged): {model}")

    def _fail(self, errors: list[dict], as_json: bool):
        if as_json:
            document = {
                "schema": "riskboard.registry-import/1",
                "aliases_created": 0,
                "aliases_updated": 0,
                "deployments": 0,
                "unmatched_models": [],
                "errors": errors,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False))
        for error in errors:
            self.stderr.write(f"{error['where']}: {error['message']}")
        raise CommandError(f"Nothing imported: {len(errors)} error{'s' if len(errors) != 1 else ''}.")
