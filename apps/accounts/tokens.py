"""Organization API tokens for the ingest API: made, checked, listed and revoked here.

A token is `rb_` + 43 URL-safe characters from `secrets` (256 bits). Only its sha256 is stored,
so the plaintext is shown once, when it is made; `prefix` keeps enough of it to recognise it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import ApiToken, Organization

TOKEN_PREFIX = "rb_"
TOKEN_BYTES = 32
SHOWN_PREFIX_LENGTH = 10
# last_used_at is written at most this often, so a busy producer does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    organization: Organization,
    name: str,
    created_by: AbstractBaseUser | None = None,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; returns it with its plaintext, which is never stored and cannot be shown again."""
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationError({"expires_in_days": "A token must live at least one day."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        organization=organization,
        name=name.strip(),
        prefix=raw[:SHOWN_PREFIX_LENGTH],
        token_hash=token_hash(raw),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token with this plaintext, or None (unknown, revoked or expired); notes its use."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("organization").filter(token_hash=token_hash(raw)).first()
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_list(*, organization: Organization) -> QuerySet[ApiToken]:
    return organization.api_tokens.select_related("created_by").order_by("revoked_at", "-created_at")


def api_token_get(*, organization: Organization, token_id: int) -> ApiToken:
    """The organization's token, or 404: another tenant's token does not exist for this one."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ApiToken, pk=token_id, organization=organization)
