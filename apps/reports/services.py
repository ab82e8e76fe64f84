"""Writes of the reports app: share links (made, opened, revoked) and client viewers."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import Client, Membership, Organization
from apps.reports.models import ShareLink, ShareLinkOpen
from apps.reports.sections import report_build

# 32 random bytes (256 bits) from `secrets`, URL-safe: 43 characters.
TOKEN_BYTES = 32
DEFAULT_DAYS = 30
MAX_DAYS = 365


def share_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def share_link_create(
    *,
    organization: Organization,
    client: Client,
    days: int = DEFAULT_DAYS,
    mode: str = ShareLink.Mode.LIVE,
    created_by: AbstractBaseUser | None = None,
) -> tuple[ShareLink, str]:
    """Make a link to the client's report; returns it with its token, which is never stored."""
    if client.organization_id != organization.pk:
        raise ValidationError({"client": "This client belongs to another organization."})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A link lives from 1 to {MAX_DAYS} days, not {days}."})
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(
        organization=organization,
        client=client,
        token_hash=share_token_hash(raw),
        mode=mode,
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    if mode == ShareLink.Mode.FROZEN:
        link.snapshot = report_build(organization=organization, client=client)
    link.full_clean()
    link.save()
    return link, raw


@transaction.atomic
def share_link_revoke(*, link: ShareLink) -> ShareLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def share_link_record_open(*, link: ShareLink) -> None:
    """One line in the access log, and the counters on the link (no read-modify-write race)."""
    now = timezone.now()
    with transaction.atomic():
        ShareLinkOpen.objects.create(link=link, opened_at=now)
        ShareLink.objects.filter(pk=link.pk).update(opens=F("opens") + 1, last_opened_at=now)


@transaction.atomic
def client_viewer_add(*, organization: Organization, client: Client, username_or_email: str) -> Membership:
    """Give an existing user read access to one client's report (and nothing else)."""
    if client.organization_id != organization.pk:
        raise ValidationError({"client": "This client belongs to another organization."})
    lookup = username_or_email.strip()
    User = get_user_model()
    user = (
        User.objects.filter(username__iexact=lookup).first()
        or User.objects.filter(email__iexact=lookup).first()
    )
    if user is None:
        raise ValidationError({"username_or_email": f"No user '{lookup}'. Ask them to get an account first."})
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"username_or_email": f"{user} is already a member of {organization}."})
    membership = Membership(organization=organization, user=user, role=Membership.Role.CLIENT, client=client)
    membership.full_clean()
    membership.save()
    return membership
