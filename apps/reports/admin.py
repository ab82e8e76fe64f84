from django.contrib import admin

from apps.reports.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Links are made in the app or by `manage.py share` (the token is shown once there); staff only
    look and revoke by setting `revoked_at`."""

    list_display = ["id", "client", "organization", "mode", "created_at", "expires_at", "revoked_at", "opens"]
    list_filter = ["mode", "organization"]
    exclude = ["token_hash", "snapshot"]
    readonly_fields = [
        "organization",
        "client",
        "mode",
        "created_by",
        "expires_at",
        "last_opened_at",
        "opens",
    ]

    def has_add_permission(self, request) -> bool:
        return False
