from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Organization(models.Model):
    """A tenant: a company, or an agency that keeps work for several clients."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        AGENCY = "agency", "Agency"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.COMPANY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organization_home", kwargs={"org_slug": self.slug})

    @property
    def is_agency(self) -> bool:
        return self.kind == self.Kind.AGENCY


class Client(models.Model):
    """A client of an agency; workflows and reports can be scoped to one."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="clients")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="client_unique_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"  # manages members, tokens and settings
        EDITOR = "editor", "Editor"  # marketing ops: logs and edits workflows, runs jobs
        VIEWER = "viewer", "Viewer"  # leadership: reads dashboards and reports
        # A client of an agency: reads that one client's report and nothing else. Ranked below every
        # staff role, so `has_role` refuses it everywhere; views that serve clients say so explicitly
        # (`organization_view(..., allow_client=True)`).
        CLIENT = "client", "Client viewer"

    # Higher rank can do everything a lower rank can.
    RANK = {Role.CLIENT: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}
    STAFF_ROLES = (Role.ADMIN, Role.EDITOR, Role.VIEWER)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.VIEWER)
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="viewer_memberships",
        help_text="Only for client viewers: the one client whose report they may read.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org"),
            # A client viewer is bound to exactly one client; staff roles to none.
            models.CheckConstraint(
                condition=(models.Q(role="client") & models.Q(client__isnull=False))
                | (~models.Q(role="client") & models.Q(client__isnull=True)),
                name="membership_client_iff_client_viewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    def clean(self) -> None:
        if self.role == self.Role.CLIENT and not self.client_id:
            raise ValidationError({"client": "A client viewer is bound to one client."})
        if self.role != self.Role.CLIENT and self.client_id:
            raise ValidationError({"client": "Only a client viewer is bound to a client."})
        if self.client_id and self.client.organization_id != self.organization_id:
            raise ValidationError({"client": "This client belongs to another organization."})

    @property
    def is_client_viewer(self) -> bool:
        return self.role == self.Role.CLIENT

    def has_role(self, role: str) -> bool:
        return self.RANK[self.Role(self.role)] >= self.RANK[self.Role(role)]

    @property
    def can_edit(self) -> bool:
        return self.has_role(self.Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.has_role(self.Role.ADMIN)


class ApiToken(models.Model):
    """An organization's token for the ingest API. Only the sha256 of the secret is stored."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="First characters of the token, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
