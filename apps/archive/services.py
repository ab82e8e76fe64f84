"""Writes of the archive: locations, the archive itself (Hub repository or workflow bundle), verification.

The life of a copy: `archive_source` (or `bundle_archive`) pins the revision, records the artifact and
its files, and streams every file once into all the copies that still lack it (hashing on the way);
each finished file is recorded on the copy at once, so an archive that crashed resumes after the
files already written and hashed. Then every copy gets its `MANIFEST.sha256`, anything else in its
folder is removed, and it is marked verified. `copy_verify` re-hashes a copy against the recorded
manifest; a copy found missing or corrupted raises an alert and stops counting for exposure.
Nothing here runs inside one long transaction: each step commits, which is what makes resuming work.
"""

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone

from apps.accounts.models import Organization
from apps.archive import bundle, hub
from apps.archive.models import (
    ArchiveRun,
    Artifact,
    ArtifactFile,
    BundleFile,
    Copy,
    RedundancyPolicy,
    StorageLocation,
    Verification,
)
from apps.archive.policy import Policy
from apps.archive.storage import LocationError, Store, parse_location, store_for
from apps.inventory.models import Workflow

logger = logging.getLogger(__name__)

MANIFEST = "MANIFEST.sha256"
PROGRESS_INTERVAL_SECONDS = 0.5


class ArchiveError(Exception):
    pass


# --- Locations and policy ----------------------------------------------------------------------


def location_name_for(url: str) -> str:
    parsed = parse_location(url)
    if parsed.scheme == "s3":
        return f"S3 {parsed.root}/{parsed.prefix}".rstrip("/")[:80]
    return f"Folder {parsed.root}"[:80]


@transaction.atomic
def location_create(
    *, organization: Organization, url: str, name: str = "", marked_off_site: bool = False
) -> StorageLocation:
    url = url.strip().rstrip("/")
    location = StorageLocation(
        organization=organization,
        url=url,
        name=(name.strip() or (location_name_for(url) if _parses(url) else url))[:80],
        marked_off_site=marked_off_site,
    )
    location.full_clean()
    location.save()
    return location


def _parses(url: str) -> bool:
    try:
        parse_location(url)
    except LocationError:
        return False
    return True


def location_for_url(*, organization: Organization, url: str) -> StorageLocation:
    """The organization's location for this URL, recorded on first use (the `archive` command's --to)."""
    parse_location(url)
    existing = StorageLocation.objects.filter(organization=organization, url=url.strip().rstrip("/")).first()
    return existing or location_create(organization=organization, url=url)


def policy_for(organization: Organization) -> Policy:
    row = RedundancyPolicy.objects.filter(organization=organization).first()
    if row is None:
        return Policy()
    return Policy(min_copies=row.min_copies, min_off_site=row.min_off_site, max_age_days=row.max_age_days)


@transaction.atomic
def policy_save(
    *, organization: Organization, min_copies: int, min_off_site: int, max_age_days: int
) -> RedundancyPolicy:
    row, _ = RedundancyPolicy.objects.get_or_create(organization=organization)
    row.min_copies, row.min_off_site, row.max_age_days = min_copies, min_off_site, max_age_days
    row.full_clean()
    row.save()
    transaction.on_commit(lambda: coverage_refresh(organization_ids=[organization.pk]))
    return row


# --- Archiving ---------------------------------------------------------------------------------


Progress = Callable[[int, int, str], None]  # (bytes done, bytes total, current file)


@dataclass
class ArchiveOutcome:
    artifact: Artifact
    copies: list[Copy] = field(default_factory=list)

    def as_contract(self) -> dict:
        return {
            "schema": "riskboard.archive/1",
            "artifact": self.artifact.source,
            "revision": self.artifact.revision,
            "files": self.artifact.files_count,
            "bytes": self.artifact.bytes_total,
            "copies": [
                {"location": copy.location.url, "status": copy.status, "files": len(copy.files_written)}
                for copy in self.copies
            ],
        }


