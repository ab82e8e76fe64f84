"""requirements.lock pins every transitive dependency; it must agree with what the requirements name."""

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := PIN.match(line.strip()):
            found[canonical(match.group(1))] = match.group(2)
    return found


def test_every_requirement_is_pinned_in_the_lock_at_the_same_version():
    lock = pins(PROJECT / "requirements.lock")
    wanted = pins(PROJECT / "requirements.txt") | pins(PROJECT / "requirements-dev.txt")
    stale = {name: (version, lock.get(name)) for name, version in wanted.items() if lock.get(name) != version}
    assert not stale, f"requirements.lock is stale, run `make lock` (requirement, lock): {stale}"


def test_every_runtime_requirement_is_pinned_exactly():
    for line in (PROJECT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert PIN.match(line), f"not pinned with ==: {line}"
