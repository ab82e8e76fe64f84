"""Secrets at rest (endpoint API keys, webhook signing secrets): Fernet (AES-128-CBC + HMAC-SHA256).

The key is ``settings.RISKBOARD_FIELD_KEY`` (a Fernet key, ``Fernet.generate_key()``) or, when that
is unset, one derived from SECRET_KEY — so rotating SECRET_KEY without setting a field key makes
stored secrets unreadable (they then count as missing, and the page asks for them again).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "RISKBOARD_FIELD_KEY", None)
    if not key:
        digest = hashlib.sha256(b"riskboard-field-key:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def encrypt_secret(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode() if plaintext else ""


def decrypt_secret(token: str) -> str | None:
    """The plaintext, or None when there is none or it was encrypted under another key."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
