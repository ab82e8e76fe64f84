"""Where the suite finds PostgreSQL, Redis and Chromium, and what it does when one is missing.

In CI (`RISKBOARD_REQUIRE_SERVICES=1`, set by .ci/run) a missing service fails the test; on a
laptop the tests that need it are skipped with a message that says how to get it.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("RISKBOARD_REQUIRE_SERVICES") == "1"
TEST_REDIS_URL = os.environ.get("RISKBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM_PATH = os.environ.get("RISKBOARD_CHROMIUM", "/usr/bin/chromium")

HOW_TO_GET = {
    "PostgreSQL": "start it (pg_ctlcluster <version> main start) and set DATABASE_URL, or run .ci/run",
    "Redis": "start it with `redis-server --daemonize yes` or run .ci/run",
    "Chromium": "install Debian's chromium package (`apt-get install chromium`)",
}


def service_missing(service: str) -> None:
    message = f"{service} is not available: {HOW_TO_GET[service]}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (required because RISKBOARD_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def require_redis() -> str:
    if not port_open(TEST_REDIS_URL, 6379):
        service_missing("Redis")
    return TEST_REDIS_URL


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which("chromium")):
        service_missing("Chromium")
    return CHROMIUM_PATH


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        service_missing("PostgreSQL")
