from django.contrib import admin

from apps.policies.models import ModelApproval, OrganizationPolicy, PolicyViolation, RiskTreatment


@admin.register(OrganizationPolicy)
class OrganizationPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "organization", "severity", "enabled", "updated_at"]
    list_filter = ["organization", "severity", "enabled"]
    search_fields = ["name", "key"]


@admin.register(ModelApproval)
class ModelApprovalAdmin(admin.ModelAdmin):
    list_display = ["model", "organization", "status", "decided_by", "decided_at"]
    list_filter = ["organization", "status"]
    raw_id_fields = ["model", "decided_by"]


@admin.register(RiskTreatment)
class RiskTreatmentAdmin(admin.ModelAdmin):
    list_display = ["workflow", "organization", "treatment", "expires_at", "lapsed_at"]
    list_filter = ["organization", "treatment"]
    raw_id_fields = ["workflow", "decided_by"]


@admin.register(PolicyViolation)
class PolicyViolationAdmin(admin.ModelAdmin):
    """Read-only: violations are recomputed from policies and approvals."""

    list_display = ["policy_name", "workflow", "subject", "severity", "first_seen_at"]
    list_filter = ["organization", "severity"]
    raw_id_fields = ["workflow"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
