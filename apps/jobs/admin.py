from django.contrib import admin

from apps.jobs.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "organization",
        "kind",
        "source",
        "status",
        "deliveries",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "source"]
    search_fields = ["sha256", "filename"]
    exclude = ["payload"]
    readonly_fields = ["sha256", "size", "counts", "errors", "started_at", "finished_at", "deliveries"]
    raw_id_fields = ["started_by_user", "started_by_token"]
