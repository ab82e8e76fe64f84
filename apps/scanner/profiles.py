"""What kind of text a file holds, decided from its path alone, and which rules may run on it."""

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

from apps.scanner.rules import ALL_RULES, Rule, Zone

SOURCE_EXTENSIONS = frozenset(
    {
        "py",
        "pyi",
        "pyx",
        "ipynb",
        "js",
        "mjs",
        "cjs",
        "jsx",
        "ts",
        "tsx",
        "mts",
        "cts",
        "vue",
        "svelte",
        "go",
        "java",
        "kt",
        "kts",
        "scala",
        "groovy",
        "rb",
        "rs",
        "cs",
        "php",
        "swift",
        "m",
        "mm",
        "c",
        "cc",
        "cpp",
        "cxx",
        "h",
        "hpp",
        "lua",
        "r",
        "jl",
        "dart",
        "ex",
        "exs",
        "erl",
        "clj",
        "pl",
    }  # fmt: skip
)
FENCED_DOC_EXTENSIONS = frozenset({"md", "markdown", "mdx"})
PROSE_EXTENSIONS = frozenset({"rst", "txt", "adoc", "asciidoc", "rdoc", "textile", "org"})
TEST_DIRECTORIES = frozenset({"tests", "test", "__tests__", "spec", "specs", "testdata", "fixtures"})


@dataclass(frozen=True)
class FileProfile:
    zone: Zone  # for Markdown: DOC_PROSE, with fenced blocks switching lines to DOC_CODE
    fenced: bool
    rules: tuple[Rule, ...]  # run on lines that contain one of the rule's triggers
    every_line_rules: tuple[Rule, ...]  # run on every line (file-specific rules, e.g. package.json)
    # Lower-case substrings to look for in the file; none present means nothing to do.
    triggers: tuple[bytes, ...]
    # For each trigger, the rules it wakes up: (index into ``rules``, None) when it is one of the rule's
    # own triggers, or (index, the rule's longer triggers to check on the line) when it only is a part
    # of them, as "model" is of "model_server".
    rules_by_trigger: dict[bytes, tuple[tuple[int, tuple[bytes, ...] | None], ...]]


def is_test_path(rel_path: str) -> bool:
    directory, _, name = rel_path.rpartition("/")
    if directory and not TEST_DIRECTORIES.isdisjoint(directory.lower().split("/")):
        return True
    name = name.lower()
    stem = name.split(".", 1)[0]
    return (
        stem.startswith("test_")
        or stem.endswith(("_test", "_tests"))
        or name == "conftest.py"
        or ".test." in name
        or ".spec." in name
    )


_FILE_SPECIFIC_RULES = tuple(rule for rule in ALL_RULES if rule.files)
# One regex for every file-specific glob, so most names are dismissed with a single match.
_ANY_FILE_GLOB = re.compile(
    "|".join(fnmatch.translate(g) for rule in _FILE_SPECIFIC_RULES for g in rule.files)
)


def profile_for(rel_path: str) -> FileProfile:
    name = rel_path.rpartition("/")[2].lower()
    extension = name.rpartition(".")[2] if "." in name else ""
    in_tests = is_test_path(rel_path)
    if _ANY_FILE_GLOB.match(name):
        return _profile_with_file_rules(name, in_tests)
    return _profile(extension, in_tests, ())


@lru_cache(maxsize=1024)
def _profile_with_file_rules(name: str, in_tests: bool) -> FileProfile:
    file_rules = tuple(rule for rule in _FILE_SPECIFIC_RULES if _matches(name, rule.files))
    extension = name.rpartition(".")[2] if "." in name else ""
    return _profile(extension, in_tests, file_rules)


@lru_cache(maxsize=1024)
def _profile(extension: str, in_tests: bool, file_rules: tuple[Rule, ...]) -> FileProfile:
    if in_tests:
        zones = {Zone.TESTS}
    elif file_rules:
        zones = {Zone.CONFIG}
    elif extension in FENCED_DOC_EXTENSIONS:
        zones = {Zone.DOC_PROSE, Zone.DOC_CODE}
    elif extension in PROSE_EXTENSIONS:
        zones = {Zone.DOC_PROSE}
    elif extension in SOURCE_EXTENSIONS:
        zones = {Zone.SOURCE}
    else:
        zones = {Zone.CONFIG}
    return _compile_profile(frozenset(zones), file_rules)


def _matches(name: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)


@lru_cache(maxsize=64)
def _compile_profile(zones: frozenset[Zone], file_rules: tuple[Rule, ...]) -> FileProfile:
    applicable = [rule for rule in ALL_RULES if not rule.zones.isdisjoint(zones)]
    every_line = tuple(rule for rule in applicable if rule in file_rules and not rule.triggers)
    triggered = tuple(rule for rule in applicable if rule.triggers and (not rule.files or rule in file_rules))
    triggers = _shortest_covering({t for rule in triggered for t in rule.triggers})
    rules_by_trigger = {
        trigger.encode(): tuple(
            (
                index,
                None
                if trigger in rule.triggers
                else tuple(t.encode() for t in rule.triggers if trigger in t),
            )
            for index, rule in enumerate(triggered)
            if any(trigger in t for t in rule.triggers)
        )
        for trigger in triggers
    }
    return FileProfile(
        zone=Zone.DOC_PROSE if Zone.DOC_PROSE in zones else next(iter(zones)),
        fenced=Zone.DOC_CODE in zones and Zone.DOC_PROSE in zones,
        rules=triggered,
        every_line_rules=every_line,
        triggers=tuple(trigger.encode() for trigger in triggers),
        rules_by_trigger=rules_by_trigger,
    )


def _shortest_covering(triggers: set[str]) -> tuple[str, ...]:
    """Drop triggers that contain another one: a line with '--model' also contains 'model'."""
    kept = {t for t in triggers if not any(other != t and other in t for other in triggers)}
    return tuple(sorted(kept))