def archive_source(
    *,
    organization: Organization,
    source: str,
    locations: list[StorageLocation],
    progress: Progress | None = None,
) -> ArchiveOutcome:
    """Archive `hf:OWNER/REPO[@REVISION]` into every location (see the module's docstring)."""
    if not locations:
        raise ArchiveError("Choose at least one storage location.")
    parsed = hub.parse_source(source)
    snapshot = hub.repo_snapshot(parsed)
    paths = {file.path for file in snapshot.files}
    kind = Artifact.Kind.ADAPTER if "adapter_config.json" in paths else Artifact.Kind.MODEL
    artifact = _artifact_record(
        organization=organization,
        source=parsed.source,
        revision=snapshot.commit,
        kind=kind,
        files=[(file.path, file.size, file.lfs_sha256 or "") for file in snapshot.files],
        license_id=snapshot.license_id,
    )
    by_path = {file.path: file for file in snapshot.files}

    def opener(path: str) -> Callable[[hub.Tee], None]:
        return lambda tee: hub.stream_file(snapshot=snapshot, file=by_path[path], tee=tee)

    with _artifact_lock(artifact):
        copies = _write_copies(artifact=artifact, locations=locations, opener=opener, progress=progress)
    _refresh_exposure_for_artifact(artifact)
    return ArchiveOutcome(artifact=artifact, copies=copies)


def bundle_archive(
    *, workflow: Workflow, locations: list[StorageLocation], progress: Progress | None = None
) -> ArchiveOutcome:
    """Archive what the organization wrote for a workflow (prompts, configs, fine-tuning data)."""
    if not locations:
        raise ArchiveError("Choose at least one storage location.")
    contents = bundle.bundle_contents(workflow=workflow)
    artifact = _artifact_record(
        organization=workflow.organization,
        source=bundle.bundle_source(workflow),
        revision=bundle.bundle_revision(contents),
        kind=Artifact.Kind.BUNDLE,
        files=[(path, len(data), "") for path, data in contents.items()],
        workflow=workflow,
    )

    def opener(path: str) -> Callable[[hub.Tee], None]:
        return lambda tee: tee.write(contents[path])

    with _artifact_lock(artifact):
        copies = _write_copies(artifact=artifact, locations=locations, opener=opener, progress=progress)
    return ArchiveOutcome(artifact=artifact, copies=copies)


def _artifact_record(
    *,
    organization: Organization,
    source: str,
    revision: str,
    kind: str,
    files: list[tuple[str, int, str]],
    license_id: str = "",
    workflow: Workflow | None = None,
) -> Artifact:
    from apps.inventory.selectors import model_for_identifier

    with transaction.atomic():
        artifact, created = Artifact.objects.select_for_update().get_or_create(
            organization=organization,
            source=source,
            revision=revision,
            defaults={
                "kind": kind,
                "license_id": license_id[:80],
                "workflow": workflow,
                "model": None if workflow else model_for_identifier(source.split(":", 1)[1]),
                "files_count": len(files),
                "bytes_total": sum(size for _, size, _ in files),
            },
        )
        if created:
            ArtifactFile.objects.bulk_create(
                [
                    ArtifactFile(artifact=artifact, path=path, size=size, sha256=sha)
                    for path, size, sha in files
                ]
            )
    return artifact


ARCHIVE_LOCK_NAMESPACE = 4_105  # PostgreSQL advisory locks, beside the job pipeline's 4_104


