"""Writes of the scanner: record a scan, reconcile it with the inventory, link or dismiss findings.

Reconciliation (`scan_reconcile`, run by the scan importer once the findings are written):
1. every `model` finding is matched to a catalog model through the catalog's aliases;
2. a finding is **linked** to a dependency of the organization when it names the same catalog model,
   or when its identifier is the dependency's declared model (compared trimmed, in lower case);
   a `package` or `endpoint` finding is linked when the organization depends on a model of its vendor
   (the SDK or API host is then accounted for by that dependency);
3. what is left is **untracked**, unless its (kind, identifier) was dismissed in this organization
   before: dismissals outlive scans, so a dismissed finding stays dismissed when it is found again.
Every step only touches untracked rows, so running it twice changes nothing.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from apps.accounts.models import Organization
from apps.exposure.services import exposure_refresh
from apps.inventory.matching import match_model_id
from apps.inventory.models import Dependency, Workflow
from apps.inventory.selectors import catalog_alias_index
from apps.inventory.services import DependencySpec, dependencies_sync
from apps.jobs import services as job_services
from apps.jobs.models import ImportJob
from apps.scanner.diff import identifier_key
from apps.scanner.findings import ScanResult
from apps.scanner.models import Dismissal, Finding, Scan
from apps.scanner.payloads import is_archive_payload
from apps.scanner.report import scan_document

IN_CHUNK = 5_000  # identifiers per `IN (...)`: PostgreSQL takes at most 65,535 parameters
CLI_WAIT_SECONDS = 3600
NON_MODEL_KINDS = (Finding.Kind.PACKAGE, Finding.Kind.ENDPOINT)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


# --- Recording -------------------------------------------------------------------------------------


def scan_record(*, result: ScanResult, organization: Organization, scanned_path: str) -> ImportJob:
    """Record a scan made on this machine (the `scan` command) through the job pipeline.

    The document is submitted as a CLI job like any other payload, then imported right here so the
    scan is recorded when the command returns. The task that `job_submit` queued finds the job done
    and does nothing; if a worker got to it first, this waits for that worker instead.
    """
    payload = json.dumps(scan_document(result), ensure_ascii=False).encode()
    job, _created = job_services.job_submit(
        organization=organization,
        kind=ImportJob.Kind.SCAN,
        payload=payload,
        source=ImportJob.Source.CLI,
        filename=scanned_path,
        content_type="application/json",
    )
    return job_services.job_run_inline(job=job, wait_seconds=CLI_WAIT_SECONDS)


def scan_archive_submit(
    *,
    organization: Organization,
    archive: bytes,
    filename: str,
    content_type: str = "",
    user: AbstractBaseUser | None = None,
) -> tuple[ImportJob, bool]:
    """Store an uploaded repository archive as a `scan` job; its import extracts and scans it.

    Archives are a raw format of `scan` payloads (registered in ScannerConfig.ready), so they go
    through `job_submit` like any payload: stored with their sha256, the same bytes again answer with
    the first job.
    """
    if not is_archive_payload(archive):
        raise ValidationError(f"{filename} is not a .zip or .tar.gz archive.")
    return job_services.job_submit(
        organization=organization,
        kind=ImportJob.Kind.SCAN,
        payload=archive,
        source=ImportJob.Source.UI,
        filename=filename,
        content_type=content_type,
        user=user,
    )


# --- Reconciliation --------------------------------------------------------------------------------


def _match_catalog(
    scan: Scan, index: dict[str, int], identifiers: Iterable[str]
) -> tuple[dict[str, int], int]:
    """Set each model finding's catalog model; (identifier → model id of those that matched, rows set)."""
    matched = {}
    by_model: dict[int, list[str]] = defaultdict(list)
    for identifier in identifiers:
        if (model_id := match_model_id(identifier, index)) is not None:
            matched[identifier] = model_id
            by_model[model_id].append(identifier)
    rows = 0
    for model_id, names in by_model.items():
        for chunk in _chunks(names):
            rows += Finding.objects.filter(scan=scan, kind=Finding.Kind.MODEL, identifier__in=chunk).update(
                model_id=model_id
            )
    return matched, rows


def _link_untracked(findings, by_dependency: dict[int, list[str]], field: str) -> int:
    linked = 0
    for dependency_id, values in by_dependency.items():
        for chunk in _chunks(values):
            linked += findings.filter(**{f"{field}__in": chunk}).update(
                status=Finding.Status.LINKED, dependency_id=dependency_id
            )
    return linked


def _dismiss_known(findings, organization: Organization) -> int:
    if not Dismissal.objects.filter(organization=organization).exists():
        return 0  # the common case, and it spares a pass over every finding of a large scan
    dismissed = Dismissal.objects.filter(
        organization=organization, kind=OuterRef("kind"), identifier=Lower(OuterRef("identifier"))
    )
    return findings.filter(Exists(dismissed)).update(status=Finding.Status.DISMISSED)


