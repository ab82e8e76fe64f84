"""Share links: outside `/o/<org>/`, opened without an account (see apps/reports/shared_views.py)."""

from django.urls import path

from apps.reports import shared_views

app_name = "shared"

urlpatterns = [
    path("report/<int:link_id>/", shared_views.shared_report, name="report"),
    path("<str:token>/", shared_views.shared_open, name="open"),
]
