"""Storage locations behind one small interface: a filesystem path (a NAS mount) or an S3-compatible bucket.

Writers stream: a file location writes into `<root>/.riskboard-partial/…` and renames into the copy
folder when the file is complete (a crash never leaves a half file inside a copy); an S3 location
uploads in parts of PART_SIZE through a multipart upload that only becomes an object when completed.
Memory stays at one chunk per location whatever the file size.

The S3 endpoint comes from `RISKBOARD_S3_ENDPOINT_URL` (empty = AWS itself); credentials and region from
the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, profiles …).
"""

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings

PARTIAL_FOLDER = ".riskboard-partial"
READ_CHUNK = 8 * 1024 * 1024
PART_SIZE = 16 * 1024 * 1024  # S3 parts: at least 5 MiB except the last one


class LocationError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedLocation:
    scheme: str  # file | s3
    root: str  # absolute path, or bucket
    prefix: str = ""  # s3 key prefix without slashes at the ends


def parse_location(url: str) -> ParsedLocation:
    parts = urlsplit(url.strip())
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise LocationError(f"{url}: a file location is file:///absolute/path (no host).")
        if not parts.path.startswith("/") or parts.path == "/":
            raise LocationError(f"{url}: a file location needs an absolute path other than /.")
        return ParsedLocation("file", parts.path.rstrip("/"))
    if parts.scheme == "s3":
        if not parts.netloc:
            raise LocationError(f"{url}: an S3 location is s3://bucket/prefix.")
        return ParsedLocation("s3", parts.netloc, parts.path.strip("/"))
    raise LocationError(f"{url}: a location starts with file:/// or s3://.")


def safe_relative(path: str) -> str:
    """A repository path as we store it: `/` separators, no absolute or `..` parts."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise LocationError(f"unsafe file name in the repository: {path!r}")
    return pure.as_posix()


class Writer:
    def write(self, chunk: bytes) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


class Store:
    """One location. Paths are relative to the location's root, with `/` separators."""

    def writer(self, relative: str) -> Writer:
        raise NotImplementedError

    def write_bytes(self, relative: str, data: bytes) -> None:
        writer = self.writer(relative)
        try:
            writer.write(data)
            writer.commit()
        except BaseException:
            writer.abort()
            raise

    def size(self, relative: str) -> int | None:
        raise NotImplementedError

    def read_chunks(self, relative: str) -> Iterator[bytes]:
        """Raises FileNotFoundError when the file is absent."""
        raise NotImplementedError

    def list_files(self, folder: str) -> list[str]:
        """Every file under `folder`, relative to it."""
        raise NotImplementedError

    def delete(self, relative: str) -> None:
        raise NotImplementedError

    def clean_partials(self, folder: str) -> None:
        """Forget what a crashed write left behind for this copy folder."""


class FileStore(Store):
    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, relative: str) -> Path:
        return self.root / safe_relative(relative)

    def writer(self, relative: str) -> Writer:
        return _FileWriter(
            final=self._path(relative), partial=self.root / PARTIAL_FOLDER / safe_relative(relative)
        )

    def size(self, relative: str) -> int | None:
        try:
            return self._path(relative).stat().st_size
        except FileNotFoundError:
            return None

    def read_chunks(self, relative: str) -> Iterator[bytes]:
        with open(self._path(relative), "rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                yield chunk

    def list_files(self, folder: str) -> list[str]:
        base = self._path(folder)
        if not base.is_dir():
            return []
        return sorted(
            path.relative_to(base).as_posix()
            for path in base.rglob("*")
            if path.is_file() or path.is_symlink()
        )

    def delete(self, relative: str) -> None:
        self._path(relative).unlink(missing_ok=True)

    def clean_partials(self, folder: str) -> None:
        shutil.rmtree(self.root / PARTIAL_FOLDER / safe_relative(folder), ignore_errors=True)


class _FileWriter(Writer):
    def __init__(self, *, final: Path, partial: Path):
        self.final, self.partial = final, partial
        partial.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(partial, "wb")  # noqa: SIM115 (closed in commit/abort)

    def write(self, chunk: bytes) -> None:
        self.handle.write(chunk)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        self.final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.partial, self.final)

    def abort(self) -> None:
        self.handle.close()
        self.partial.unlink(missing_ok=True)


def s3_client():
    import boto3

    return boto3.client("s3", endpoint_url=getattr(settings, "RISKBOARD_S3_ENDPOINT_URL", "") or None)


class S3Store(Store):
    def __init__(self, bucket: str, prefix: str, client=None):
        self.bucket, self.prefix = bucket, prefix
        self.client = client or s3_client()

    def _key(self, relative: str) -> str:
        relative = safe_relative(relative)
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def writer(self, relative: str) -> Writer:
        return _S3Writer(self.client, self.bucket, self._key(relative))

    def size(self, relative: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(relative))["ContentLength"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def read_chunks(self, relative: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(relative))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(relative) from error
            raise
        try:
            yield from body.iter_chunks(READ_CHUNK)
        finally:
            body.close()

    def list_files(self, folder: str) -> list[str]:
        base = self._key(folder) + "/"
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=base):
            found += [item["Key"][len(base) :] for item in page.get("Contents", [])]
        return sorted(found)

    def delete(self, relative: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(relative))

    def clean_partials(self, folder: str) -> None:
        base = self._key(folder) + "/"
        uploads = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=base).get("Uploads", [])
        for upload in uploads:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
            )


class _S3Writer(Writer):
    def __init__(self, client, bucket: str, key: str):
        self.client, self.bucket, self.key = client, bucket, key
        self.buffer = bytearray()
        self.upload_id: str | None = None
        self.parts: list[dict] = []

    def write(self, chunk: bytes) -> None:
        self.buffer += chunk
        while len(self.buffer) >= PART_SIZE:
            self._send_part(bytes(self.buffer[:PART_SIZE]))
            del self.buffer[:PART_SIZE]

    def _send_part(self, data: bytes) -> None:
        if self.upload_id is None:
            self.upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=self.key)["UploadId"]
        number = len(self.parts) + 1
        answer = self.client.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=data
        )
        self.parts.append({"ETag": answer["ETag"], "PartNumber": number})

    def commit(self) -> None:
        if self.upload_id is None:
            self.client.put_object(Bucket=self.bucket, Key=self.key, Body=bytes(self.buffer))
        else:
            if self.buffer:
                self._send_part(bytes(self.buffer))
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self.key,
                UploadId=self.upload_id,
                MultipartUpload={"Parts": self.parts},
            )
        self.buffer = bytearray()

    def abort(self) -> None:
        self.buffer = bytearray()
        if self.upload_id is not None:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id)


def store_for(url: str) -> Store:
    location = parse_location(url)
    if location.scheme == "file":
        return FileStore(location.root)
    return S3Store(location.root, location.prefix)
