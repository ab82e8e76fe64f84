"""`manage.py scan PATH [--json]` (no database involved; recording with --organization: test_scan_record.py)."""

import json
import zipfile
from io import StringIO

import django
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tests.scanner.support import write_tree


@pytest.fixture(autouse=True)
def _django_ready(monkeypatch):
    # pytest-django sets Django up; when running these tests without it, do it here.
    if not apps.ready:
        monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "riskboard.settings")
        django.setup()


@pytest.fixture
def repo(tmp_path):
    return write_tree(
        tmp_path / "repo",
        {"app/llm.py": 'llm = ChatOllama(model="qwen2.5:7b")\n', "requirements.txt": "anthropic\n"},
    )


def _run(*args: str) -> str:
    out = StringIO()
    call_command("scan", *args, stdout=out)
    return out.getvalue()


def test_it_prints_exactly_one_json_document(repo):
    document = json.loads(_run(str(repo), "--json"))
    assert document["schema"] == "riskboard.scan/1"
    assert document["root"] == str(repo)
    assert (document["files_scanned"], document["files_skipped"]) == (2, 0)
    assert [(f["path"], f["line"], f["kind"], f["vendor"]) for f in document["findings"]] == [
        ("app/llm.py", 1, "model", "alibaba"),
        ("requirements.txt", 1, "package", "anthropic"),
    ]


def test_it_prints_a_table_without_json(repo):
    output = _run(str(repo))
    assert "app/llm.py:1" in output and "qwen2.5:7b" in output and "alibaba" in output
    assert output.rstrip().endswith("2 findings in 2 files scanned (0 skipped).")


def test_it_scans_an_archive(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("src/app.py", 'MODEL = "gpt-4o-mini"\n')
    document = json.loads(_run(str(archive), "--json"))
    assert document["root"] == str(archive)
    assert [(f["path"], f["identifier"]) for f in document["findings"]] == [("src/app.py", "gpt-4o-mini")]


def test_it_explains_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _run(str(tmp_path / "nope"))
