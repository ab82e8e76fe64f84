from django.urls import path

from apps.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:job_id>/", views.detail, name="detail"),
    path("<int:job_id>/retry/", views.retry, name="retry"),
]