@contextmanager
def _artifact_lock(artifact: Artifact):
    """One archive of an artifact at a time: two would write the same partial files. A session
    advisory lock, so it dies with a crashed worker's connection."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        yield
        return
    key = [ARCHIVE_LOCK_NAMESPACE, artifact.pk % 2**31]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        if not cursor.fetchone()[0]:
            raise ArchiveError(
                f"Another archive of {artifact} is running; start this one again when it ends."
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def _store(location: StorageLocation) -> Store:
    return store_for(location.url)


class _Throttled:
    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done, self.current = progress, total, 0, ""
        self._last = 0.0

    def add(self, count: int, *, force: bool = False) -> None:
        self.done += count
        now = time.monotonic()
        if self.progress and (force or now - self._last >= PROGRESS_INTERVAL_SECONDS):
            self._last = now
            self.progress(self.done, self.total, self.current)


def _write_copies(
    *,
    artifact: Artifact,
    locations: list[StorageLocation],
    opener: Callable[[str], Callable[[hub.Tee], None]],
    progress: Progress | None,
) -> list[Copy]:
    folder = artifact.relative_folder
    files = list(artifact.files.order_by("path"))
    expected = {file.path for file in files}
    copies: list[Copy] = []
    stores: dict[int, Store] = {}
    written: dict[int, set[str]] = {}
    for location in locations:
        copy, _ = Copy.objects.get_or_create(artifact=artifact, location=location)
        copy.location = location
        store = stores[copy.pk] = _store(location)
        store.clean_partials(folder)
        done = set(copy.files_written) - set(copy.bad_files)
        if copy.status == Copy.Status.MISSING:
            done = set()
        # A file recorded as written counts only while it is there at its size (a cheap check; the
        # full re-hash is copy_verify's job).
        sizes = {file.path: file.size for file in files}
        done = {path for path in done if path in sizes and store.size(f"{folder}/{path}") == sizes[path]}
        for extra in set(store.list_files(folder)) - expected - {MANIFEST}:
            store.delete(f"{folder}/{extra}")
        written[copy.pk] = done
        Copy.objects.filter(pk=copy.pk).update(files_written=sorted(done), status=Copy.Status.WRITING)
        copies.append(copy)

    meter = _Throttled(progress, sum(file.size for file in files))
    captured: dict[str, bytes] = {}
    for file in files:
        meter.current = file.path
        needers = [copy for copy in copies if file.path not in written[copy.pk]]
        if not needers:
            meter.add(file.size)
            continue
        capture = _is_licence(file.path) or _is_model_card(file.path)
        writers = [stores[copy.pk].writer(f"{folder}/{file.path}") for copy in needers]
        tee = hub.Tee(writers, on_bytes=meter.add, capture=capture)
        try:
            opener(file.path)(tee)
            digest = tee.hash.hexdigest()
            if file.size and tee.written != file.size:
                raise ArchiveError(f"{file.path}: {tee.written} bytes arrived, {file.size} expected.")
            if file.sha256 and digest != file.sha256:
                raise ArchiveError(f"{file.path}: sha256 {digest} does not match the source's {file.sha256}.")
            for writer in writers:
                writer.commit()
        except BaseException:
            for writer in writers:
                writer.abort()
            raise
        if not file.sha256:
            file.sha256 = digest
            ArtifactFile.objects.filter(pk=file.pk).update(sha256=digest)
        if capture and tee.captured is not None:
            captured[file.path] = bytes(tee.captured)
        for copy in needers:
            written[copy.pk].add(file.path)
            Copy.objects.filter(pk=copy.pk).update(files_written=sorted(written[copy.pk]))
    meter.current = MANIFEST
    meter.add(0, force=True)

    _capture_texts(artifact, captured)
    manifest = manifest_text({file.path: file.sha256 for file in files}).encode()
    now = timezone.now()
    for copy in copies:
        stores[copy.pk].write_bytes(f"{folder}/{MANIFEST}", manifest)
        _copy_mark(
            copy,
            status=Copy.Status.VERIFIED,
            bad_files=[],
            now=now,
            trigger=Verification.Trigger.ARCHIVE,
            files_checked=len(files),
            bytes_checked=sum(file.size for file in files),
        )
        copy.files_written = sorted(written[copy.pk])
    return copies


def manifest_text(hashes: dict[str, str]) -> str:
    """`sha256sum` format: the hash, two spaces, the path relative to the copy; sorted by path."""
    return "".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes))


def parse_manifest(text: str) -> dict[str, str]:
    hashes = {}
    for line in text.splitlines():
        if len(line) > 66 and line[64:66] in ("  ", " *"):
            hashes[line[66:]] = line[:64].lower()
    return hashes


def _is_licence(path: str) -> bool:
    return "/" not in path and path.upper().split(".")[0] in ("LICENSE", "LICENCE", "COPYING")


def _is_model_card(path: str) -> bool:
    return path.lower() == "readme.md"


def _capture_texts(artifact: Artifact, captured: dict[str, bytes]) -> None:
    fields = {}
    for path, data in captured.items():
        text = data.decode("utf-8", errors="replace")
        if _is_licence(path):
            fields["license_text"] = text
        elif _is_model_card(path):
            fields["model_card"] = text
    if fields:
        Artifact.objects.filter(pk=artifact.pk).update(**fields)
        for name, value in fields.items():
            setattr(artifact, name, value)


# --- Verification ------------------------------------------------------------------------------


def copy_verify(
    *, copy: Copy, trigger: str = Verification.Trigger.MANUAL, now: datetime | None = None
) -> Copy:
    """Re-hash a copy against the artifact's recorded manifest; mark it verified, corrupted or missing."""
    now = now or timezone.now()
    artifact = copy.artifact
    folder = artifact.relative_folder
    store = _store(copy.location)
    files = {file.path: file for file in artifact.files.all()}
    present = set(store.list_files(folder))
    checked = checked_bytes = 0
    bad: list[str] = []
    if MANIFEST not in present:
        status = Copy.Status.MISSING
        bad = [MANIFEST] if present else []  # the folder is there but its manifest is gone
    else:
        on_disk = parse_manifest(
            b"".join(store.read_chunks(f"{folder}/{MANIFEST}")).decode("utf-8", "replace")
        )
        if on_disk != {path: file.sha256 for path, file in files.items()}:
            bad.append(MANIFEST)
        for path, file in sorted(files.items()):
            if path not in present:
                bad.append(path)
                continue
            digest, size = _hash_stored(store, f"{folder}/{path}")
            checked += 1
            checked_bytes += size
            if digest != file.sha256 or size != file.size:
                bad.append(path)
        bad += sorted(present - set(files) - {MANIFEST})  # nothing else belongs in a copy folder
        status = Copy.Status.CORRUPTED if bad else Copy.Status.VERIFIED
    _copy_mark(
        copy,
        status=status,
        bad_files=bad,
        now=now,
        trigger=trigger,
        files_checked=checked,
        bytes_checked=checked_bytes,
    )
    if status != Copy.Status.VERIFIED:
        from apps.archive.alerts import copy_alert_raise

        copy_alert_raise(copy=copy, now=now)
    return copy


