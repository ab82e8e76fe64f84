import pytest
from django.core.management import call_command

from apps.accounts.models import Organization

pytestmark = pytest.mark.django_db


def test_it_creates_an_agency_and_leaves_an_existing_slug_alone(capsys):
    call_command("org_create", "pixel", "--name", "Pixel & Prose", "--kind", "agency")
    call_command("org_create", "pixel", "--name", "Renamed")
    organization = Organization.objects.get(slug="pixel")
    assert (organization.name, organization.kind) == ("Pixel & Prose", "agency")
    assert "Already exists: pixel" in capsys.readouterr().out
