import hashlib
import io
import json

import boto3
import pytest
from django.core.management import call_command

from apps.archive.models import Artifact, Copy
from apps.watch.models import AlertRule, Notification
from tests.archive.conftest import LICENCE, REPO, model_files
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> tuple[dict, int]:
    out = io.StringIO()
    code = 0
    try:
        call_command(command, *args, "--json", stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return json.loads(out.getvalue()), code


def exposure_of(workflow) -> tuple[float, dict]:
    workflow.refresh_from_db()
    return workflow.exposure_score, {factor["key"]: factor for factor in workflow.exposure_factors}


def s3_objects(endpoint: str, prefix: str) -> dict[str, bytes]:
    client = boto3.client("s3", endpoint_url=endpoint)
    listed = client.list_objects_v2(Bucket="offsite-models", Prefix=prefix).get("Contents", [])
    return {
        item["Key"][len(prefix) :]: client.get_object(Bucket="offsite-models", Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_it_archives_verifies_names_the_damage_drops_the_credit_and_heals(hub, s3, nas, organization, editor):
    AlertRule.objects.create(organization=organization, name="Archive", min_severity="critical")
    workflow = workflow_with(
        organization=organization, models=["Qwen/Qwen3.5-0.8B"], name="Edge kiosks", criticality="high"
    )
    unmitigated, factors = exposure_of(workflow)
    assert "verified_archive" not in factors

    document, _ = run(
        "archive",
        f"hf:{REPO}",
        "--organization",
        "acme",
        "--to",
        f"file://{nas}",
        "--to",
        "s3://offsite-models/models",
    )

    commit = hub.repos[REPO]["main"]
    files = model_files()
    assert document["schema"] == "riskboard.archive/1"
    assert document["artifact"] == f"hf:{REPO}" and document["revision"] == commit
    assert document["files"] == len(files) and document["bytes"] == sum(map(len, files.values()))
    assert [(c["location"], c["status"], c["files"]) for c in document["copies"]] == [
        (f"file://{nas}", "verified", 6),
        ("s3://offsite-models/models", "verified", 6),
    ]
    # The copy folder holds exactly the repository's files plus a sha256sum manifest.
    folder = nas / REPO / commit
    on_disk = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    manifest = on_disk.pop("MANIFEST.sha256").decode()
    assert on_disk == files
    assert manifest == "".join(
        f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n" for path in sorted(files)
    )
    in_bucket = s3_objects(s3, f"models/{REPO}/{commit}/")
    assert in_bucket.pop("MANIFEST.sha256").decode() == manifest
    assert in_bucket == files
    artifact = Artifact.objects.get()
    assert artifact.license_text == LICENCE and "edge devices" in artifact.model_card
    assert artifact.license_id == "apache-2.0" and artifact.model.name == "Qwen3.5-0.8B"

    # Two verified copies, one off-site: the policy is met and the workflow gets the archive credit.
    score, factors = exposure_of(workflow)
    assert factors["verified_archive"]["points"] < 0
    assert score == unmitigated + factors["verified_archive"]["points"]

    # Corrupt one byte of the NAS copy, delete a file of the bucket copy.
    weights = folder / "model.safetensors"
    damaged = bytearray(weights.read_bytes())
    damaged[1000] ^= 0xFF
    weights.write_bytes(bytes(damaged))
    boto3.client("s3", endpoint_url=s3).delete_object(
        Bucket="offsite-models", Key=f"models/{REPO}/{commit}/tokenizer.json"
    )

    report, code = run("archive_verify", "--organization", "acme")
    assert code == 1
    assert report["schema"] == "riskboard.archive-verify/1"
    assert sorted((c["location"], c["status"], c["bad_files"]) for c in report["copies"]) == [
        (f"file://{nas}", "corrupted", ["model.safetensors"]),
        ("s3://offsite-models/models", "corrupted", ["tokenizer.json"]),
    ]
    assert exposure_of(workflow)[0] == unmitigated
    alerted = Notification.objects.filter(signal__kind="archive_unverified", user=editor)
    assert sorted(n.signal.detail["bad_files"][0] for n in alerted) == ["model.safetensors", "tokenizer.json"]

    # Archiving again rewrites only what is damaged, and the copies count again.
    hub.downloads.clear()
    document, _ = run(
        "archive",
        f"hf:{REPO}",
        "--organization",
        "acme",
        "--to",
        f"file://{nas}",
        "--to",
        "s3://offsite-models/models",
    )
    assert sorted(path.rsplit("/", 1)[-1] for path in hub.downloads) == [
        "model.safetensors",
        "tokenizer.json",
    ]
    assert {c["status"] for c in document["copies"]} == {"verified"}
    assert weights.read_bytes() == files["model.safetensors"]
    report, code = run("archive_verify")
    assert code == 0 and {c["status"] for c in report["copies"]} == {"verified"}
    assert exposure_of(workflow)[0] == score
    assert Copy.objects.filter(status="verified").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Qwen/Qwen3.5-0.8B", "--to", "file:///srv/models"], "a source is hf:OWNER/REPO"),
        (["hf:Qwen/Qwen3.5-0.8B", "--to", "ftp://nas/models"], "starts with file:/// or s3://"),
        (["hf:Qwen/Qwen3.5-0.8B", "--to", "file://relative/path"], "no host"),
        (["hf:Qwen/Missing", "--to", "file:///tmp/riskboard-never-written"], "no such repository"),
    ],
)
def test_it_refuses_bad_input_with_the_reason_and_writes_nothing(hub, organization, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("archive", *args, "--organization", "acme")
    assert not Artifact.objects.exists()
