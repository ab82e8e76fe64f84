from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import Membership, Organization


def memberships_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def membership_for_user(*, user: AbstractBaseUser | AnonymousUser, org_slug: str) -> Membership:
    """The user's membership of the organization; 404 when there is none, so tenants stay invisible."""
    membership = memberships_for_user(user=user).filter(organization__slug=org_slug).first()
    if membership is None:
        raise Http404("No such organization.")
    return membership


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__username")


def organization_by_slug_or_only(*, slug: str | None) -> Organization:
    """For commands: the named organization, or the only one there is."""
    from django.core.management.base import CommandError

    if slug:
        try:
            return Organization.objects.get(slug=slug)
        except Organization.DoesNotExist as error:
            raise CommandError(f"No organization with slug '{slug}'.") from error
    organizations = list(Organization.objects.all()[:2])
    if len(organizations) == 1:
        return organizations[0]
    if not organizations:
        raise CommandError("There is no organization yet: create one with `manage.py org_create`.")
    raise CommandError("There are several organizations: name one with --organization SLUG.")
