"""What the Docker image holds and which proxy headers the app trusts."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.test import RequestFactory

from apps.accounts.client_ip import client_ip_behind_proxy

PROJECT = Path(__file__).resolve().parents[2]

NEVER_IN_THE_IMAGE = [
    ".env",
    ".env.production",
    "apps/inventory/.env",
    ".venv/bin/python",
    ".venv",
    "riskboard.sqlite3",
    "riskboard.sqlite3-journal",
    "tests/data/fixture.sqlite3",
    ".git",
    ".git/HEAD",
    "apps/.git/config",
    "test-results/trace.zip",
    ".pytest_cache/v/cache/nodeids",
    "media/uploads/archive.zip",
    "staticfiles/css/riskboard.css",
    "apps/inventory/__pycache__/views.cpython-312.pyc",
    "htmlcov/index.html",
]


def docker_pattern(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as Docker reads it (moby/patternmatcher): relative to the context root,
    `*` and `?` stay within one path segment, `**` crosses any number of them."""
    pattern = pattern.strip("/")
    regex, index = "", 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            regex, index = regex + "(?:.*/)?", index + 3
        elif pattern.startswith("**", index):
            regex, index = regex + ".*", index + 2
        elif pattern[index] == "*":
            regex, index = regex + "[^/]*", index + 1
        elif pattern[index] == "?":
            regex, index = regex + "[^/]", index + 1
        elif pattern[index] == "[":
            end = pattern.index("]", index)
            regex, index = regex + pattern[index : end + 1], end + 1
        else:
            regex, index = regex + re.escape(pattern[index]), index + 1
    return re.compile(regex + r"\Z")


def dockerignore_rules() -> list[tuple[bool, re.Pattern]]:
    rules = []
    for line in (PROJECT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), docker_pattern(line.removeprefix("!"))))
    return rules


def excluded(path: str, rules) -> bool:
    """Excluded when the last rule matching the path or one of its parent folders is not an exception."""
    parts = path.split("/")
    candidates = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
    verdict = False
    for exception, regex in rules:
        if any(regex.match(candidate) for candidate in candidates):
            verdict = not exception
    return verdict


@pytest.mark.parametrize("path", NEVER_IN_THE_IMAGE)
def test_the_image_never_contains(path):
    assert excluded(path, dockerignore_rules()), f"{path} would be copied into the image"


def test_the_image_contains_everything_the_app_runs_on():
    rules = dockerignore_rules()
    needed = ["manage.py", "requirements.txt", "requirements.lock", ".env.example"]
    for folder in ("apps", "riskboard", "templates", "static"):
        needed += [
            str(path.relative_to(PROJECT))
            for path in (PROJECT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    assert len(needed) > 100
    assert [path for path in needed if excluded(path, rules)] == []


def _settings_in_a_fresh_process(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.AXES_CLIENT_IP_CALLABLE]))"
    )
    environment = {
        **{key: value for key, value in os.environ.items() if key != "RISKBOARD_BEHIND_PROXY"},
        "DJANGO_SETTINGS_MODULE": "riskboard.settings",
        "RISKBOARD_ENV": "production",
        "SECRET_KEY": "x" * 60,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    header, ip_callable = json.loads(result.stdout.strip().splitlines()[-1])
    return {"proxy_ssl_header": header, "client_ip": ip_callable}


def test_production_trusts_no_forwarded_header_unless_told_it_runs_behind_the_proxy():
    assert _settings_in_a_fresh_process() == {"proxy_ssl_header": None, "client_ip": None}
    assert _settings_in_a_fresh_process(RISKBOARD_BEHIND_PROXY="1") == {
        "proxy_ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "client_ip": "apps.accounts.client_ip.client_ip_behind_proxy",
    }


def test_only_the_compose_web_service_runs_behind_the_proxy_and_publishes_no_port():
    services = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())["services"]
    assert services["web"]["environment"]["RISKBOARD_BEHIND_PROXY"] == "1"
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    assert "RISKBOARD_BEHIND_PROXY" not in services["worker"]["environment"]


def test_behind_the_proxy_the_client_is_the_address_the_proxy_wrote_not_one_the_client_forged():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9"
    )
    assert client_ip_behind_proxy(request) == "203.0.113.9"
    assert client_ip_behind_proxy(RequestFactory().get("/", REMOTE_ADDR="172.18.0.5")) == "172.18.0.5"
