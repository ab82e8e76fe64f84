"""Demo tenants and people for `seed_demo`: a company and an agency with clients."""

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.accounts.models import Client, Membership, Organization

DEMO_PASSWORD = "riskboard-demo"

DEMO_USERS = (
    # username, role in both demo organizations, staff
    ("demo", Membership.Role.ADMIN, True),
    ("maria.ops", Membership.Role.EDITOR, False),
    ("lena.cmo", Membership.Role.VIEWER, False),
)


@transaction.atomic
def seed_accounts() -> dict[str, Organization]:
    User = get_user_model()
    northwind, _ = Organization.objects.get_or_create(
        slug="northwind", defaults={"name": "Northwind Software", "kind": Organization.Kind.COMPANY}
    )
    brightline, _ = Organization.objects.get_or_create(
        slug="brightline", defaults={"name": "Brightline Agency", "kind": Organization.Kind.AGENCY}
    )
    for client_slug, client_name in (
        ("helix-health", "Helix Health"),
        ("cartwheel-retail", "Cartwheel Retail"),
        ("pulse-fitness", "Pulse Fitness"),
    ):
        Client.objects.get_or_create(
            organization=brightline, slug=client_slug, defaults={"name": client_name}
        )
    for username, role, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.com", "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for organization in (northwind, brightline):
            Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    return {"northwind": northwind, "brightline": brightline}
