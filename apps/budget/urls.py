from django.urls import path

from apps.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("target/", views.target_update, name="target_update"),
    path("scenarios/new/", views.scenario_create, name="scenario_create"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:scenario_id>/delete/", views.scenario_delete, name="scenario_delete"),
]
