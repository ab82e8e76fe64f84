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


def test_a_first_import_on_a_fresh_installation_makes_a_default_organization(tmp_path, capsys):
    sheet = tmp_path / "audit.csv"
    sheet.write_text("workflow,model,criticality,switching difficulty\nBlog,qwen-mt,high,4\n")
    call_command("import_inventory", str(sheet))
    assert list(Organization.objects.values_list("slug", flat=True)) == ["default"]
    assert Organization.objects.get().workflows.count() == 1
