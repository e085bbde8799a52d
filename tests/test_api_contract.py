"""Contract test: schemathesis drives every API operation from the project's own OpenAPI schema.

The WSGI application runs in-process, in the test's database transaction, with DockerCon 2017
loaded. Reads go out anonymous, writes with a superuser's token. Every response must pass the
four checks below: no 5xx, a documented status code and content type, and a body that matches
the schema. ``CONTRACT_MAX_EXAMPLES`` sets the examples per operation (default 12, which keeps
the run well under two minutes on two cores).
"""

import os

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from access.models import ApiToken, TokenScope

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "12"))
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


# Loaded at collection, through the real /api/schema/ view (which runs no query). Not
# schemathesis.pytest.from_fixture: its lazy loader does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def keep_the_test_connection():
    """Let the WSGI handler run inside the test's transaction, as Django's test client does.

    At each request Django closes "old" connections, and a connection inside a transaction
    counts as one: on PostgreSQL that would close the test's connection mid-test.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_rate_limits(settings):
    """Hypothesis sends more requests per test than a public client may (429 is documented)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}


@pytest.fixture
def staff_token(db, keep_the_test_connection, no_rate_limits):
    call_command("loaddata", "dockercon-2017", verbosity=0)
    staff = User.objects.create_superuser("contract", password="unused-in-tests")
    return ApiToken.objects.issue(staff, scope=TokenScope.WRITE)[1]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_the_schema(case, staff_token):
    headers = {} if case.method in SAFE_METHODS else {"Authorization": f"Token {staff_token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
