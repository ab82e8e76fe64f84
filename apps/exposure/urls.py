from django.urls import path

from apps.exposure import views

app_name = "exposure"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("method/", views.method, name="method"),
]
