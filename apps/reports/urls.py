from django.urls import path

from apps.reports import views
from apps.reports.exports import EXPORT_FORMATS

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("organization/", views.organization_report, name="organization_report"),
    path("clients/<slug:client_slug>/", views.client_report, name="client_report"),
    path("clients/<slug:client_slug>/share/", views.share_create, name="share_create"),
    path("shares/<int:link_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("viewers/", views.client_viewer_add, name="client_viewer_add"),
]
# One route per export format (the format is a fixed part of each URL, passed to the view as a default
# argument): reverse with `export_format=...` as a keyword, e.g.
# {% url 'reports:client_export' org_slug=… client_slug=… export_format="pdf" %}.
for _format in EXPORT_FORMATS:
    urlpatterns += [
        path(
            f"organization/export/{_format}/",
            views.organization_export,
            {"export_format": _format},
            name="organization_export",
        ),
        path(
            f"clients/<slug:client_slug>/export/{_format}/",
            views.client_export,
            {"export_format": _format},
            name="client_export",
        ),
    ]
