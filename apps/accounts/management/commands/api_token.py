"""`manage.py api_token create|list|revoke`: organization API tokens for the ingest API.

`create` prints the token alone on stdout (so `TOKEN=$(manage.py api_token create …)` works) and
what it did on stderr; the token is not stored and cannot be shown again.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts import tokens
from apps.accounts.selectors import organization_by_slug_or_only


class Command(BaseCommand):
    help = "Create, list or revoke an organization's API tokens for the ingest API."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token and print it once.")
        create.add_argument("--organization", help="Organization slug (default: the only one).")
        create.add_argument("--name", required=True)
        create.add_argument("--expires-days", type=int, dest="expires_days", help="Expire after N days.")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--organization")
        revoke = actions.add_parser("revoke", help="Revoke a token by id, name or prefix.")
        revoke.add_argument("--organization")
        revoke.add_argument("token", help="The token's id, name or shown prefix (rb_…).")

    def handle(self, *args, action: str, organization: str | None = None, **options):
        org = organization_by_slug_or_only(slug=organization)
        getattr(self, f"_{action}")(org, **options)

    def _create(self, org, *, name: str, expires_days: int | None, **options):
        try:
            token, raw = tokens.api_token_create(organization=org, name=name, expires_in_days=expires_days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        expiry = f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
        self.stderr.write(
            f"Created token #{token.pk} '{token.name}' for {org.slug}{expiry}. It is shown once:"
        )
        self.stdout.write(raw)

    def _list(self, org, **options):
        for token in tokens.api_token_list(organization=org):
            state = "revoked" if token.revoked_at else ("active" if token.is_active else "expired")
            last_used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\tlast used {last_used}\texpires {expires}"
            )

    def _revoke(self, org, *, token: str, **options):
        candidates = tokens.api_token_list(organization=org).filter(revoked_at__isnull=True)
        matches = [
            candidate
            for candidate in candidates
            if token in (str(candidate.pk), candidate.name)
            or (token.startswith("rb_") and candidate.prefix == token)
        ]
        if len(matches) != 1:
            found = "no active token" if not matches else f"{len(matches)} active tokens"
            raise CommandError(f"{found} in {org.slug} match {token!r}; use the id from `api_token list`.")
        tokens.api_token_revoke(token=matches[0])
        self.stdout.write(f"Revoked token #{matches[0].pk} '{matches[0].name}'.")
