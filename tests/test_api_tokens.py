"""API tokens: hashed at rest, expiring, scoped read or write, revocable by owner and admins."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from access.models import ApiToken, TokenScope
from tests.builders import make_conference

API = "/api/v1"
NEW_SPEAKER = {"slug": "alan-turing", "name": "Alan Turing"}


@pytest.fixture
def curator(db):
    user = User.objects.create_user("curator")
    user.user_permissions.set(Permission.objects.filter(codename="add_speaker"))
    return user


def client_with(key):
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def issue(user, scope=TokenScope.WRITE, **options):
    return ApiToken.objects.issue(user, scope=scope, **options)


def add_speaker(client):
    return client.post(f"{API}/speakers/", NEW_SPEAKER, "application/json")


# --- Issuing ------------------------------------------------------------------------------------


def test_create_api_token_prints_the_key_once_and_stores_only_a_digest(curator):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "curator", "--scope", "write", "--days", "7", stdout=out, stderr=err
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=curator)
    assert token.scope == TokenScope.WRITE
    assert key not in {token.digest, token.token_key}
    assert key.startswith(token.token_key)
    assert len(key) - len(token.token_key) >= 40  # most of the secret is nowhere in the database
    assert token.expiry - timezone.now() == pytest.approx(timedelta(days=7), abs=timedelta(1))
    assert "write token for curator" in err.getvalue()
    assert "not shown again" in err.getvalue()
    assert add_speaker(client_with(key)).status_code == 201


def test_a_token_is_read_only_for_90_days_unless_told(curator):
    call_command("create_api_token", "curator", stdout=io.StringIO(), stderr=io.StringIO())
    token = ApiToken.objects.get(user=curator)
    assert token.scope == TokenScope.READ
    assert token.expiry - timezone.now() == pytest.approx(timedelta(days=90), abs=timedelta(1))


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["nobody"], "No user named 'nobody'"),
        (["curator", "--days", "0"], "from 1 to 365"),
        (["curator", "--days", "366"], "from 1 to 365"),
        (["curator", "--scope", "admin"], "invalid choice"),
        (["curator", "--name", "x" * 101], "name: Ensure this value has at most 100"),
    ],
)
def test_create_api_token_refuses_bad_arguments(curator, arguments, reason):
    with pytest.raises(CommandError, match=re.escape(reason)):
        call_command("create_api_token", *arguments, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# --- Scopes -------------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_cannot_write(curator):
    _, key = issue(curator, scope=TokenScope.READ)
    reader = client_with(key)
    assert reader.get(f"{API}/speakers/").status_code == 200
    response = add_speaker(reader)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This token is read-only; a write needs a token with the write scope."
    }


def test_a_write_token_still_needs_the_model_permission(curator):
    _, key = issue(curator)
    conference = make_conference(slug="pycon-x")
    response = client_with(key).delete(f"{API}/conferences/{conference.slug}/")
    assert response.status_code == 403
    assert "permission" in response.json()["detail"]


def test_anonymous_clients_still_read(db):
    assert Client().get(f"{API}/speakers/").status_code == 200
    assert add_speaker(Client()).status_code == 401


# --- Expiry and revocation ----------------------------------------------------------------------


def test_an_expired_token_is_refused(curator):
    token, key = issue(curator)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = add_speaker(client_with(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_the_owner_lists_their_tokens_without_secrets(curator):
    _, write_key = issue(curator, name="importer")
    issue(curator, scope=TokenScope.READ)
    issue(User.objects.create_user("someone-else"))
    response = client_with(write_key).get(f"{API}/tokens/")
    assert response.status_code == 200
    listed = response.json()["results"]
    assert [(t["name"], t["scope"]) for t in listed] == [("", "read"), ("importer", "write")]
    assert write_key not in response.text
    assert set(listed[0]) == {"token_key", "name", "scope", "created", "expiry"}


def test_the_owner_revokes_a_token(curator):
    token, key = issue(curator)
    other, other_key = issue(curator)
    owner = client_with(key)
    assert owner.delete(f"{API}/tokens/{other.token_key}/").status_code == 204
    assert add_speaker(client_with(other_key)).status_code == 401
    assert owner.delete(f"{API}/tokens/{token.token_key}/").status_code == 204  # its own
    assert add_speaker(owner).status_code == 401


def test_nobody_revokes_someone_elses_token_nor_with_a_read_only_token(curator):
    token, key = issue(curator)
    _, stranger_key = issue(User.objects.create_user("stranger"))
    assert client_with(stranger_key).delete(f"{API}/tokens/{token.token_key}/").status_code == 404
    _, read_key = issue(curator, scope=TokenScope.READ)
    assert client_with(read_key).delete(f"{API}/tokens/{token.token_key}/").status_code == 403
    assert client_with(key).get(f"{API}/tokens/").status_code == 200
    assert Client().get(f"{API}/tokens/").status_code == 401


def test_an_admin_issues_a_token_and_sees_its_secret_only_then(admin_client, curator):
    assert admin_client.get("/admin/access/apitoken/add/").status_code == 200
    response = admin_client.post(
        "/admin/access/apitoken/add/",
        {"user": curator.pk, "name": "importer", "scope": "write", "days": "30"},
        follow=True,
    )
    key = re.search(r"The new token is (\w+)", response.text).group(1)
    assert add_speaker(client_with(key)).status_code == 201
    token = ApiToken.objects.get()
    listing = admin_client.get("/admin/access/apitoken/")
    assert token.token_key in listing.text
    assert key not in listing.text
    assert key not in admin_client.get(f"/admin/access/apitoken/{token.pk}/change/").text


def test_an_admin_revokes_a_token(admin_client, curator):
    token, key = issue(curator)
    response = admin_client.post(
        f"/admin/access/apitoken/{token.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert add_speaker(client_with(key)).status_code == 401


# --- Guessing -----------------------------------------------------------------------------------


def test_five_invalid_tokens_lock_the_address_out_of_token_use(curator):
    _, key = issue(curator)
    guesser = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    for _ in range(5):
        assert guesser.get(f"{API}/speakers/").status_code == 401
    response = client_with(key).get(f"{API}/speakers/")  # a valid token from the same address
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many invalid tokens from this address.")
    # The lockout began a moment ago: a busy machine may already be a second into it.
    assert 15 * 60 - 2 <= int(response["Retry-After"]) <= 15 * 60
    assert Client().get(f"{API}/speakers/").status_code == 200  # anonymous reads go on
    elsewhere = Client(REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION=f"Token {key}")
    assert elsewhere.get(f"{API}/speakers/").status_code == 200


def test_a_token_that_is_not_text_is_a_401(client):
    response = client.get("/api/v1/talks/", HTTP_AUTHORIZATION=b"Token \xff".decode("latin-1"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