def _hash_stored(store: Store, relative: str) -> tuple[str, int]:
    import hashlib

    digest, size = hashlib.sha256(), 0
    for chunk in store.read_chunks(relative):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _copy_mark(
    copy: Copy,
    *,
    status: str,
    bad_files: list[str],
    now: datetime,
    trigger: str,
    files_checked: int,
    bytes_checked: int,
) -> None:
    with transaction.atomic():
        fields = {"status": status, "bad_files": bad_files}
        if status == Copy.Status.VERIFIED:
            fields["last_verified_at"] = now
        Copy.objects.filter(pk=copy.pk).update(**fields, updated_at=now)
        for name, value in fields.items():
            setattr(copy, name, value)
        Verification.objects.create(
            copy=copy,
            status=status,
            bad_files=bad_files,
            files_checked=files_checked,
            bytes_checked=bytes_checked,
            trigger=trigger,
            checked_at=now,
        )


def copies_verify(
    *,
    organization: Organization | None = None,
    trigger: str = Verification.Trigger.MANUAL,
    now: datetime | None = None,
    copy_ids: list[int] | None = None,
) -> list[Copy]:
    copies = Copy.objects.select_related("artifact__organization", "location").exclude(
        status=Copy.Status.WRITING
    )
    if organization is not None:
        copies = copies.filter(artifact__organization=organization)
    if copy_ids is not None:
        copies = copies.filter(pk__in=copy_ids)
    verified = []
    for copy in copies.order_by("artifact__source", "location__name", "pk"):
        try:
            verified.append(copy_verify(copy=copy, trigger=trigger, now=now))
        except Exception as error:  # an unreachable location is a missing copy, not a crashed beat task
            logger.warning("Copy %s could not be read: %s", copy.pk, error)
            _copy_mark(
                copy,
                status=Copy.Status.MISSING,
                bad_files=[],
                now=now or timezone.now(),
                trigger=trigger,
                files_checked=0,
                bytes_checked=0,
            )
            from apps.archive.alerts import copy_alert_raise

            copy_alert_raise(copy=copy, now=now or timezone.now(), reason=f"location unreachable: {error}")
            verified.append(copy)
    # A copy that turned bad stops counting; a stale one re-hashed whole counts again.
    coverage_refresh(organization_ids=list({copy.artifact.organization_id for copy in verified}))
    return verified


