from django.urls import path

from apps.watch import views

app_name = "watch"

urlpatterns = [
    path("", views.index, name="index"),
    path("signals/new/", views.signal_create, name="signal_create"),
    path("signals/<int:signal_id>/status/", views.signal_status, name="signal_status"),
    path("vendors/<slug:vendor_slug>/", views.vendor_detail, name="vendor_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<int:source_id>/toggle/", views.source_toggle, name="source_toggle"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
]
