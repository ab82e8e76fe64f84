from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import Client, Membership, Organization
from apps.reports.models import ShareLink
from apps.reports.services import share_token_hash


def client_for_organization(*, organization: Organization, client_slug: str) -> Client:
    client = Client.objects.filter(organization=organization, slug=client_slug).first()
    if client is None:
        raise Http404("No such client.")
    return client


def clients_for_reports(*, organization: Organization) -> QuerySet[Client]:
    return organization.clients.order_by("name")


def share_links_for_organization(*, organization: Organization) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(organization=organization).select_related("client", "created_by")


def share_link_for_organization(*, organization: Organization, link_id: int) -> ShareLink:
    link = share_links_for_organization(organization=organization).filter(pk=link_id).first()
    if link is None:
        raise Http404("No such share link.")
    return link


def share_link_for_token(*, raw: str) -> ShareLink | None:
    return (
        ShareLink.objects.select_related("organization", "client")
        .filter(token_hash=share_token_hash(raw))
        .first()
    )


def client_viewers(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization, role=Membership.Role.CLIENT)
        .select_related("user", "client")
        .order_by("client__name", "user__username")
    )