def copies_verify_due(*, now: datetime | None = None, every_days: int = 7) -> int:
    """Beat: re-hash each copy not re-hashed for `every_days` (well inside the policy's 30 days)."""
    from datetime import timedelta

    now = now or timezone.now()
    due = Copy.objects.exclude(status=Copy.Status.WRITING).exclude(
        verifications__checked_at__gte=now - timedelta(days=every_days)
    )
    ids = list(due.values_list("pk", flat=True).distinct()[:200])
    copies_verify(copy_ids=ids, trigger=Verification.Trigger.SCHEDULE, now=now)
    return len(ids)


# --- Exposure ----------------------------------------------------------------------------------


def _refresh_exposure_for_artifact(artifact: Artifact) -> None:
    from apps.exposure.services import exposure_refresh
    from apps.inventory.models import Dependency

    if artifact.model_id is None:
        return
    workflow_ids = (
        Dependency.objects.filter(
            workflow__organization_id=artifact.organization_id, model_id=artifact.model_id
        )
        .values_list("workflow_id", flat=True)
        .distinct()
    )
    exposure_refresh(workflow_ids=list(workflow_ids))


def coverage_refresh(*, organization_ids: list[int] | None = None) -> int:
    """Beat: coverage decays with time, so rescore every workflow whose archive credit changed."""
    from apps.archive.selectors import archive_levels_by_workflow
    from apps.exposure.services import exposure_refresh

    workflows = Workflow.objects.filter(
        organization_id__in=Artifact.objects.values("organization_id")
        if organization_ids is None
        else organization_ids
    )
    levels = archive_levels_by_workflow([workflow.pk for workflow in workflows])
    stale = []
    for workflow in workflows.only("pk", "exposure_factors"):
        stored = next(
            (
                factor.get("value")
                for factor in workflow.exposure_factors
                if factor.get("key") == "verified_archive"
            ),
            None,
        )
        if _factor_value(levels.get(workflow.pk)) != stored:
            stale.append(workflow.pk)
    return exposure_refresh(workflow_ids=stale) if stale else 0


def _factor_value(level: str | None) -> str | None:
    from apps.archive.exposure_factor import factor_value

    return factor_value(level)


# --- Runs (the Celery job) ---------------------------------------------------------------------


@transaction.atomic
def archive_run_submit(
    *,
    organization: Organization,
    locations: list[StorageLocation],
    source: str = "",
    workflow: Workflow | None = None,
    include_bundle: bool = False,
    user: AbstractBaseUser | None = None,
) -> ArchiveRun:
    """Queue an archive of `source` (hf:…) or, with `workflow` and no source, of the workflow's bundle."""
    if not locations:
        raise ValidationError({"locations": "Choose at least one storage location."})
    if any(location.organization_id != organization.pk for location in locations):
        raise ValidationError({"locations": "Unknown storage location."})
    if source:
        try:
            hub.parse_source(source)
        except hub.SourceError as error:
            raise ValidationError({"source": str(error)}) from error
        kind = Artifact.Kind.MODEL
    elif workflow is not None:
        source, kind = bundle.bundle_source(workflow), Artifact.Kind.BUNDLE
    else:
        raise ValidationError({"source": "Name a repository (hf:OWNER/REPO) to archive."})
    run = ArchiveRun.objects.create(
        organization=organization,
        source=source,
        kind=kind,
        workflow=workflow,
        include_bundle=include_bundle and workflow is not None and kind == Artifact.Kind.MODEL,
        started_by=user if user is not None and user.is_authenticated else None,
    )
    run.locations.set(locations)
    transaction.on_commit(lambda: _enqueue(run.pk), robust=True)
    return run


