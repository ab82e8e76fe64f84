"""scan_tree: list a tree's files, scan each one, and gather the findings in a stable order.

Small trees are scanned in-process. Big ones are split into batches over a process pool (the work is
CPU-bound Python, so threads would not help); the result is the same either way.
"""

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import current_process, get_all_start_methods, get_context
from pathlib import Path

from apps.scanner.findings import Finding, ScanResult
from apps.scanner.matcher import scan_bytes
from apps.scanner.walker import list_files

Progress = Callable[[int, int], None]  # (files done, files in total)

MAX_FILE_BYTES = 4 * 1024 * 1024  # bigger text files are data dumps, not configuration
BINARY_SNIFF_BYTES = 8192  # like git: a NUL byte in the first 8 KiB means binary
PARALLEL_MIN_FILES = 2000  # below this, starting processes costs more than it saves
BATCH_SIZE = 200
PROGRESS_EVERY = 250


@dataclass(slots=True)
class _BatchResult:
    scanned: int
    skipped: int
    findings: list[Finding]


def scan_tree(root: Path, *, progress: Progress | None = None, workers: int | None = None) -> ScanResult:
    """Scan every text file under `root` that is not ignored, vendored or binary.

    `workers` defaults to the CPUs available, and is only used for trees of PARALLEL_MIN_FILES files or
    more; pass 1 to stay in this process.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a directory")
    listing = list_files(root)
    total = len(listing.files)
    result = ScanResult(root=str(root), files_skipped=listing.skipped)
    if progress:
        progress(0, total)

    workers = workers or _available_cpus()
    # A daemonic process (a Celery prefork worker) may not start children: scan in-process there.
    if workers > 1 and total >= PARALLEL_MIN_FILES and not current_process().daemon:
        batches = _scan_in_processes(str(root), listing.files, workers)
    else:
        batches = _scan_here(str(root), listing.files)
    done = 0
    for batch in batches:
        result.files_scanned += batch.scanned
        result.files_skipped += batch.skipped
        result.findings.extend(batch.findings)
        done += batch.scanned + batch.skipped
        if progress:
            progress(done, total)
    result.findings.sort(key=Finding.sort_key)
    return result


def _scan_here(root: str, files: list[str]) -> Iterator[_BatchResult]:
    for start in range(0, len(files), PROGRESS_EVERY):
        yield _scan_batch(root, files[start : start + PROGRESS_EVERY])


def _scan_in_processes(root: str, files: list[str], workers: int) -> Iterator[_BatchResult]:
    # fork shares the already-imported rule tables; elsewhere the default method re-imports them.
    context = get_context("fork" if "fork" in get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(_scan_batch, root, files[start : start + BATCH_SIZE])
            for start in range(0, len(files), BATCH_SIZE)
        ]
        for future in as_completed(futures):
            yield future.result()


def _scan_batch(root: str, rel_paths: list[str]) -> _BatchResult:
    batch = _BatchResult(scanned=0, skipped=0, findings=[])
    for rel_path in rel_paths:
        data = _read_text(os.path.join(root, rel_path))
        if data is None:
            batch.skipped += 1
            continue
        batch.scanned += 1
        batch.findings.extend(scan_bytes(rel_path, data))
    return batch


def _read_text(path: str) -> bytes | None:
    """The file's bytes, or None when it is unreadable, too large or binary."""
    # os.open/fstat/read: half the cost of open() for the many small files of a big tree.
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.fstat(descriptor).st_size
        if size > MAX_FILE_BYTES:
            return None
        data = os.read(descriptor, size)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return None
    return data


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
