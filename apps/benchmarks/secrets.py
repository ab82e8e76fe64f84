"""Endpoint API keys at rest: Fernet (AES-128-CBC + HMAC-SHA256) with the project's field key.

The key is ``settings.RISKBOARD_FIELD_KEY`` (a Fernet key, ``Fernet.generate_key()``) or, when that
is unset, one derived from SECRET_KEY — so rotating SECRET_KEY without setting a field key makes
stored endpoint keys unreadable (they then count as missing, and the page asks for them again).
"""

import base64
import hashlib
import os

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


# Editors may only name variables under this prefix: a key is sent to the endpoint's base URL, which an
# editor chooses, so any other variable (SECRET_KEY, DATABASE_URL, …) could be sent anywhere.
ENV_KEY_PREFIX = "RISKBOARD_ENDPOINT_KEY_"


def env_name_allowed(name: str) -> bool:
    return name.startswith(ENV_KEY_PREFIX) and name[len(ENV_KEY_PREFIX) :].replace("_", "").isalnum()


def resolve_api_key(*, encrypted: str, env_name: str) -> str | None:
    """The key to send: the named environment variable (under ENV_KEY_PREFIX only) wins over a stored key."""
    if env_name:
        return os.environ.get(env_name) or None if env_name_allowed(env_name) else None
    return decrypt_secret(encrypted)
