from django.urls import path

from apps.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("organization/", views.organization_report, name="organization_report"),
    path("organization/export/<slug:export_format>/", views.organization_export, name="organization_export"),
    path("clients/<slug:client_slug>/", views.client_report, name="client_report"),
    path(
        "clients/<slug:client_slug>/export/<slug:export_format>/", views.client_export, name="client_export"
    ),
    path("clients/<slug:client_slug>/share/", views.share_create, name="share_create"),
    path("shares/<int:link_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("viewers/", views.client_viewer_add, name="client_viewer_add"),
]
