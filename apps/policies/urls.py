from django.urls import path

from apps.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.policy_create, name="policy_create"),
    path("templates/add/", views.policy_add_template, name="policy_add_template"),
    path("<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
    path("<int:policy_id>/delete/", views.policy_delete, name="policy_delete"),
    path("approvals/", views.approvals, name="approvals"),
    path("workflows/<int:workflow_id>/treatment/", views.treatment, name="treatment"),
]
