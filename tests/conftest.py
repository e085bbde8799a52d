import pytest
from django.core.cache import cache
from django.core.management import call_command

from talks.models import Conference


@pytest.fixture
def dockercon(db):
    """The shipped DockerCon 2017 fixture, loaded with stock ``loaddata``."""
    call_command("loaddata", "dockercon-2017", verbosity=0)
    return Conference.objects.get(slug="dockercon-2017")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: stored pages must not leak between tests."""
    cache.clear()
