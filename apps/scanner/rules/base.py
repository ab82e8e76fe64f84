"""The shape of a rule. Rules are data: a regular expression, where it applies and how to name a match.

Every pattern is matched against the *lower-cased* bytes of one line (so patterns are written in lower
case and need no IGNORECASE), and must capture the identifier in a group named ``id``. The engine reads
the original-case text at the same span, so identifiers keep their spelling.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from apps.scanner.findings import Confidence, Kind


class Zone(StrEnum):
    """The kind of text a line sits in; a rule lists the zones it may fire in."""

    SOURCE = "source"  # program code: quoted strings only, a bare word is a variable
    CONFIG = "config"  # YAML, TOML, .env, Dockerfiles, shell: unquoted values are values
    TESTS = "tests"  # test code and fixtures: only configuration, never sample strings
    DOC_CODE = "doc_code"  # fenced code blocks in Markdown
    DOC_PROSE = "doc_prose"  # prose in documentation


CODE_ZONES = frozenset({Zone.SOURCE, Zone.CONFIG, Zone.DOC_CODE})
# Where something only counts when it is written as configuration (a model argument, a CLI flag…).
CONTEXT_ZONES = CODE_ZONES | {Zone.TESTS}
# Identifiers specific enough to be a dependency wherever they are written, even in prose.
ANY_TEXT_ZONES = CODE_ZONES | {Zone.DOC_PROSE}

# How a rule's captured text becomes (identifier, vendor, family): see apps.scanner.naming.
Resolver = Literal["model", "pypi", "npm", "endpoint_host", "model_server"]

# Lines must contain one of these (lower case) for the bare model-name rules to run. They are the cheap
# prefilter that keeps the scan near grep speed; a family missing here is still found wherever it is
# written as a model argument, because those rules trigger on the word "model".
# Each trigger costs a pass over every file, so the list is kept short on purpose.
FAMILY_TRIGGERS: tuple[str, ...] = ("qw", "llama", "tral", "gem", "deepseek", "gpt", "claude")


@dataclass(frozen=True)
class Rule:
    name: str  # "<ecosystem>.<what>", unique
    kind: Kind
    pattern: str
    resolver: Resolver = "model"
    confidence: Confidence = "high"
    zones: frozenset[Zone] = CODE_ZONES
    # Lower-case substrings, one of which a line must contain for the pattern to be tried at all.
    # Empty means "every line", which is only allowed together with ``files``.
    triggers: tuple[str, ...] = FAMILY_TRIGGERS
    # Basename globs (lower case) the rule is limited to, e.g. ("requirements*.txt",).
    files: tuple[str, ...] = ()
    # A character every match contains ("/" for org/repo ids): lines without it are not tried.
    needs: str = ""
    compiled: re.Pattern[bytes] = field(init=False, repr=False, compare=False)
    trigger_bytes: tuple[bytes, ...] = field(init=False, repr=False, compare=False)
    needs_bytes: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.triggers and not self.files:
            raise ValueError(f"rule {self.name} would run on every line of every file")
        object.__setattr__(self, "compiled", re.compile(self.pattern.encode()))
        object.__setattr__(self, "trigger_bytes", tuple(t.encode() for t in self.triggers))
        object.__setattr__(self, "needs_bytes", self.needs.encode())
        if "id" not in self.compiled.groupindex:
            raise ValueError(f"rule {self.name} has no (?P<id>…) group")


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so that 'codellama' beats 'code'."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


# A value as written after a key or flag: a model name, an org/repo id, a provider/model string or a path.
VALUE = r"(?P<id>[\w./~][\w.:/@+~-]*)"
