import os

import pytest

from tests import services

# The outside world of the tests is local servers on loopback, which the outbound guard
# (apps/common/outbound.py) refuses by default. Allow loopback here and in the Celery workers the
# tests start (they inherit the environment); the SSRF tests empty the list to prove the refusal.
LOCAL_TEST_SERVERS = "127.0.0.0/8,::1"
os.environ.setdefault("RISKBOARD_OUTBOUND_ALLOW", LOCAL_TEST_SERVERS)


def pytest_configure(config):
    from django.conf import settings

    settings.RISKBOARD_OUTBOUND_ALLOW = LOCAL_TEST_SERVERS.split(",")


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering (db tests first, then the rest)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.usefixtures("_postgres_required"))
    # Browser tests last: Playwright's sync API keeps an event loop running in this thread for the rest
    # of the session, and code under test that calls asyncio.run() cannot run beside it.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None or "e2e" in item.path.parts)


@pytest.fixture
def _postgres_required(db):
    services.require_postgres()


@pytest.fixture
def organization(db):
    from tests.factories import OrganizationFactory

    return OrganizationFactory(slug="acme", name="Acme Marketing")


@pytest.fixture
def other_organization(db):
    from tests.factories import OrganizationFactory

    return OrganizationFactory(slug="globex", name="Globex Agency", kind="agency")


def _member(organization, username, role):
    from tests.factories import MembershipFactory, UserFactory

    return MembershipFactory(user=UserFactory(username=username), organization=organization, role=role).user


@pytest.fixture
def admin_user(organization):
    return _member(organization, "ada.admin", "admin")


@pytest.fixture
def editor(organization):
    return _member(organization, "eddie.editor", "editor")


@pytest.fixture
def viewer(organization):
    return _member(organization, "vera.viewer", "viewer")


@pytest.fixture
def outsider(other_organization):
    """A member of another organization only."""
    return _member(other_organization, "olly.outsider", "admin")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def admin_client_org(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password on every user; the production hasher's ~1M rounds each would dominate
    the suite on a busy machine. Hashing strength is Django's to test, not ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
