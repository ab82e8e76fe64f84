"""Reads of the scanner, always scoped to one organization (another tenant's scan is a 404)."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organization
from apps.inventory.models import Workflow
from apps.scanner.diff import Occurrence, ScanDiff, scan_diff
from apps.scanner.models import Dismissal, Finding, Scan

QUEUE_PATHS_SHOWN = 5


def scan_list(*, organization: Organization) -> QuerySet[Scan]:
    return (
        Scan.objects.filter(organization=organization)
        .select_related("job")
        .annotate(
            untracked=Count("findings", filter=Q(findings__status=Finding.Status.UNTRACKED)),
            linked=Count("findings", filter=Q(findings__status=Finding.Status.LINKED)),
        )
        .order_by("-created_at", "-id")
    )


def scan_get(*, organization: Organization, scan_id: int) -> Scan:
    return get_object_or_404(
        Scan.objects.select_related("organization", "job").filter(organization=organization), pk=scan_id
    )


def finding_get(*, organization: Organization, finding_id: int) -> Finding:
    return get_object_or_404(
        Finding.objects.select_related("scan__organization").filter(scan__organization=organization),
        pk=finding_id,
    )


def scan_previous(*, scan: Scan) -> Scan | None:
    """The scan of the same source recorded just before this one."""
    if not scan.source_key:
        return None
    return (
        Scan.objects.filter(organization_id=scan.organization_id, source_key=scan.source_key, id__lt=scan.id)
        .order_by("-id")
        .first()
    )


def _occurrences(scan: Scan) -> list[Occurrence]:
    rows = scan.findings.order_by().values_list("kind", "identifier", "path", "line", "vendor")
    return [Occurrence(*row) for row in rows.iterator(chunk_size=5_000)]


def scan_diff_with_previous(*, scan: Scan) -> tuple[Scan | None, ScanDiff | None]:
    previous = scan_previous(scan=scan)
    if previous is None:
        return None, None
    return previous, scan_diff(_occurrences(previous), _occurrences(scan))


@dataclass
class FileFindings:
    path: str
    findings: list[Finding] = field(default_factory=list)


def scan_findings_by_file(*, scan: Scan, kind: str = "") -> list[FileFindings]:
    findings = scan.findings.select_related("model", "dependency__workflow").order_by("path", "kind", "line")
    if kind in Finding.Kind.values:
        findings = findings.filter(kind=kind)
    return [FileFindings(path, list(rows)) for path, rows in groupby(findings, key=lambda f: f.path)]


def scan_kind_counts(*, scan: Scan) -> dict[str, int]:
    counts = dict(scan.findings.order_by().values_list("kind").annotate(n=Count("id")))
    return {kind: counts.get(kind, 0) for kind in Finding.Kind.values}


def latest_scan_ids(*, organization: Organization) -> QuerySet:
    """The newest scan of each source: what the codebases look like now."""
    return (
        Scan.objects.filter(organization=organization)
        .order_by()
        .values("source_key")
        .annotate(latest=Max("id"))
        .values("latest")
    )


@dataclass
class UntrackedGroup:
    """One identifier found untracked, with where it was found (across files and sources)."""

    finding_id: int  # a representative finding: the link and dismiss forms act on its identifier
    kind: str
    identifier: str
    vendor: str
    family: str
    occurrences: int
    files: int
    model_name: str | None = None
    paths: list[str] = field(default_factory=list)

    @property
    def can_link(self) -> bool:
        return self.kind == Finding.Kind.MODEL


def untracked_groups(*, organization: Organization) -> QuerySet:
    """The untracked findings of each source's latest scan, one row per (kind, identifier)."""
    return (
        Finding.objects.filter(
            scan_id__in=latest_scan_ids(organization=organization), status=Finding.Status.UNTRACKED
        )
        .annotate(key=Lower("identifier"))
        .values("kind", "key")
        .annotate(
            finding_id=Min("id"),
            identifier=Min("identifier"),
            vendor=Max("vendor"),
            family=Max("family"),
            model_name=Max("model__name"),
            occurrences=Count("id"),
            files=Count("path", distinct=True),
        )
        .order_by("kind", "key")
    )


def untracked_groups_detailed(*, organization: Organization, rows: list[dict]) -> list[UntrackedGroup]:
    """The page's groups with a few of the places each was found (one query for the page)."""
    groups = [
        UntrackedGroup(
            finding_id=row["finding_id"],
            kind=row["kind"],
            identifier=row["identifier"],
            vendor=row["vendor"],
            family=row["family"] or "",
            occurrences=row["occurrences"],
            files=row["files"],
            model_name=row["model_name"],
        )
        for row in rows
    ]
    if not groups:
        return groups
    by_key = {(group.kind, group.identifier.lower()): group for group in groups}
    places = (
        Finding.objects.filter(
            scan_id__in=latest_scan_ids(organization=organization),
            status=Finding.Status.UNTRACKED,
            kind__in={group.kind for group in groups},
        )
        .annotate(key=Lower("identifier"))
        .filter(key__in={key for _, key in by_key})
        .order_by("path", "line")
        .values_list("kind", "key", "path", "line")
    )
    for kind, key, path, line in places:
        group = by_key.get((kind, key))
        if group is not None and len(group.paths) < QUEUE_PATHS_SHOWN:
            group.paths.append(f"{path}:{line}")
    return groups


def untracked_count(*, organization: Organization) -> int:
    return untracked_groups(organization=organization).count()


def workflows_for_linking(*, organization: Organization) -> QuerySet[Workflow]:
    return Workflow.objects.filter(organization=organization).order_by("name")


def imported_scan_link(job) -> tuple[str, str] | None:
    """Where a `scan` job's result lives (for the job page)."""
    scan = Scan.objects.select_related("organization").filter(job=job).first()
    return ("Open the scan and its untracked findings", scan.get_absolute_url()) if scan else None


def dismissals_for_organization(*, organization: Organization) -> QuerySet[Dismissal]:
    return (
        Dismissal.objects.filter(organization=organization)
        .select_related("dismissed_by")
        .order_by("-created_at")
    )


def dismissal_get(*, organization: Organization, dismissal_id: int) -> Dismissal:
    return get_object_or_404(Dismissal, organization=organization, pk=dismissal_id)
