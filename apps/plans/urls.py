from django.urls import path

from apps.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<int:workflow_id>/", views.plan_create, name="plan_create"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/summary/", views.plan_summary, name="plan_summary"),
    path("<int:plan_id>/status/", views.plan_status, name="plan_status"),
    path("<int:plan_id>/cut-over/", views.plan_cut_over, name="plan_cut_over"),
    path("steps/<int:step_id>/", views.step_update, name="step_update"),
    path("workflows/<int:workflow_id>/alias/", views.workflow_alias, name="workflow_alias"),
    path("registry/", views.registry, name="registry"),
    path("registry/export/", views.registry_export, name="registry_export"),
    path("registry/import/", views.registry_import, name="registry_import"),
    path("registry/<int:alias_id>/", views.alias_detail, name="alias_detail"),
]
