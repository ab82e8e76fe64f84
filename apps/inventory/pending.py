"""An uploaded sheet carried from its preview to its commit inside the page, signed against tampering.

Nothing is stored on the server between the two steps; the commit re-reads and re-checks the file.
"""

import base64

from django.core import signing

SALT = "inventory-import"
MAX_AGE_SECONDS = 3600


class PendingUploadExpired(Exception):
    pass


def encode_pending_upload(filename: str, content: bytes) -> str:
    return signing.dumps(
        {"name": filename, "data": base64.b64encode(content).decode()}, compress=True, salt=SALT
    )


def decode_pending_upload(token: str) -> tuple[str, bytes]:
    try:
        pending = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature as error:
        raise PendingUploadExpired("The preview expired: upload the file again.") from error
    return pending["name"], base64.b64decode(pending["data"])
