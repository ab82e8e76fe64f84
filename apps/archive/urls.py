from django.urls import path

from apps.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.coverage, name="index"),
    path("start/", views.start, name="start"),
    path("locations/new/", views.location_add, name="location_add"),
    path("policy/", views.policy_edit, name="policy"),
    path("bundle-files/", views.bundle_file_upload, name="bundle_file_upload"),
    path("artifacts/<int:artifact_id>/", views.artifact_detail, name="artifact"),
    path("artifacts/<int:artifact_id>/verify/", views.artifact_verify, name="artifact_verify"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
]
