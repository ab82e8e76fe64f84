"""Archive objects for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.archive.models import ArchiveRun, Artifact


def _artifact(organization) -> int:
    return Artifact.objects.create(organization=organization, source="hf:Qwen/Qwen3-8B", revision="a" * 40).pk


def _run(organization) -> int:
    return ArchiveRun.objects.create(organization=organization, source="hf:Qwen/Qwen3-8B", status="failed").pk


OBJECT_MAKERS: dict[str, Callable] = {"artifact_id": _artifact, "run_id": _run}
