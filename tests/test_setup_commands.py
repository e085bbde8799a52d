"""ensure_admin: the local superuser that `make run` creates once."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_once_and_prints_its_password(capsys):
    call_command("ensure_admin")
    output = capsys.readouterr().out
    password = re.search(r"password: (\S+)", output).group(1)
    assert authenticate(username="admin", password=password).is_superuser

    call_command("ensure_admin")
    assert "exists already" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1
    assert authenticate(username="admin", password=password) is not None
