from django.contrib import admin

from apps.scanner.models import Finding, Scan


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "source", "files_scanned", "finding_count", "created_at"]
    list_filter = ["organization"]
    raw_id_fields = ["job"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["identifier", "kind", "vendor", "path", "line", "confidence", "scan"]
    list_filter = ["kind", "vendor", "confidence"]
    search_fields = ["identifier", "path"]
    raw_id_fields = ["scan"]
