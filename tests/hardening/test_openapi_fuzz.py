"""schemathesis against /api/v1/openapi.json, through the WSGI app: whatever it sends, no 500."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from apps.jobs.api import OPENAPI_PATH

schema = schemathesis.openapi.from_path(OPENAPI_PATH)
schema.app = get_wsgi_application()


@pytest.fixture
def token(db, settings):
    from apps.accounts.tokens import api_token_create
    from tests.factories import OrganizationFactory

    settings.ALLOWED_HOSTS = ["*"]
    organization = OrganizationFactory(slug="acme", name="Acme Marketing")
    return api_token_create(organization=organization, name="schemathesis")[1]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_never_answers_500(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
