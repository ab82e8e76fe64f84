from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from apps.exposure.services import exposure_refresh
from apps.inventory.models import AIModel, Dependency, ModelAlias, Tool, ToolModel, Vendor, Workflow
from apps.inventory.services import vendor_set_risk


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "risk_level", "risk_source", "risk_updated_at"]
    list_filter = ["risk_level", "risk_source"]
    search_fields = ["name", "slug"]
    readonly_fields = ["risk_source", "risk_updated_at"]

    def save_model(self, request, obj, form, change):
        if change and {"risk_level", "risk_reason"} & set(form.changed_data):
            # Through the service, so every dependent workflow's exposure moves with it.
            vendor_set_risk(vendor=obj, risk_level=obj.risk_level, reason=obj.risk_reason)
        else:
            super().save_model(request, obj, form, change)
            if change:  # a renamed vendor shows in every dependent workflow's "why"
                _refresh_on_commit("refresh_after_vendor_change", obj.pk)


def _refresh_on_commit(task_name: str, object_id: int) -> None:
    """Rescore what depends on an edited catalog entry, in the worker (it can be thousands of workflows)."""
    from apps.exposure import tasks

    transaction.on_commit(lambda: getattr(tasks, task_name).delay(object_id))


class ModelAliasInline(admin.TabularInline):
    model = ModelAlias
    extra = 1


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "family", "license", "open_weights", "self_hostable", "release_date"]
    list_filter = ["vendor", "family", "open_weights", "self_hostable"]
    search_fields = ["name", "slug", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModelAliasInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # open weights, licence or vendor moved: exposure (and the budget tier) move with them
            _refresh_on_commit("refresh_after_catalog_model_change", obj.pk)


class ToolModelInline(admin.TabularInline):
    model = ToolModel
    extra = 0
    autocomplete_fields = ["model"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]
    inlines = [ToolModelInline]


class DependencyInline(admin.TabularInline):
    model = Dependency
    extra = 0
    autocomplete_fields = ["model"]
    fields = ["declared_model", "model", "via_tool", "role", "notes"]


@admin.register(Workflow)
class WorkflowAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organization",
        "criticality",
        "switching_difficulty",
        "exposure_score",
        "exposure_band",
    ]
    list_filter = ["organization", "criticality", "exposure_band", "category"]
    search_fields = ["name", "team", "owner"]
    readonly_fields = ["exposure_score", "exposure_band", "exposure_factors", "exposure_updated_at"]
    inlines = [DependencyInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        exposure_refresh(workflow_ids=[form.instance.pk])
