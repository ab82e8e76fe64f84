import pytest

from apps.inventory.models import Vendor
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def test_a_staff_change_of_vendor_risk_in_the_admin_moves_exposure(client, admin_user, organization):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    workflow = workflow_with(organization=organization, name="Kiosk", models=["qwen3.5:0.8b"])
    vendor = Vendor.objects.get(slug="alibaba")
    response = client.post(
        f"/admin/inventory/vendor/{vendor.pk}/change/",
        {
            "slug": "alibaba",
            "name": vendor.name,
            "risk_level": "low",
            "risk_reason": "Licence reaffirmed",
            "website": vendor.website,
        },
    )
    assert response.status_code == 302
    workflow.refresh_from_db()
    vendor.refresh_from_db()
    assert vendor.risk_level == "low" and vendor.risk_updated_at is not None
    assert "low (Alibaba (Qwen))" in [factor["value"] for factor in workflow.exposure_factors]