def _enqueue(run_id: int) -> None:
    from apps.archive.tasks import archive_run_task

    archive_run_task.delay(run_id)


def archive_run_execute(*, run_id: int) -> ArchiveRun | None:
    """Claim the run (conditional UPDATE, exactly one row) and archive. Safe to call twice."""
    claimed = ArchiveRun.objects.filter(
        pk=run_id,
        status__in=[ArchiveRun.Status.QUEUED, ArchiveRun.Status.RUNNING],
        deliveries__lt=ArchiveRun.MAX_DELIVERIES,
    ).update(
        status=ArchiveRun.Status.RUNNING, deliveries=F("deliveries") + 1, started_at=Now(), finished_at=None
    )
    run = (
        ArchiveRun.objects.select_related("organization", "workflow__organization").filter(pk=run_id).first()
    )
    if run is None or run.is_finished:
        return run
    if claimed != 1:
        _run_finish(
            run_id,
            ArchiveRun.Status.FAILED,
            errors=[f"The archive stopped its worker {run.deliveries} times in a row, so it was given up."],
        )
        return ArchiveRun.objects.get(pk=run_id)

    def progress(done: int, total: int, current: str) -> None:
        ArchiveRun.objects.filter(pk=run_id, status=ArchiveRun.Status.RUNNING).update(
            progress_done=done, progress_total=total, current_file=current[:500]
        )

    locations = list(run.locations.all())
    bundled = None
    try:
        if run.kind == Artifact.Kind.BUNDLE and run.workflow is not None:
            outcome = bundle_archive(workflow=run.workflow, locations=locations, progress=progress)
        else:
            outcome = archive_source(
                organization=run.organization, source=run.source, locations=locations, progress=progress
            )
            if run.include_bundle and run.workflow is not None:
                bundled = bundle_archive(workflow=run.workflow, locations=locations).artifact
    except Exception as error:
        logger.exception("Archive run %s failed", run_id)
        _run_finish(run_id, ArchiveRun.Status.FAILED, errors=[_explain(error)])
    else:
        total = outcome.artifact.bytes_total
        _run_finish(
            run_id,
            ArchiveRun.Status.SUCCEEDED,
            artifact=outcome.artifact,
            bundle=bundled,
            progress_done=total,
            progress_total=total,
            current_file="",
        )
    return ArchiveRun.objects.get(pk=run_id)


def _explain(error: Exception) -> str:
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

    if isinstance(error, RevisionNotFoundError):
        return "That revision does not exist in the repository."
    if isinstance(error, RepositoryNotFoundError):
        return "The Hub has no such repository (or it is private or gated and no token gives access)."
    if isinstance(error, HfHubHTTPError):
        return f"The Hub answered with an error: {error}"
    if isinstance(error, (ArchiveError, hub.SourceError, LocationError)):
        return str(error)
    return f"The archive stopped on an unexpected error: {type(error).__name__}: {error}"


def _run_finish(run_id: int, status: str, **fields) -> None:
    ArchiveRun.objects.filter(pk=run_id).update(status=status, finished_at=Now(), **fields)


@transaction.atomic
def bundle_file_add(
    *, workflow: Workflow, kind: str, filename: str, content: bytes, user: AbstractBaseUser | None = None
) -> BundleFile:
    import hashlib
    from pathlib import PurePosixPath

    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    if not name or name.startswith("."):
        raise ValidationError({"file": "The file needs a name."})
    if len(content) > BundleFile.MAX_BYTES:
        raise ValidationError({"file": f"{name} is larger than {BundleFile.MAX_BYTES // (1024 * 1024)} MB."})
    row, _ = BundleFile.objects.update_or_create(
        workflow=workflow,
        kind=kind,
        filename=name[:200],
        defaults={
            "content": content,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "uploaded_by": user if user is not None and user.is_authenticated else None,
        },
    )
    row.full_clean(exclude=["content"])
    return row
