"""Tell an archive payload from a JSON document by its first bytes (no Django)."""

ARCHIVE_MAGIC = (
    b"PK\x03\x04",  # zip
    b"PK\x05\x06",  # empty zip
    b"\x1f\x8b",  # gzip (.tar.gz, .tgz)
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
)
TAR_MAGIC_OFFSET = 257


def is_archive_payload(payload: bytes) -> bool:
    if payload.startswith(ARCHIVE_MAGIC):
        return True
    return payload[TAR_MAGIC_OFFSET : TAR_MAGIC_OFFSET + 5] == b"ustar"
