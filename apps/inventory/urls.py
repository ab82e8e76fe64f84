from django.urls import path

from apps.inventory import views

app_name = "inventory"

urlpatterns = [
    path("", views.index, name="index"),
    path("workflows/new/", views.workflow_create, name="workflow_create"),
    path("workflows/validate/", views.workflow_validate_field, name="workflow_validate_field"),
    path("workflows/<int:workflow_id>/", views.workflow_detail, name="workflow_detail"),
    path("workflows/<int:workflow_id>/edit/", views.workflow_edit, name="workflow_edit"),
    path("workflows/<int:workflow_id>/delete/", views.workflow_delete, name="workflow_delete"),
    path("dependency-row/", views.dependency_row, name="dependency_row"),
    path("dependency-row/removed/", views.dependency_row_removed, name="dependency_row_removed"),
    path("models/search/", views.model_search, name="model_search"),
    path("models/match/", views.model_match, name="model_match"),
    path("import/", views.inventory_import_view, name="import"),
    path("export/", views.inventory_export, name="export"),
    path("tools/", views.tool_list, name="tool_list"),
    path("catalog/", views.catalog, name="catalog"),
    path("review/", views.review_queue, name="review_queue"),
]
