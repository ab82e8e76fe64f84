from django.urls import path

from apps.benchmarks import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
]
