"""`manage.py api_token create|list|revoke` and what the database keeps of a token."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_authenticate

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_token_once_and_stores_only_its_hash(organization):
    out, err = run("create", "--organization", "acme", "--name", "CI")

    raw = out.strip()
    assert raw.startswith("rb_") and len(raw) >= 3 + 43  # 32 random bytes, URL-safe base64
    assert "shown once" in err and raw not in err
    token = ApiToken.objects.get()
    assert (token.name, token.organization, token.expires_at) == ("CI", organization, None)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and len(token.prefix) < 12
    assert api_token_authenticate(raw=raw) == token


def test_the_database_holds_no_plaintext_token(organization):
    raw = run("create", "--organization", "acme", "--name", "CI")[0].strip()
    secret = raw[len("rb_") :]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert secret[:20] not in stored


def test_two_tokens_are_never_the_same(organization):
    first = run("create", "--organization", "acme", "--name", "one")[0]
    second = run("create", "--organization", "acme", "--name", "two")[0]
    assert first != second


def test_create_with_an_expiry(organization):
    run("create", "--organization", "acme", "--name", "CI", "--expires-days", "30")
    token = ApiToken.objects.get()
    assert 29 <= (token.expires_at - token.created_at).days <= 30


def test_list_shows_tokens_but_never_their_secrets(organization):
    raw = run("create", "--organization", "acme", "--name", "CI")[0].strip()
    out, _ = run("list", "--organization", "acme")
    assert "CI" in out and "active" in out and "never" in out
    assert raw not in out


def test_revoke_by_name_makes_the_token_unusable(organization):
    raw = run("create", "--organization", "acme", "--name", "CI")[0].strip()

    out, _ = run("revoke", "--organization", "acme", "CI")

    assert "Revoked" in out
    assert api_token_authenticate(raw=raw) is None
    assert "revoked" in run("list", "--organization", "acme")[0]


def test_revoke_of_an_unknown_token_fails(organization):
    with pytest.raises(CommandError, match="no active token"):
        run("revoke", "--organization", "acme", "nope")


def test_an_unknown_organization_fails(organization):
    with pytest.raises(CommandError, match="No organization"):
        run("create", "--organization", "nope", "--name", "CI")
