from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.organization_home, name="organization_home"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:membership_id>/role/", views.member_change_role, name="member_change_role"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("clients/", views.client_list, name="client_list"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
