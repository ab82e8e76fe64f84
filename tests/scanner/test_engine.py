"""scan_tree: ordering, progress and the parallel path."""

import pytest

from apps.scanner import engine
from apps.scanner.engine import scan_tree
from tests.scanner.support import write_tree


def _tree(tmp_path, count: int = 30):
    files = {f"pkg{i % 3}/mod{i:02}.py": f'x = 1\nMODEL = "qwen2.5:{i}b"\n' for i in range(count)}
    files["pkg0/README.md"] = "nothing here\n"
    return write_tree(tmp_path, files)


def test_findings_come_in_path_then_line_order(tmp_path):
    write_tree(tmp_path, {"b.py": 'A_MODEL = "gpt-4o"\n\nB_MODEL = "o3"\n', "a/z.py": 'MODEL = "qwen-max"\n'})
    result = scan_tree(tmp_path)
    assert [(f.path, f.line) for f in result.findings] == [("a/z.py", 1), ("b.py", 1), ("b.py", 3)]


def test_progress_reports_files_done_out_of_total(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 10)
    calls = []
    scan_tree(_tree(tmp_path), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 31), (10, 31), (20, 31), (30, 31), (31, 31)]


def test_the_parallel_path_finds_exactly_what_the_serial_one_does(tmp_path, monkeypatch):
    root = _tree(tmp_path, count=60)
    serial = scan_tree(root, workers=1)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(engine, "BATCH_SIZE", 7)
    calls = []
    parallel = scan_tree(root, workers=2, progress=lambda done, total: calls.append((done, total)))
    assert parallel == serial
    assert len(parallel.findings) == 60
    assert calls[0] == (0, 61) and calls[-1] == (61, 61)


def test_it_refuses_a_path_that_is_not_a_directory(tmp_path):
    (tmp_path / "file.py").write_text("x = 1\n")
    with pytest.raises(NotADirectoryError):
        scan_tree(tmp_path / "file.py")
