"""Reading a Hugging Face repository at a pinned revision through `huggingface_hub`, streaming.

`HF_ENDPOINT` is honoured as read now (huggingface_hub reads it once at import), `HF_TOKEN` too.
A file goes through `huggingface_hub.file_download.http_get` (its retries and resume-by-Range) into a
`Tee` that hashes each chunk and hands it to every location's writer: one download, one hash, any
number of copies, and memory bounded by one chunk whatever the file size.
"""

import hashlib
import os
from dataclasses import dataclass

from huggingface_hub import HfApi, hf_hub_url
from huggingface_hub.file_download import http_get
from huggingface_hub.utils import build_hf_headers

from apps.archive.storage import Writer, safe_relative

CAPTURED_LIMIT = 1024 * 1024  # licence and model card kept in the database up to this size


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
        # http_get rewinds only when a server ignored its Range header on a resumed download; our
        # writers cannot take bytes back, so the file is downloaded again from the start instead.
        raise OSError("the server restarted a resumed download; the file is fetched again")

    def truncate(self, size: int | None = None) -> int:
        raise OSError("the server restarted a resumed download; the file is fetched again")


def stream_file(*, snapshot: RepoSnapshot, file: RepoFile, tee: Tee) -> None:
    url = hf_hub_url(snapshot.repo_id, file.path, revision=snapshot.commit, endpoint=hub_endpoint())
    headers = build_hf_headers(token=os.environ.get("HF_TOKEN") or None)
    headers["Accept-Encoding"] = "identity"  # the bytes as stored, so the size and hash are the file's
    http_get(url, tee, headers=headers, expected_size=file.size or None, displayed_filename=file.path)
