from django.urls import path

from apps.scanner import views

app_name = "scanner"

urlpatterns = [
    path("", views.scan_list, name="scan_list"),
    path("upload/", views.upload, name="upload"),
    path("untracked/", views.queue, name="queue"),
    path("<int:scan_id>/", views.scan_detail, name="scan_detail"),
    path("findings/<int:finding_id>/link/", views.finding_link, name="finding_link"),
    path("findings/<int:finding_id>/dismiss/", views.finding_dismiss, name="finding_dismiss"),
    path("dismissals/<int:dismissal_id>/undo/", views.dismissal_undo, name="dismissal_undo"),
]