def scan_reconcile(*, scan: Scan, index: dict[str, int] | None = None, written=None) -> dict[str, int]:
    """Match the scan's findings to the catalog and the organization's dependencies (see the module doc).

    `written` (apps.scanner.imports.CatalogMatches) is what the import saw and matched while writing
    the findings: then the catalog is already set and no pass over the findings is needed.
    """
    index = catalog_alias_index() if index is None else index
    if written is not None:
        model_identifiers = sorted(written.models)
        matched = {identifier: model_id for identifier, model_id in written.models.items() if model_id}
        matched_rows, vendors = written.rows_matched, sorted(written.vendors)
    else:
        distinct = set(
            Finding.objects.filter(scan=scan).values_list("kind", "identifier", "vendor").distinct()
        )
        model_identifiers = sorted(
            {identifier for kind, identifier, _ in distinct if kind == Finding.Kind.MODEL}
        )
        vendors = sorted({vendor for kind, _, vendor in distinct if kind in NON_MODEL_KINDS})
        matched, matched_rows = _match_catalog(scan, index, model_identifiers)

    by_model_id: dict[int, int] = {}
    by_declared: dict[str, int] = {}
    by_vendor: dict[str, int] = {}
    dependencies = Dependency.objects.filter(workflow__organization=scan.organization_id).order_by("id")
    for dependency_id, model_id, declared, vendor in dependencies.values_list(
        "id", "model_id", "declared_model", "model__vendor__slug"
    ):
        by_declared.setdefault(identifier_key(declared), dependency_id)
        if model_id is not None:
            by_model_id.setdefault(model_id, dependency_id)
            by_vendor.setdefault(vendor, dependency_id)

    untracked = Finding.objects.filter(scan=scan, status=Finding.Status.UNTRACKED)
    models_to_link: dict[int, list[str]] = defaultdict(list)
    for identifier in model_identifiers:
        dependency_id = by_declared.get(identifier_key(identifier)) or by_model_id.get(
            matched.get(identifier)
        )
        if dependency_id is not None:
            models_to_link[dependency_id].append(identifier)
    linked = _link_untracked(untracked.filter(kind=Finding.Kind.MODEL), models_to_link, "identifier")

    vendors_to_link: dict[int, list[str]] = defaultdict(list)
    for vendor in vendors:
        if (dependency_id := by_vendor.get(vendor)) is not None:
            vendors_to_link[dependency_id].append(vendor)
    linked += _link_untracked(untracked.filter(kind__in=NON_MODEL_KINDS), vendors_to_link, "vendor")

    dismissed = _dismiss_known(untracked, scan.organization)
    return {
        "findings_matched_to_catalog": matched_rows,
        "findings_linked": linked,
        "findings_dismissed": dismissed,
        "findings_untracked": untracked.count(),
    }


# --- The untracked queue ---------------------------------------------------------------------------


def _same_identifier(finding: Finding) -> Iterable[Finding]:
    """The organization's untracked findings of the same kind and identifier, in every scan."""
    return Finding.objects.filter(
        scan__organization_id=finding.scan.organization_id,
        kind=finding.kind,
        identifier__iexact=finding.identifier.strip(),
        status=Finding.Status.UNTRACKED,
    )


@transaction.atomic
def finding_link(
    *,
    finding: Finding,
    workflow: Workflow,
    role: str = Dependency.Role.PRIMARY,
    user: AbstractBaseUser | None = None,
) -> Dependency:
    """Make an untracked model finding a dependency of the workflow, and mark it (and its twins) linked.

    Untracked SDK and endpoint findings of the model's vendor are linked to the new dependency too.
    """
    if finding.kind != Finding.Kind.MODEL:
        raise ValidationError(
            "Only a model can become a dependency; an SDK or an endpoint is covered by depending on a "
            "model of its vendor."
        )
    if workflow.organization_id != finding.scan.organization_id:
        raise ValidationError("The workflow belongs to another organization.")
    declared = finding.identifier.strip()
    if len(declared) > Dependency._meta.get_field("declared_model").max_length:
        raise ValidationError("This identifier is too long to be a dependency's model name.")
    dependencies_sync(
        workflow=workflow,
        specs=[DependencySpec(declared_model=declared, role=role)],
        user=user,
        index=catalog_alias_index(),
        remove_missing=False,
    )
    dependency = (
        workflow.dependencies.filter(declared_model__iexact=declared, via_tool__isnull=True, role=role)
        .order_by("id")
        .first()
    )
    _same_identifier(finding).update(status=Finding.Status.LINKED, dependency=dependency)
    if dependency.model_id is not None:
        # As in scan_reconcile: the vendor's SDKs and endpoints are now accounted for.
        Finding.objects.filter(
            scan__organization_id=finding.scan.organization_id,
            kind__in=NON_MODEL_KINDS,
            vendor=dependency.model.vendor.slug,
            status=Finding.Status.UNTRACKED,
        ).update(status=Finding.Status.LINKED, dependency=dependency)
    exposure_refresh(workflow_ids=[workflow.id])
    return dependency


@transaction.atomic
def finding_dismiss(*, finding: Finding, reason: str, user: AbstractBaseUser | None = None) -> Dismissal:
    """Dismiss the finding's identifier for the organization, now and in later scans."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is not a dependency to track."})
    dismissal, _created = Dismissal.objects.update_or_create(
        organization_id=finding.scan.organization_id,
        kind=finding.kind,
        identifier=identifier_key(finding.identifier)[:512],
        defaults={"reason": reason[:240], "dismissed_by": user if user and user.is_authenticated else None},
    )
    _same_identifier(finding).update(status=Finding.Status.DISMISSED)
    return dismissal


@transaction.atomic
def dismissal_undo(*, dismissal: Dismissal) -> int:
    """Take a dismissal back: its findings return to the untracked queue. Returns how many did."""
    returned = Finding.objects.filter(
        scan__organization_id=dismissal.organization_id,
        kind=dismissal.kind,
        identifier__iexact=dismissal.identifier,
        status=Finding.Status.DISMISSED,
    ).update(status=Finding.Status.UNTRACKED)
    dismissal.delete()
    return returned
