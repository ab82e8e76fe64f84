from django.contrib import admin

from apps.benchmarks.models import Candidate, Case, Endpoint, Run, Suite


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "base_url"]
    list_filter = ["kind", "organization"]
    exclude = ["api_key_encrypted"]  # keys are never shown back
    readonly_fields = ["api_key_host"]  # the host the stored key is bound to (benchmarks/secrets.py)


class CaseInline(admin.StackedInline):
    model = Case
    extra = 0


@admin.register(Suite)
class SuiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "updated_at"]
    list_filter = ["organization"]
    inlines = [CaseInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["identifier", "endpoint", "model", "organization"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "organization",
        "suite",
        "source",
        "status",
        "progress_done",
        "progress_total",
    ]
    list_filter = ["status", "source", "organization"]
    readonly_fields = ["payload_sha256", "metadata", "settings"]
