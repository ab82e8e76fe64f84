from django.urls import path

from apps.watch import views

app_name = "watch"

urlpatterns = [
    path("", views.index, name="index"),
]
