"""Licenses as the Hub and GitHub report them, and how restrictive each one is.

The Hub spells a license three ways at once: `license` (an id such as `apache-2.0`, or `other`),
`license_name` (the real name when the id is `other`, e.g. `qwen-research`) and `license_link`.
A change to any of the three is a license change, so they travel together as `License`.

Restrictiveness, least to most (`Restrictiveness`), for "is this more restrictive than before":
0 PERMISSIVE   apache-2.0, mit, bsd, cc-by, cc0, … — use it for anything, keep the notice.
1 COMMUNITY    llama/gemma/qwen/deepseek community licenses, OpenRAIL use restrictions,
               copyleft — free for most, with conditions (acceptable use, MAU caps, share-alike).
2 RESTRICTED   `other` with a name we do not recognise, research-only, non-commercial,
               no-derivatives.
3 PROPRIETARY  proprietary, all rights reserved.
No license at all is *unknown* (None), not "restricted": the Hub is full of repos whose card
simply lacks metadata, and guessing there would raise false alarms.
"""

from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any


class Restrictiveness(IntEnum):
    PERMISSIVE = 0
    COMMUNITY = 1
    RESTRICTED = 2
    PROPRIETARY = 3


_PERMISSIVE = {
    "apache-2.0", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "isc",
    "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "unlicense", "mpl-2.0",
    "bsl-1.0", "zlib", "afl-3.0", "artistic-2.0", "ecl-2.0", "postgresql", "pddl", "odc-by",
    "wtfpl", "ncsa",
}  # fmt: skip
_COMMUNITY = {
    "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "qwen",
    "tongyi-qianwen", "deepseek", "openrail", "openrail++", "bigscience-openrail-m",
    "creativeml-openrail-m", "bigscience-bloom-rail-1.0", "bigcode-openrail-m",
    "nvidia-open-model-license", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0",
    "agpl-3.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "odbl", "apple-ascl",
}  # fmt: skip
_RESTRICTED_MARKERS = ("research", "non-commercial", "noncommercial", "-nc", "-nd", "mrl")
_PROPRIETARY_MARKERS = ("proprietary", "all-rights-reserved", "closed")
_COMMUNITY_MARKERS = ("llama", "gemma", "openrail", "community")


@dataclass(frozen=True)
class License:
    id: str | None = None
    name: str | None = None
    link: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "License":
        data = data or {}
        return cls(id=data.get("license"), name=data.get("license_name"), link=data.get("license_link"))

    def as_dict(self) -> dict[str, str | None]:
        return {"license": self.id, "license_name": self.name, "license_link": self.link}

    @property
    def is_known(self) -> bool:
        return any(asdict(self).values())

    @property
    def label(self) -> str | None:
        """The most telling single word: the real name behind `other`, else the id."""
        if self.id in (None, "other") and self.name:
            return self.name
        return self.id


def normalise(value: object) -> str | None:
    """Lower-case, trimmed, empty → None; the Hub sometimes sends a list of licenses."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def restrictiveness(license: License) -> Restrictiveness | None:
    rank = _rank_of_label(normalise(license.label))
    if rank is None and normalise(license.id) == "other":
        return Restrictiveness.RESTRICTED  # a custom license we do not recognise: assume strings
    return rank


def _rank_of_label(label: str | None) -> Restrictiveness | None:
    if label is None:
        return None
    if label in _PERMISSIVE:
        return Restrictiveness.PERMISSIVE
    if label in _COMMUNITY:
        return Restrictiveness.COMMUNITY
    if any(marker in label for marker in _PROPRIETARY_MARKERS):
        return Restrictiveness.PROPRIETARY
    if any(marker in label for marker in _RESTRICTED_MARKERS) or label == "other":
        return Restrictiveness.RESTRICTED
    if any(marker in label for marker in _COMMUNITY_MARKERS):
        return Restrictiveness.COMMUNITY
    if label.startswith("cc-by"):  # cc-by-* without nc/nd (those matched above)
        return Restrictiveness.PERMISSIVE
    return None
