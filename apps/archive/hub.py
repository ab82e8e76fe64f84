"""Reading a Hugging Face repository at a pinned revision through `huggingface_hub`, streaming.

`HF_ENDPOINT` is honoured as read now (huggingface_hub reads it once at import), `HF_TOKEN` too.
The file list comes from `HfApi.model_info(…, files_metadata=True)` at the revision, which also pins
it to a commit; each file is then streamed from `hf_hub_url(…, revision=<commit>)` through
huggingface_hub's HTTP session into a `Tee` that hashes each chunk and hands it to every location's
writer: one download, one hash, any number of copies, and memory bounded by one chunk whatever the
file size.
"""

import hashlib
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass

import httpx2
from huggingface_hub import HfApi, constants, hf_hub_url
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

from apps.archive.storage import Writer, safe_relative

CAPTURED_LIMIT = 1024 * 1024  # licence and model card kept in the database up to this size
DOWNLOAD_ATTEMPTS = 5
TRANSIENT = (httpx2.ConnectError, httpx2.TimeoutException, httpx2.RemoteProtocolError, httpx2.ReadError)
logger = logging.getLogger(__name__)


def _read_bigger_chunks() -> None:
    """huggingface_hub's HTTP client (httpx2 over httpcore2) reads 64 KiB per socket read, and parsing
    each read in Python was ~40 % of archiving a 2 GB repository (tests/bench/bench_archive.py). 1 MiB
    reads are the same protocol in 16× fewer steps; a read still returns whatever has arrived, so
    nothing else in the process changes behaviour. Skipped if a future httpcore2 renames the knob."""
    try:
        from httpcore2._sync.http11 import HTTP11Connection
    except ImportError:  # pragma: no cover
        return
    if getattr(HTTP11Connection, "READ_NUM_BYTES", 0) < READ_NUM_BYTES:
        HTTP11Connection.READ_NUM_BYTES = READ_NUM_BYTES


READ_NUM_BYTES = 1024 * 1024
_read_bigger_chunks()


class SourceError(ValueError):
    pass


@dataclass(frozen=True)
class HubSource:
    repo_id: str  # OWNER/REPO
    revision: str | None  # None = the current commit

    @property
    def source(self) -> str:
        return f"hf:{self.repo_id}"


def parse_source(text: str) -> HubSource:
    text = text.strip()
    if not text.startswith("hf:"):
        raise SourceError(f"{text!r}: a source is hf:OWNER/REPO[@REVISION].")
    spec = text[3:]
    repo_id, _, revision = spec.partition("@")
    owner, _, name = repo_id.partition("/")
    if not owner or not name or "/" in name or owner in (".", "..") or name in (".", ".."):
        raise SourceError(f"{text!r}: the repository is OWNER/REPO, e.g. hf:Qwen/Qwen3.5-0.8B.")
    if "@" in spec and not revision:
        raise SourceError(f"{text!r}: nothing after @; give a revision or leave @ out.")
    return HubSource(repo_id=repo_id, revision=revision or None)


def hub_endpoint() -> str | None:
    return os.environ.get("HF_ENDPOINT") or None


@dataclass(frozen=True)
class RepoFile:
    path: str
    size: int
    lfs_sha256: str | None


@dataclass(frozen=True)
class RepoSnapshot:
    repo_id: str
    commit: str
    files: list[RepoFile]
    license_id: str


def repo_snapshot(source: HubSource) -> RepoSnapshot:
    """The repository's files (with sizes) at the revision, and the commit that revision is now."""
    api = HfApi(endpoint=hub_endpoint(), token=os.environ.get("HF_TOKEN") or None)
    info = api.model_info(source.repo_id, revision=source.revision, files_metadata=True)
    if not info.sha:
        raise SourceError(f"The Hub did not say which commit {source.repo_id} is at.")
    files = [
        RepoFile(
            path=safe_relative(sibling.rfilename),
            size=sibling.size or 0,
            lfs_sha256=sibling.lfs.sha256 if sibling.lfs else None,
        )
        for sibling in info.siblings or []
    ]
    if not files:
        raise SourceError(f"{source.repo_id} has no files at {source.revision or 'its current revision'}.")
    card = info.card_data
    license_id = (getattr(card, "license", None) or "") if card else ""
    if license_id == "other" and card is not None and getattr(card, "license_name", None):
        license_id = card.license_name
    return RepoSnapshot(repo_id=source.repo_id, commit=info.sha, files=files, license_id=str(license_id))


