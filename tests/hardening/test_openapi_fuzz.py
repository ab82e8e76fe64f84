"""schemathesis against /api/v1/openapi.json, sent to a live server: whatever it sends, no 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from apps.jobs.api import OPENAPI_PATH

schema = schemathesis.openapi.from_path(OPENAPI_PATH)


@pytest.fixture
def token(transactional_db):
    from apps.accounts.tokens import api_token_create
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(slug="acme", name="Acme Marketing")
    return api_token_create(organization=organization, name="schemathesis")[1]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_500(case, token, live_server):
    response = case.call(base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    # The requests reach the API, not a doubled base path where every answer is a bare 404.
    assert (
        response.request.url.startswith(f"{live_server.url}/api/v1/")
        and "/v1/api/" not in response.request.url
    )
