"""Safe extraction of an uploaded repository archive (.zip, .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz).

Every member is checked before anything is written: no absolute paths, no `..`, no links leading out
of the destination, no devices or FIFOs, and limits on the number of files and on the bytes actually
written (headers can lie about sizes, so the copy itself is metered). Directory entries count
against the file limit, and the member list is counted before it is read whole, so neither a
million empty directories nor a million headers cost more than the limit. Links that stay inside are not
recreated: the scanner never follows links anyway, and not creating them means no later member can be
written through one.
"""

import lzma
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

COPY_CHUNK_BYTES = 1024 * 1024
# A symlink member's data is its target path: anything longer than a path can be is refused unread
# (a 1 MB upload whose "symlink" inflated to gigabytes once took a worker to 2.1 GB).
MAX_LINK_TARGET_BYTES = 4096


DAMAGED_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    OSError,
    RuntimeError,  # an encrypted zip member
    NotImplementedError,  # a zip compression method the stdlib cannot read
    ValueError,
)


class UnsafeArchiveError(ValueError):
    """The archive is malformed, hostile or too big; the message names the member at fault."""


@dataclass(frozen=True)
class ExtractionLimits:
    max_total_bytes: int = 512 * 1024 * 1024
    max_files: int = 50_000


def is_archive(path: Path) -> bool:
    return zipfile.is_zipfile(path) or _is_tarfile(path)


