"""Benchmark: the repository scanner against ripgrep on the same tree.

    .venv/bin/python tests/bench/bench_scanner.py [TREE] [--repeat N]

TREE defaults to this virtualenv's site-packages (hundreds of MB). ripgrep searches the same tree,
case-insensitively, for the keywords the scanner's rules are triggered by, with the same exclusions as
far as ripgrep can express them (hidden files searched, .gitignore honoured without a .git, dependency
folders, lockfiles, binary extensions and files over the size limit skipped). Each tool runs once to
warm the page cache, then REPEAT times; the best wall time of each is compared. Target: ≤ 5x.
"""

import argparse
import os
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from apps.scanner.engine import MAX_FILE_BYTES, scan_tree
from apps.scanner.rules import ALL_RULES
from apps.scanner.walker import (
    BINARY_EXTENSIONS,
    SKIPPED_DIRECTORIES,
    SKIPPED_DIRECTORY_SUFFIXES,
    SKIPPED_FILE_SUFFIXES,
    SKIPPED_FILES,
)

TARGET_RATIO = 5.0
RG = Path(sys.executable).parent / "rg"


def ripgrep_command(tree: Path) -> list[str]:
    keywords = sorted({trigger for rule in ALL_RULES for trigger in rule.triggers})
    globs = [f"!{name}/" for name in sorted(SKIPPED_DIRECTORIES)]
    globs += [f"!*{suffix}/" for suffix in SKIPPED_DIRECTORY_SUFFIXES]
    globs += [f"!{name}" for name in sorted(SKIPPED_FILES)]
    globs += [f"!*{suffix}" for suffix in SKIPPED_FILE_SUFFIXES]
    globs += [f"!*.{extension}" for extension in sorted(BINARY_EXTENSIONS)]
    command = [str(RG), "--line-number", "--ignore-case", "--hidden", "--no-require-git", "--no-messages"]
    command += ["--max-filesize", str(MAX_FILE_BYTES)]
    for glob in globs:
        command += ["--glob", glob]
    command += ["--regexp", "|".join(re.escape(keyword) for keyword in keywords), "."]
    return command


def time_ripgrep(tree: Path) -> tuple[float, int]:
    started = time.perf_counter()
    # Output goes to a pipe, not /dev/null, so ripgrep cannot stop at a file's first match.
    completed = subprocess.run(ripgrep_command(tree), cwd=tree, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"ripgrep failed: {completed.stderr.decode(errors='replace')}")
    return elapsed, completed.stdout.count(b"\n")


def time_scanner(tree: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = scan_tree(tree)
    elapsed = time.perf_counter() - started
    return elapsed, result.files_scanned, len(result.findings)


def tree_size(tree: Path) -> tuple[int, int]:
    files = size = 0
    for directory, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tree", nargs="?", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tree: Path = args.tree.resolve()
    if not RG.exists():
        raise SystemExit(f"ripgrep not found at {RG} (pip install ripgrep)")

    files, size = tree_size(tree)
    print(f"tree: {tree} ({files} files, {size / 1e6:.0f} MB), CPUs: {len(os.sched_getaffinity(0))}")
    time_ripgrep(tree)  # warm the page cache for both
    time_scanner(tree)
    scanner_times, rg_times = [], []
    for _ in range(args.repeat):
        rg_seconds, rg_lines = time_ripgrep(tree)
        scan_seconds, scanned, findings = time_scanner(tree)
        rg_times.append(rg_seconds)
        scanner_times.append(scan_seconds)
    scanner_best, rg_best = min(scanner_times), min(rg_times)
    ratio = scanner_best / rg_best
    print(
        f"scanner: {scanner_best:.2f}s best of {args.repeat} ({scanned} files scanned, {findings} findings)"
    )
    print(f"ripgrep: {rg_best:.2f}s best of {args.repeat} ({rg_lines} matching lines)")
    print(
        f"ratio:   {ratio:.1f}x (target ≤ {TARGET_RATIO:.0f}x) {'OK' if ratio <= TARGET_RATIO else 'SLOWER THAN TARGET'}"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
