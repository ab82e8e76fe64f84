import pytest

from apps.archive import services
from apps.archive.models import ArchiveRun, Copy
from tests.archive.conftest import REPO, model_files

pytestmark = pytest.mark.django_db


def test_it_resumes_after_a_crash_without_copying_finished_files_again(hub, nas, organization):
    location = services.location_create(organization=organization, url=f"file://{nas}")
    hub.fail_paths = {"onnx/model.onnx"}
    run = services.archive_run_submit(organization=organization, source=f"hf:{REPO}", locations=[location])

    failed = services.archive_run_execute(run_id=run.pk)

    assert failed.status == ArchiveRun.Status.FAILED
    assert "The Hub answered with an error" in failed.errors[0]
    commit = hub.repos[REPO]["main"]
    folder = nas / REPO / commit
    # Only whole files are in the copy folder (no manifest yet, nothing half-written), and the copy
    # knows which ones it has.
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "LICENSE",
        "README.md",
        "config.json",
        "model.safetensors",
    ]
    copy = Copy.objects.get()
    assert copy.status == Copy.Status.WRITING
    assert copy.files_written == ["LICENSE", "README.md", "config.json", "model.safetensors"]

    hub.fail_paths = set()
    hub.downloads.clear()
    outcome = services.archive_source(organization=organization, source=f"hf:{REPO}", locations=[location])

    assert sorted(path.rsplit("/", 1)[-1] for path in hub.downloads) == ["model.onnx", "tokenizer.json"]
    assert [copy.status for copy in outcome.copies] == ["verified"]
    files = model_files()
    assert {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }.keys() == (set(files) | {"MANIFEST.sha256"})
    assert not (nas / ".riskboard-partial" / REPO / commit).exists() or not any(
        (nas / ".riskboard-partial" / REPO / commit).rglob("*.*")
    )


def test_it_pins_the_revision_and_keeps_an_older_commit_reachable(hub, nas, organization):
    location = services.location_create(organization=organization, url=f"file://{nas}")
    first = hub.repos[REPO]["main"]
    second = hub.commit_files(REPO, model_files(b"v2"))

    pinned = services.archive_source(
        organization=organization, source=f"hf:{REPO}@{first}", locations=[location]
    )
    current = services.archive_source(organization=organization, source=f"hf:{REPO}", locations=[location])

    assert pinned.artifact.revision == first and current.artifact.revision == second
    assert (nas / REPO / first / "tokenizer.json").read_bytes() == model_files()["tokenizer.json"]
    assert b"v2" in (nas / REPO / second / "tokenizer.json").read_bytes()


@pytest.mark.parametrize(
    ("source", "reason"),
    [("hf:Qwen/Nope", "no such repository"), (f"hf:{REPO}@" + "f" * 40, "revision does not exist")],
)
def test_it_fails_a_run_with_a_readable_reason(hub, nas, organization, source, reason):
    location = services.location_create(organization=organization, url=f"file://{nas}")
    run = services.archive_run_submit(organization=organization, source=source, locations=[location])

    failed = services.archive_run_execute(run_id=run.pk)

    assert failed.status == ArchiveRun.Status.FAILED
    assert reason in failed.errors[0].lower()
    assert not any(nas.rglob("*.json"))
