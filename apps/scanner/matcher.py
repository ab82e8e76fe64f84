"""Scan the bytes of one file: a cheap keyword prefilter, then the rules on candidate lines only."""

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from apps.scanner import naming
from apps.scanner.findings import Confidence, Finding, weakest
from apps.scanner.profiles import FileProfile, profile_for
from apps.scanner.rules import Rule, Zone
from apps.scanner.rules.base import Resolver

EVIDENCE_MAX_CHARS = 200
LONG_LINE_BYTES = 2048
WINDOW_MARGIN_BYTES = 256
_COMMENT_MARKERS = ("#", "//", "/*", "* ", ";", "<!--", "rem ")
_FENCE = re.compile(rb"(?m)^ {0,3}(?:```|~~~)")

RESOLVERS: dict[Resolver, Callable[[str], naming.Named | None]] = {
    "model": naming.identify_model,
    "pypi": naming.identify_pypi_package,
    "npm": naming.identify_npm_package,
    "endpoint_host": naming.identify_endpoint_host,
    "model_server": naming.identify_model_server,
}


def scan_bytes(rel_path: str, data: bytes) -> list[Finding]:
    """Findings in one file's content, in line order. `data` must already be known to be text."""
    profile = profile_for(rel_path)
    lowered = data.lower()  # ASCII-only lowering keeps every offset valid for `data`
    present = [trigger for trigger in profile.triggers if trigger in lowered]
    if not present and not profile.every_line_rules:
        return []

    windows = _windows_around_triggers(lowered, present, profile)
    if profile.every_line_rules:
        _add_every_line(lowered, windows)
    code_blocks = _fenced_code_blocks(lowered) if profile.fenced else None

    findings: list[Finding] = []
    line_number, counted_to = 1, 0
    for start in sorted(windows):
        window = windows[start]
        zone = profile.zone
        if code_blocks is not None and _inside(code_blocks, window.line_start):
            zone = Zone.DOC_CODE
        lowered_text = lowered[start : window.end]
        rules = _rules_for(profile, window.woken, zone, lowered_text)
        if not rules:
            continue
        matches = _match(rules, lowered_text, data[start : window.end])
        if not matches:
            continue
        line_number += data.count(b"\n", counted_to, window.line_start)
        counted_to = window.line_start
        text = data[start : window.end].decode("utf-8", errors="replace")
        commented = (
            start == window.line_start
            and zone in (Zone.SOURCE, Zone.CONFIG, Zone.TESTS)
            and text.lstrip().startswith(_COMMENT_MARKERS)
        )
        for column, rule, named in matches:
            confidence: Confidence = weakest(
                rule.confidence, named.confidence, "low" if commented else "high"
            )
            findings.append(
                Finding(
                    path=rel_path,
                    line=line_number,
                    kind=rule.kind,
                    identifier=named.identifier,
                    vendor=named.vendor,
                    family=named.family,
                    confidence=confidence,
                    evidence=_evidence(text, column, clipped=start != window.line_start),
                    rule=rule.name,
                )
            )
    return findings


@dataclass(slots=True)
class _Window:
    """A stretch of one line to try the rules on: the whole line, or around a trigger on a long one."""

    end: int
    line_start: int
    # rule index → the rule's own triggers still to be found in the window, or None
    woken: dict[int, tuple[bytes, ...] | None]


def _windows_around_triggers(
    lowered: bytes, present: list[bytes], profile: FileProfile
) -> dict[int, _Window]:
    windows: dict[int, _Window] = {}
    for needle in present:
        woken = profile.rules_by_trigger[needle]
        position = lowered.find(needle)
        while position != -1:
            line_start = lowered.rfind(b"\n", 0, position) + 1
            line_end = lowered.find(b"\n", position)
            if line_end == -1:
                line_end = len(lowered)
            start, end = line_start, line_end
            if end - start > LONG_LINE_BYTES:
                # Minified bundles and JSON dumps put megabytes on one line; look near the trigger only.
                start = max(line_start, position - WINDOW_MARGIN_BYTES)
                end = min(line_end, position + WINDOW_MARGIN_BYTES)
            window = windows.get(start)
            if window is None:
                windows[start] = _Window(end, line_start, dict(woken))
            else:
                for index, check in woken:
                    if check is None or index not in window.woken:
                        window.woken[index] = check
            position = lowered.find(needle, end)
    return windows


def _add_every_line(lowered: bytes, windows: dict[int, _Window]) -> None:
    start = 0
    size = len(lowered)
    while start < size:
        end = lowered.find(b"\n", start)
        if end == -1:
            end = size
        if start not in windows:
            windows[start] = _Window(end, start, {})
        start = end + 1


def _rules_for(
    profile: FileProfile, woken: dict[int, tuple[bytes, ...] | None], zone: Zone, lowered_text: bytes
) -> list[Rule]:
    # File-specific rules first: on a tie they are the better explanation (FROM in a Modelfile).
    rules = [rule for rule in profile.every_line_rules if zone in rule.zones]
    for index in sorted(woken):
        rule = profile.rules[index]
        if zone not in rule.zones or (rule.needs and rule.needs_bytes not in lowered_text):
            continue
        own_triggers = woken[index]
        if own_triggers is not None and not _contains_any(lowered_text, own_triggers):
            continue
        rules.append(rule)
    return rules


def _contains_any(text: bytes, needles: tuple[bytes, ...]) -> bool:
    return any(needle in text for needle in needles)


def _match(rules: list[Rule], lowered_text: bytes, text: bytes) -> list[tuple[int, Rule, naming.Named]]:
    """Every rule's matches on one line; where two overlap, the longer (then the earlier rule) wins."""
    candidates = []
    for order, rule in enumerate(rules):
        for match in rule.compiled.finditer(lowered_text.rstrip(b"\r")):
            start, end = match.span("id")
            named = RESOLVERS[rule.resolver](text[start:end].decode("utf-8", errors="replace"))
            if named is not None:
                candidates.append((start, -(end - start), order, rule, named))
    candidates.sort(key=lambda c: c[:3])
    kept: list[tuple[int, Rule, naming.Named]] = []
    seen: set[tuple[str, str]] = set()
    covered_to = -1
    for start, negative_length, _order, rule, named in candidates:
        if start < covered_to:
            continue
        covered_to = start - negative_length
        key = (rule.kind, named.identifier)
        if key not in seen:
            seen.add(key)
            kept.append((start, rule, named))
    return kept


def _fenced_code_blocks(lowered: bytes) -> list[int]:
    """Offsets where fenced blocks open and close, alternating; an unclosed block runs to the end."""
    return [match.start() for match in _FENCE.finditer(lowered)]


def _inside(fences: list[int], offset: int) -> bool:
    # The fence lines themselves are not code; a line after an odd number of fences is.
    return bisect.bisect_right(fences, offset) % 2 == 1 and offset not in fences


def _evidence(text: str, column: int, *, clipped: bool = False) -> str:
    line = text.strip()
    if len(line) <= EVIDENCE_MAX_CHARS:
        return f"…{line}…" if clipped else line
    # Long (often minified) lines: keep a window around the match instead of the line's start.
    column = max(0, column - (len(text) - len(text.lstrip())))
    begin = max(0, min(column - EVIDENCE_MAX_CHARS // 4, len(line) - EVIDENCE_MAX_CHARS))
    window = line[begin : begin + EVIDENCE_MAX_CHARS - 2]
    return ("…" if begin else "") + window + ("…" if begin + len(window) < len(line) else "")
