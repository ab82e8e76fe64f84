"""A workflow behind a registry alias carries the LiteLLM config it runs on in its archive bundle."""

import pytest
import yaml

from apps.archive.bundle import bundle_contents
from apps.plans import services
from tests.factories import OrganizationFactory, workflow_with

pytestmark = pytest.mark.django_db


def test_the_bundle_of_a_workflow_behind_an_alias_holds_its_registry_config():
    organization = OrganizationFactory()
    drafts = workflow_with(
        organization=organization, name="Blog drafts", models=["qwen2.5:7b"], fallbacks=["gpt-4o"]
    )
    services.workflow_put_behind_alias(workflow=drafts, new_alias_name="drafts")

    contents = bundle_contents(workflow=drafts)
    config = yaml.safe_load(contents["litellm/production/config.yaml"])
    names = {entry["model_name"] for entry in config["model_list"]}
    assert {"drafts", "drafts-fallback"} <= names
    assert config["router_settings"]["fallbacks"] == [{"drafts": ["drafts-fallback"]}]
    assert "sk-" not in contents["litellm/production/config.yaml"].decode()


def test_a_workflow_not_behind_an_alias_has_no_registry_config_in_its_bundle():
    organization = OrganizationFactory()
    alone = workflow_with(organization=organization, name="Captions", models=["qwen2.5:7b"])
    assert not any(path.startswith("litellm/") for path in bundle_contents(workflow=alone))
