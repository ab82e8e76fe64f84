"""Every model registered in Django admin opens its list and its add form for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_staff_open_the_list_and_the_add_form(client, model, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "a-long-password-1")
    client.force_login(staff)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    if admin.site._registry[model].has_add_permission(type("Request", (), {"user": staff})()):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
