"""`manage.py share create|revoke|list`: share links to a client's report (docs/contracts.md).

`create` prints the URL alone on stdout, once (only a hash of its token is stored).
"""

import json as json_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Client
from apps.accounts.selectors import organization_by_slug_or_only
from apps.reports import selectors, services
from apps.reports.models import ShareLink


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


class Command(BaseCommand):
    help = "Create, revoke or list share links to clients' exposure reports."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a link to a client's report and print its URL once.")
        create.add_argument("--organization")
        create.add_argument("--client", required=True, help="Client slug.")
        create.add_argument("--days", type=int, default=services.DEFAULT_DAYS)
        create.add_argument(
            "--frozen", action="store_true", help="Keep the report as it is now (default: always current)."
        )
        revoke = actions.add_parser("revoke", help="End a link at once.")
        revoke.add_argument("link_id", type=int, metavar="ID")
        revoke.add_argument("--organization")
        listing = actions.add_parser("list", help="List links with their opens (never their tokens).")
        listing.add_argument("--organization")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, action: str, organization: str | None = None, **options):
        org = organization_by_slug_or_only(slug=organization)
        getattr(self, f"_{action}")(org, **options)

    def _create(self, org, *, client: str, days: int, frozen: bool, **options):
        chosen = Client.objects.filter(organization=org, slug=client).first()
        if chosen is None:
            known = ", ".join(org.clients.values_list("slug", flat=True)) or "none"
            raise CommandError(f"{org.slug} has no client '{client}' (clients: {known}).")
        mode = ShareLink.Mode.FROZEN if frozen else ShareLink.Mode.LIVE
        try:
            link, raw = services.share_link_create(organization=org, client=chosen, days=days, mode=mode)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"Share link #{link.pk} to {chosen.name}'s report ({link.mode}), ends {link.expires_at:%Y-%m-%d}. "
            "It is shown once:"
        )
        self.stdout.write(f"{settings.SITE_URL.rstrip('/')}/shared/{raw}/")

    def _revoke(self, org, *, link_id: int, **options):
        link = selectors.share_links_for_organization(organization=org).filter(pk=link_id).first()
        if link is None:
            raise CommandError(f"{org.slug} has no share link #{link_id}.")
        services.share_link_revoke(link=link)
        self.stderr.write(f"Share link #{link.pk} to {link.client.name}'s report is revoked.")

    def _list(self, org, *, json: bool = False, **options):
        links = list(selectors.share_links_for_organization(organization=org))
        if json:
            self._print_json(links)
            return
        for link in links:
            opened = (
                f"{link.opens} opens, last {link.last_opened_at:%Y-%m-%d %H:%M}"
                if link.opens
                else "never opened"
            )
            self.stdout.write(
                f"{link.pk}\t{link.client.slug}\t{link.state}\t{link.mode}\tends {link.expires_at:%Y-%m-%d}\t{opened}"
            )

    def _print_json(self, links):
        document = {
            "schema": "riskboard.share-list/1",
            "links": [
                {
                    "id": link.pk,
                    "client": link.client.slug,
                    "created_at": _iso(link.created_at),
                    "expires_at": _iso(link.expires_at),
                    "revoked_at": _iso(link.revoked_at),
                    "last_opened_at": _iso(link.last_opened_at),
                    "opens": link.opens,
                    "mode": link.mode,
                    "state": link.state,
                }
                for link in links
            ],
        }
        self.stdout.write(json_module.dumps(document, indent=2))
