from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Organization
from apps.accounts.services import organization_create


class Command(BaseCommand):
    help = "Create an organization (idempotent: an existing slug is left as it is)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", choices=Organization.Kind.values, default=Organization.Kind.COMPANY)

    def handle(self, *args, slug: str, name: str, kind: str, **options):
        try:
            organization, created = organization_create(slug=slug, name=name, kind=kind)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        verb = "Created" if created else "Already exists:"
        self.stdout.write(f"{verb} {organization.slug} ({organization.get_kind_display()})")
