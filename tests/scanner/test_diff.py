"""The re-scan diff: keyed by (kind, identifier), so moved lines and files are never new."""

from apps.scanner.diff import Occurrence, scan_diff


def occ(path: str, line: int, identifier: str, kind: str = "model") -> Occurrence:
    return Occurrence(kind=kind, identifier=identifier, path=path, line=line)


def test_it_reports_what_is_new_and_what_disappeared():
    previous = [occ("a.py", 1, "qwen-max"), occ("b.py", 2, "gpt-4o-mini")]
    current = [occ("a.py", 1, "qwen-max"), occ("c.py", 5, "deepseek-chat")]

    diff = scan_diff(previous, current)

    assert [(e.identifier, e.paths) for e in diff.new] == [("deepseek-chat", ["c.py"])]
    assert [(e.identifier, e.paths) for e in diff.disappeared] == [("gpt-4o-mini", ["b.py"])]
    assert diff.unchanged == 1


def test_lines_that_moved_are_not_new():
    diff = scan_diff([occ("a.py", 1, "qwen-max")], [occ("a.py", 30, "qwen-max")])
    assert diff.is_empty
    assert diff.unchanged == 1


def test_a_model_in_another_file_is_not_new_but_its_files_are_shown():
    diff = scan_diff(
        [occ("old/llm.py", 4, "qwen-max")], [occ("new/llm.py", 4, "qwen-max"), occ("x.py", 1, "qwen-max")]
    )
    assert not diff.new and not diff.disappeared
    [moved] = diff.moved
    assert (moved.files_added, moved.files_removed) == (["new/llm.py", "x.py"], ["old/llm.py"])


def test_case_and_surrounding_spaces_do_not_make_a_new_identifier():
    diff = scan_diff(
        [occ("a.py", 1, "Qwen/Qwen2.5-7B-Instruct")], [occ("a.py", 1, " qwen/qwen2.5-7b-instruct")]
    )
    assert diff.is_empty


def test_the_same_identifier_of_another_kind_is_a_different_entry():
    diff = scan_diff(
        [occ("requirements.txt", 1, "openai", kind="package")], [occ("a.py", 1, "openai", kind="model")]
    )
    assert [(e.kind, e.identifier) for e in diff.new] == [("model", "openai")]
    assert [(e.kind, e.identifier) for e in diff.disappeared] == [("package", "openai")]


def test_a_first_scan_against_nothing_is_all_new():
    diff = scan_diff([], [occ("a.py", 1, "o3"), occ("b.py", 1, "o3")])
    assert [(e.identifier, e.paths) for e in diff.new] == [("o3", ["a.py", "b.py"])]
