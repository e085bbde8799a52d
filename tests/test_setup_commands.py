"""ensure_admin: the local superuser that `make run` creates once."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def log_in(password):
    # A login as the admin's form makes it: the lockout (django-axes) needs the request.
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username="admin", password=password)


def test_creates_a_superuser_once_and_prints_its_password(capsys):
    call_command("ensure_admin")
    output = capsys.readouterr().out
    password = re.search(r"password: (\S+)", output).group(1)
    assert log_in(password).is_superuser

    call_command("ensure_admin")
    assert "exists already" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1
    assert log_in(password) is not None
