"""Failed admin logins: five wrong passwords lock the username at that address for a while.

Run with both of django-axes' stores the settings choose from: the database (no shared cache)
and the cache (with REDIS_URL).
"""

import io
import time
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(
    params=["axes.handlers.database.AxesDatabaseHandler", "axes.handlers.cache.AxesCacheHandler"]
)
def handler(request, settings):
    settings.AXES_HANDLER = request.param
    AxesProxyHandler.get_implementation(force=True)
    yield request.param
    AxesProxyHandler.implementation = None  # the next test loads the configured one


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, username="editor"):
    return client.post(LOGIN, {"username": username, "password": password})


def fail_five_times(client, username="editor"):
    for _ in range(5):
        log_in(client, "wrong", username)


def assert_locked_out(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Login locked for a while" in response.text
    assert "_auth_user_id" not in response.wsgi_request.session


def test_wrong_passwords_are_answered_by_the_login_form(handler, editor, client):
    for _ in range(4):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text


def test_after_five_wrong_passwords_the_right_one_is_refused(handler, editor, client):
    fail_five_times(client)
    assert_locked_out(log_in(client, PASSWORD))
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lock_holds_one_username_at_one_address(handler, editor, client):
    fail_five_times(client)
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    assert log_in(client, PASSWORD, "other").status_code == 302  # logged in
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert log_in(elsewhere, PASSWORD).status_code == 302


def test_the_right_password_works_again_after_the_cool_off(handler, editor, client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail_five_times(client)
    assert log_in(client, PASSWORD).status_code == 429
    time.sleep(1.2)
    assert log_in(client, PASSWORD).status_code == 302


def test_an_admin_lifts_the_lock_at_once(handler, editor, client):
    fail_five_times(client)
    call_command("axes_reset_ip_username", "127.0.0.1", "editor", stdout=io.StringIO())
    assert log_in(client, PASSWORD).status_code == 302


def test_a_success_clears_the_count(handler, editor, client):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
