"""Helpers for building small trees to scan."""

from pathlib import Path


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel_path, content in files.items():
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def summary(result) -> list[tuple[str, int, str, str, str]]:
    return [(f.path, f.line, f.kind, f.identifier, f.vendor) for f in result.findings]