class Tee:
    """A write-only file object for http_get: hashes, counts and forwards every chunk."""

    def __init__(self, writers: list[Writer], *, on_bytes=None, capture: bool = False):
        self.writers = writers
        self.hash = hashlib.sha256()
        self.written = 0
        self.on_bytes = on_bytes
        self.captured = bytearray() if capture else None

    def write(self, chunk: bytes) -> int:
        self.hash.update(chunk)
        for writer in self.writers:
            writer.write(chunk)
        self.written += len(chunk)
        if self.captured is not None and len(self.captured) < CAPTURED_LIMIT:
            self.captured += chunk[: CAPTURED_LIMIT - len(self.captured)]
        if self.on_bytes is not None:
            self.on_bytes(len(chunk))
        return len(chunk)

    def tell(self) -> int:
        return self.written

    def seek(self, offset: int, whence: int = 0) -> int:
        # Only a server that ignores a resume's Range header would make us rewind; the writers cannot
        # take bytes back, so the archive fails on this file and the next attempt fetches it whole.
        raise OSError("the server restarted a resumed download; archive again to fetch the file whole")


def stream_file(*, snapshot: RepoSnapshot, file: RepoFile, tee: Tee) -> None:
    """Stream one file into the tee through huggingface_hub's HTTP session (its headers, redirects and
    error mapping). A dropped connection resumes with a Range request where the tee stopped, as
    huggingface_hub's own `http_get` does, without its 10 MB re-chunking (a copy per chunk)."""
    url = hf_hub_url(snapshot.repo_id, file.path, revision=snapshot.commit, endpoint=hub_endpoint())
    headers = build_hf_headers(token=os.environ.get("HF_TOKEN") or None)
    headers["Accept-Encoding"] = "identity"  # the bytes as stored, so the size and hash are the file's
    for attempt in range(DOWNLOAD_ATTEMPTS):
        resume_at = tee.written
        wanted = headers | ({"Range": f"bytes={resume_at}-"} if resume_at else {})
        try:
            with get_session().stream(
                "GET", url, headers=wanted, timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT
            ) as response:
                hf_raise_for_status(response)
                if resume_at and response.status_code != 206:
                    tee.seek(0)  # the server ignored the Range: raises, the file is fetched again
                _pipelined(response.iter_bytes(), tee.write)
            return
        except TRANSIENT as error:
            if attempt == DOWNLOAD_ATTEMPTS - 1:
                raise
            logger.warning(
                "Download of %s interrupted (%s); resuming at byte %s", file.path, error, tee.written
            )
            time.sleep(min(2**attempt, 8))


PIPELINE_DEPTH = 16  # chunks of ≤ 1 MiB in flight between the reader and the hasher/writers: ≤ 16 MiB


def _pipelined(chunks, consume) -> None:
    """Receive on a thread while this one hashes and writes: parsing HTTP, hashing and writing each
    take a core's worth of time, and the socket, hashlib and file writes all release the GIL. The
    bounded queue keeps memory constant; an error on either side stops both and is raised here."""
    handoff: queue.Queue = queue.Queue(maxsize=PIPELINE_DEPTH)
    stop = threading.Event()
    failure: list[BaseException] = []

    def receive() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        handoff.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as error:  # handed to the consuming thread, which raises it
            failure.append(error)
        finally:
            while not stop.is_set():
                try:
                    handoff.put(_END, timeout=0.1)
                    break
                except queue.Full:
                    continue

    receiver = threading.Thread(target=receive, name="archive-download", daemon=True)
    receiver.start()
    try:
        while (chunk := handoff.get()) is not _END:
            consume(chunk)
    finally:
        stop.set()
        receiver.join()
    if failure:
        raise failure[0]


_END = object()
