from django.urls import path

from apps.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
]
