"""What changed between two scans of the same source (pure: plain values in, plain values out).

The diff rule: a finding is keyed by its kind and its identifier, normalised (trimmed, lower case),
and nothing else. Two scans are compared as sets of those keys:
- **new**: keys in this scan that the previous scan of the source did not have;
- **disappeared**: keys the previous scan had that this one does not.

Path and line are deliberately not part of the key. A reconciliation question is "which models,
SDKs and endpoints does this codebase depend on", and that answer does not change when code moves:
lines shifting, a file renamed, or a call moved to another module are not new dependencies. The
same model named in one more file is not new either; the files are listed beside each entry (and
`files_added`/`files_removed` say where it spread or shrank) for the reader who wants to know.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


def identifier_key(identifier: str) -> str:
    return identifier.strip().lower()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One finding as the diff sees it."""

    kind: str
    identifier: str
    path: str
    line: int
    vendor: str = "unknown"


@dataclass(slots=True)
class DiffEntry:
    kind: str
    identifier: str  # as first written in the scan it comes from
    vendor: str
    paths: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, identifier_key(self.identifier))


@dataclass(slots=True)
class ChangedEntry:
    """A key present in both scans whose set of files changed (never a line shift alone)."""

    kind: str
    identifier: str
    files_added: list[str]
    files_removed: list[str]


@dataclass(slots=True)
class ScanDiff:
    new: list[DiffEntry]
    disappeared: list[DiffEntry]
    moved: list[ChangedEntry]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.disappeared or self.moved)


def _grouped(occurrences: Iterable[Occurrence]) -> dict[tuple[str, str], DiffEntry]:
    groups: dict[tuple[str, str], DiffEntry] = {}
    for occurrence in occurrences:
        key = (occurrence.kind, identifier_key(occurrence.identifier))
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = DiffEntry(occurrence.kind, occurrence.identifier, occurrence.vendor)
        if occurrence.path not in entry.paths:
            entry.paths.append(occurrence.path)
    for entry in groups.values():
        entry.paths.sort()
    return groups


def scan_diff(previous: Iterable[Occurrence], current: Iterable[Occurrence]) -> ScanDiff:
    """Compare the previous scan of a source with the current one, by (kind, normalised identifier)."""
    before = _grouped(previous)
    after = _grouped(current)
    order = sorted  # stable, readable order: by kind then identifier
    new = [after[key] for key in order(after.keys() - before.keys())]
    disappeared = [before[key] for key in order(before.keys() - after.keys())]
    moved = []
    kept = order(after.keys() & before.keys())
    for key in kept:
        added = sorted(set(after[key].paths) - set(before[key].paths))
        removed = sorted(set(before[key].paths) - set(after[key].paths))
        if added or removed:
            moved.append(ChangedEntry(key[0], after[key].identifier, added, removed))
    return ScanDiff(new=new, disappeared=disappeared, moved=moved, unchanged=len(kept) - len(moved))
