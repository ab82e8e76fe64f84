"""Import a parsed audit spreadsheet into an organization's inventory: whole or not at all."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from apps.accounts.models import Organization
from apps.exposure.services import exposure_refresh
from apps.inventory.models import Tool, Workflow
from apps.inventory.selectors import catalog_alias_index
from apps.inventory.services import DependencySpec, dependencies_sync
from apps.inventory.spreadsheet import CellError, ParsedSheet

WORKFLOW_FIELDS = (
    "criticality",
    "switching_difficulty",
    "team",
    "owner",
    "category",
    "deployment",
    "monthly_volume",
    "volume_unit",
    "monthly_cost",
    "data_sensitivity",
    "notes",
)


@dataclass
class InventoryImportSummary:
    workflows_created: int = 0
    workflows_updated: int = 0
    dependencies_created: int = 0
    tools_created: int = 0
    unmatched_models: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    dry_run: bool = False

    def as_contract(self) -> dict:
        return {
            "schema": "riskboard.inventory-import/1",
            "workflows_created": self.workflows_created,
            "workflows_updated": self.workflows_updated,
            "dependencies_created": self.dependencies_created,
            "tools_created": self.tools_created,
            "unmatched_models": self.unmatched_models,
            "dry_run": self.dry_run,
            "errors": [error.as_dict() for error in self.errors],
        }


class _DryRunRollback(Exception):
    pass


class _Rejected(Exception):
    """A row failed while writing: everything written so far is rolled back."""


def _cell_errors(row: int, error: ValidationError, column: str | None = None) -> list[CellError]:
    if hasattr(error, "error_dict"):
        return [
            CellError(
                row, column or (field.replace("_", " ") if field != NON_FIELD_ERRORS else "workflow"), message
            )
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [CellError(row, column or "workflow", message) for message in error.messages]


def inventory_import(
    *,
    organization: Organization,
    sheet: ParsedSheet,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> InventoryImportSummary:
    """Write the sheet's workflows and dependencies. Any row error: nothing is written.

    Workflows are matched by name (re-importing a sheet updates, never duplicates); dependencies are
    added when new and never removed, since a sheet may describe only part of the inventory. A dry
    run performs the whole import inside a transaction and rolls it back, so its counts are exact.
    """
    summary = InventoryImportSummary(dry_run=dry_run, errors=list(sheet.errors))
    summary.errors.extend(_client_errors(organization, sheet))
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            _write(organization, sheet, user, summary)
            if dry_run:
                raise _DryRunRollback
    except (_DryRunRollback, _Rejected):
        pass
    if summary.errors:
        summary.workflows_created = summary.workflows_updated = summary.dependencies_created = 0
        summary.tools_created = 0
    return summary


def _client_errors(organization: Organization, sheet: ParsedSheet) -> list[CellError]:
    errors = []
    client_names = {client.name.lower() for client in organization.clients.all()}
    for row in sheet.rows:
        client = row.workflow.get("client")
        if not client:
            continue
        if not organization.is_agency:
            errors.append(
                CellError(row.row, "client", f"{organization.name} is not an agency: leave client empty")
            )
        elif client.lower() not in client_names:
            errors.append(
                CellError(row.row, "client", f"no client named '{client}': add it under Clients first")
            )
    return errors


def _write(organization: Organization, sheet: ParsedSheet, user, summary: InventoryImportSummary) -> None:
    clients = {client.name.lower(): client for client in organization.clients.all()}
    tools = {tool.name.lower(): tool for tool in Tool.objects.filter(organization=organization)}
    # Names match case-insensitively, as the form does: "Weekly blog" and "weekly blog" are one workflow.
    existing = {
        workflow.name.lower(): workflow for workflow in Workflow.objects.filter(organization=organization)
    }
    index = catalog_alias_index()
    specs_by_workflow: dict[str, list[DependencySpec]] = {}
    workflows: dict[str, Workflow] = {}

    for row in sheet.rows:
        name = row.workflow["name"].lower()
        # Whatever the sheet check could not know (a rule of the database) is still reported per row and column.
        try:
            if name not in workflows:
                workflows[name] = _upsert_workflow(
                    organization, row.workflow, existing.get(name), clients, summary
                )
        except ValidationError as error:
            summary.errors.extend(_cell_errors(row.row, error))
            continue
        tool = None
        if row.model and row.tool:
            tool = tools.get(row.tool.lower())
            if tool is None:
                tool = Tool(organization=organization, name=row.tool)
                try:
                    tool.full_clean()
                except ValidationError as error:
                    summary.errors.extend(_cell_errors(row.row, error, column="tool"))
                    continue
                tool.save()
                tools[row.tool.lower()] = tool
                summary.tools_created += 1
        if row.model:
            specs_by_workflow.setdefault(name, []).append(
                DependencySpec(declared_model=row.model, via_tool=tool, role=row.role)
            )

    if summary.errors:
        raise _Rejected
    unmatched = set()
    for name, specs in specs_by_workflow.items():
        summary.dependencies_created += dependencies_sync(
            workflow=workflows[name], specs=specs, user=user, index=index, remove_missing=False
        )
    for workflow in workflows.values():
        unmatched.update(d.declared_model for d in workflow.dependencies.all() if d.model_id is None)
    summary.unmatched_models = sorted(unmatched)
    exposure_refresh(workflow_ids=[workflow.id for workflow in workflows.values()])


def _upsert_workflow(organization, fields: dict, workflow: Workflow | None, clients, summary) -> Workflow:
    values = {key: fields[key] for key in WORKFLOW_FIELDS if key in fields}
    if fields.get("client"):
        values["client"] = clients[fields["client"].lower()]
    if workflow is None:
        workflow = Workflow(organization=organization, name=fields["name"], **values)
        workflow.full_clean()
        workflow.save()
        summary.workflows_created += 1
        return workflow
    changed = [key for key, value in values.items() if getattr(workflow, key) != value]
    if changed:
        for key in changed:
            setattr(workflow, key, values[key])
        workflow.full_clean()
        workflow.save()
        summary.workflows_updated += 1
    return workflow
