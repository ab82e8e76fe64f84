from django.contrib import admin

from apps.watch.models import AlertRule, Notification, Signal, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Staff create shared sources here (no organization: they feed every organization)."""

    list_display = [
        "spec",
        "organization",
        "enabled",
        "poll_interval_minutes",
        "last_success_at",
        "last_error",
    ]
    list_filter = ["kind", "enabled", "organization"]
    search_fields = ["spec"]
    readonly_fields = ["snapshot", "http_state", "last_polled_at", "last_success_at", "last_error"]


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["observed_at", "organization", "kind", "severity", "vendor", "subject", "status"]
    list_filter = ["kind", "severity", "status", "organization"]
    search_fields = ["subject", "key"]
    date_hierarchy = "observed_at"


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "enabled",
        "min_severity",
        "notify_inbox",
        "notify_email",
        "notify_webhook",
    ]
    list_filter = ["organization", "enabled"]
    exclude = ["webhook_secret_encrypted"]  # shown once in the app when generated; never displayed again


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "channel", "status", "attempts", "user", "signal"]
    list_filter = ["channel", "status", "organization"]
