from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from apps.accounts.models import Client, Membership, Organization

User = get_user_model()


@transaction.atomic
def organization_create(
    *, slug: str, name: str, kind: str = Organization.Kind.COMPANY
) -> tuple[Organization, bool]:
    """Create an organization; an existing slug is left as it is (idempotent, for scripted set-ups)."""
    existing = Organization.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    organization = Organization(slug=slug, name=name, kind=kind)
    organization.full_clean()
    organization.save()
    return organization, True


@transaction.atomic
def client_create(*, organization: Organization, name: str) -> Client:
    if not organization.is_agency:
        raise ValidationError("Only an agency keeps clients.")
    client = Client(organization=organization, name=name, slug=slugify(name)[:60])
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def membership_add(*, organization: Organization, username_or_email: str, role: str) -> Membership:
    lookup = username_or_email.strip()
    user = (
        User.objects.filter(username__iexact=lookup).first()
        or User.objects.filter(email__iexact=lookup).first()
    )
    if user is None:
        raise ValidationError({"username_or_email": f"No user '{lookup}'. Ask them to get an account first."})
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"username_or_email": f"{user} is already a member."})
    membership = Membership(organization=organization, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _ensure_an_admin_remains(membership: Membership) -> None:
    other_admins = Membership.objects.filter(
        organization=membership.organization, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and not other_admins.exists():
        raise ValidationError("An organization needs at least one admin.")


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role != Membership.Role.ADMIN:
        _ensure_an_admin_remains(membership)
    membership.role = role
    if role != Membership.Role.CLIENT:
        membership.client = None  # a client viewer made staff is no longer bound to the client
    membership.full_clean()
    membership.save(update_fields=["role", "client"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    _ensure_an_admin_remains(membership)
    membership.delete()


DEFAULT_ORGANIZATION_SLUG = "default"


def organization_for_command(*, slug: str | None) -> Organization:
    """For commands that import data: the named organization, the only one there is, or (on a fresh
    installation with none at all) a "default" organization made for the purpose, so a first
    `import_results` or `watch` just works; rename it in the admin later."""
    from apps.accounts.selectors import organization_by_slug_or_only

    if not slug and not Organization.objects.exists():
        organization, _ = organization_create(slug=DEFAULT_ORGANIZATION_SLUG, name="Default organization")
        return organization
    return organization_by_slug_or_only(slug=slug)
