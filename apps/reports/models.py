from django.conf import settings
from django.db import models
from django.utils import timezone


class ShareLink(models.Model):
    """A read-only link to one client's report for people without an account.

    Only the sha256 of the token is stored (the token is shown once). `mode` is `live` (the report
    as it is when opened) or `frozen` (the report as it was when the link was made, kept in
    `snapshot`). A revoked or expired link answers 410 on the next request, also to a browser that
    opened it before: the session holds only the link's id, and every request checks the link again.
    """

    class Mode(models.TextChoices):
        LIVE = "live", "Live (always current)"
        FROZEN = "frozen", "Frozen (as it is now)"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="share_links"
    )
    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    mode = models.CharField(max_length=6, choices=Mode, default=Mode.LIVE)
    snapshot = models.JSONField(null=True, blank=True, help_text="The report data of a frozen link.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    opens = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="sharelink_org_created")]

    def __str__(self) -> str:
        return f"Share link #{self.pk} for {self.client}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"


class ShareLinkOpen(models.Model):
    """The access log of a share link: one row per view of the shared page."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="access_log")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.link} opened {self.opened_at:%Y-%m-%d %H:%M}"