def _is_tarfile(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


@contextmanager
def extracted_archive(archive: Path, *, limits: ExtractionLimits | None = None) -> Iterator[Path]:
    """Extract into a fresh temporary directory, yield it, and remove it afterwards."""
    with tempfile.TemporaryDirectory(prefix="riskboard-scan-") as directory:
        destination = Path(directory)
        extract_archive(archive, destination, limits=limits)
        yield destination


def extract_archive(archive: Path, destination: Path, *, limits: ExtractionLimits | None = None) -> int:
    """Extract `archive` into the (existing, empty) `destination`; return the number of files written."""
    limits = limits or ExtractionLimits()
    try:
        if zipfile.is_zipfile(archive):
            return _extract_zip(archive, destination, limits)
        if _is_tarfile(archive):
            return _extract_tar(archive, destination, limits)
    except UnsafeArchiveError:
        raise
    except DAMAGED_ARCHIVE_ERRORS as error:
        # Truncated or corrupt data, a bad CRC, an encrypted member or a compression we cannot read.
        raise UnsafeArchiveError(f"{archive.name} is damaged or unreadable: {error}") from error
    raise UnsafeArchiveError(f"{archive.name} is not a zip or tar archive")


class _Meter:
    def __init__(self, limits: ExtractionLimits) -> None:
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def count_file(self, member: str) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise UnsafeArchiveError(
                f"{member}: the archive has more than {self.limits.max_files} files, the most a scan accepts"
            )

    def copy(self, source: IO[bytes], target: Path, member: str) -> None:
        try:
            output = open(target, "xb")  # noqa: SIM115 - closed below; "x" never writes through a link
        except FileExistsError as error:
            raise UnsafeArchiveError(f"{member}: appears twice in the archive") from error
        with output:
            while chunk := source.read(COPY_CHUNK_BYTES):
                self.bytes += len(chunk)
                if self.bytes > self.limits.max_total_bytes:
                    raise UnsafeArchiveError(
                        f"{member}: the archive expands to more than {self.limits.max_total_bytes} bytes"
                    )
                output.write(chunk)


def _safe_target(destination: Path, name: str) -> Path:
    """Where `name` goes inside `destination`, or UnsafeArchiveError if it would land anywhere else."""
    if "\0" in name:
        raise UnsafeArchiveError(f"{name!r}: member name contains a NUL byte")
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        raise UnsafeArchiveError(f"{name}: absolute paths are not allowed in an archive")
    parts = [part for part in PurePosixPath(normalised).parts if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError(f"{name}: path traversal ('..') is not allowed in an archive")
    if not parts:
        raise UnsafeArchiveError(f"{name!r}: empty member name")
    target = destination.joinpath(*parts)
    root = destination.resolve()
    if not target.resolve().is_relative_to(root):
        raise UnsafeArchiveError(f"{name}: would be written outside the extraction directory")
    return target


def _link_stays_inside(member_name: str, link_target: str, *, relative_to_member: bool) -> bool:
    """Whether a link's target, read without touching the disk, stays under the archive's root.
    Symlinks are relative to their member's directory, tar hard links to the archive root."""
    normalised = link_target.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return False
    base = PurePosixPath(member_name.replace("\\", "/")).parent if relative_to_member else PurePosixPath()
    depth = 0
    for part in (*base.parts, *PurePosixPath(normalised).parts):
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part not in ("", "."):
            depth += 1
    return True


def _zip_entry_count(archive: Path) -> int:
    """The member count the zip's end record claims, read before the central directory is loaded."""
    with open(archive, "rb") as handle:
        end = zipfile._EndRecData(handle)  # the stdlib's own reader of the end record (zip64 aware)
    if end is None:
        raise UnsafeArchiveError(f"{archive.name} is not a readable zip archive")
    return end[zipfile._ECD_ENTRIES_TOTAL]


def _read_link_target(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    if info.file_size > MAX_LINK_TARGET_BYTES:
        raise UnsafeArchiveError(
            f"{info.filename}: a symlink whose target is {info.file_size:,} bytes long (at most "
            f"{MAX_LINK_TARGET_BYTES:,})"
        )
    with bundle.open(info) as source:
        return source.read(MAX_LINK_TARGET_BYTES + 1)[:MAX_LINK_TARGET_BYTES].decode(
            "utf-8", errors="replace"
        )


def _open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeArchiveError(f"{archive.name} is not a readable zip archive ({error})") from error


def _extract_zip(archive: Path, destination: Path, limits: ExtractionLimits) -> int:
    meter = _Meter(limits)
    if _zip_entry_count(archive) > limits.max_files:
        raise UnsafeArchiveError(
            f"the archive has more than {limits.max_files} entries (files and directories), the most a scan accepts"
        )
    with _open_zip(archive) as bundle:
        members = bundle.infolist()
        if len(members) > limits.max_files:
            raise UnsafeArchiveError(
                f"the archive has more than {limits.max_files} entries (files and directories), "
                "the most a scan accepts"
            )
        declared = 0
        for info in members:  # check everything before writing anything
            _safe_target(destination, info.filename)
            declared += info.file_size
            if declared > limits.max_total_bytes:
                raise UnsafeArchiveError(
                    f"{info.filename}: the archive expands to more than {limits.max_total_bytes} bytes"
                )
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                target = _read_link_target(bundle, info)
                if not _link_stays_inside(info.filename, target, relative_to_member=True):
                    raise UnsafeArchiveError(
                        f"{info.filename}: symlink points outside the archive ({target})"
                    )
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                raise UnsafeArchiveError(f"{info.filename}: device files, FIFOs and sockets are not allowed")
        for info in members:
            target = _safe_target(destination, info.filename)
            if info.is_dir():
                meter.count_file(info.filename)
                target.mkdir(parents=True, exist_ok=True)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            meter.count_file(info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as source:
                meter.copy(source, target, info.filename)
    return meter.files


def _tar_members(bundle: tarfile.TarFile, limits: ExtractionLimits) -> list[tarfile.TarInfo]:
    """The members, read one header at a time and stopped at the limits: reaching the next header
    means decompressing the data before it, so the declared sizes are totalled as we go."""
    members: list[tarfile.TarInfo] = []
    declared = 0
    while (member := bundle.next()) is not None:
        members.append(member)
        declared += member.size if member.isfile() else 0
        if len(members) > limits.max_files:
            raise UnsafeArchiveError(
                f"{member.name}: the archive has more than {limits.max_files} entries (files and directories), "
                "the most a scan accepts"
            )
        if declared > limits.max_total_bytes:
            raise UnsafeArchiveError(
                f"{member.name}: the archive expands to more than {limits.max_total_bytes} bytes"
            )
    return members


def _extract_tar(archive: Path, destination: Path, limits: ExtractionLimits) -> int:
    meter = _Meter(limits)
    with tarfile.open(archive, mode="r:*") as bundle:
        members = _tar_members(bundle, limits)
        for member in members:
            _safe_target(destination, member.name)
            if member.issym() and not _link_stays_inside(
                member.name, member.linkname, relative_to_member=True
            ):
                raise UnsafeArchiveError(
                    f"{member.name}: symlink points outside the archive ({member.linkname})"
                )
            if member.islnk() and not _link_stays_inside(
                member.name, member.linkname, relative_to_member=False
            ):
                raise UnsafeArchiveError(
                    f"{member.name}: hard link points outside the archive ({member.linkname})"
                )
            if (
                member.ischr()
                or member.isblk()
                or member.isfifo()
                or not (member.isfile() or member.isdir() or member.issym() or member.islnk())
            ):
                raise UnsafeArchiveError(f"{member.name}: device files, FIFOs and sockets are not allowed")
        for member in members:
            target = _safe_target(destination, member.name)
            if member.isdir():
                meter.count_file(member.name)
                target.mkdir(parents=True, exist_ok=True)
            elif member.islnk():
                # A hard link inside the archive is just a second name for a file: copy it if it exists.
                source_path = _safe_target(destination, member.linkname)
                if source_path.is_file() and not target.exists():
                    meter.count_file(member.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with open(source_path, "rb") as source:
                        meter.copy(source, target, member.name)
            elif member.isfile():
                meter.count_file(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                extracted = bundle.extractfile(member)
                if extracted is None:
                    raise UnsafeArchiveError(f"{member.name}: cannot be read")
                with extracted as source:
                    meter.copy(source, target, member.name)
    return meter.files


__all__ = ["ExtractionLimits", "UnsafeArchiveError", "extract_archive", "extracted_archive", "is_archive"]
