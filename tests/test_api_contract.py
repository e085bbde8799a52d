"""Contract test: schemathesis drives every API operation from the project's own OpenAPI schema.

The WSGI application runs in-process, in the test's database transaction (a throwaway test
database), with DockerCon 2017 loaded. Reads go out anonymous, writes with a write token;
schemathesis also repeats each write without credentials and with wrong ones. Every schemathesis
check runs (``not_a_server_error``, the conformance checks, ``positive_data_acceptance``,
``negative_data_rejection``, ``ignored_auth``, ``unsupported_method``...), on schema-valid and
schema-violating cases alike. ``CONTRACT_MAX_EXAMPLES`` sets the fuzzed examples per operation
and generation mode (default 12); the number of cases sent is printed at the end of the run.
"""

import os
import re

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from access.models import ApiToken, TokenScope
from tests.conftest import CONTRACT_CASES_PROPERTY

MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "12"))
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# What no OpenAPI schema can state: that a key names an existing record, that a slug is still
# free, and the rules across fields and records that the models' clean() enforces. A
# schema-valid request refused with 400 for these reasons alone is right; any other 400 for a
# schema-valid request means the schema is looser than the API.
RULES_BEYOND_THE_SCHEMA = [
    re.compile(pattern)
    for pattern in (
        r"^No .+ “.*”",  # a conference, day, track, speaker... that does not exist
        r" already exists\.$",
        r"must make a unique set\.$",
        r"^Each speaker may appear once",
        r"^Dates run from 1900 to 2999",  # the catalog's years, a model rule
        r"^Times run from 1900 to 2999",
        r" would fall outside\.$",  # a conference's days must stay within its dates
        r"^“search” and “q” are one filter: give one of them\.$",
        r"^It conflicts with a record just saved\.$",
        r"^The conference cannot end before it starts\.$",
        r"^A conference lasts at most \d+ days\.$",
        r"^The date must fall within the dates of ",
        r" belongs to .+, not to (this talk's conference|this conference)\.$",
        r"^The end must come after the start\.$",
        r"^An end time needs a start time\.$",
        r"^This time is out of range in the conference's time zone\.$",
        r"^The start \(.+ local time\) is not on ",
        r" would start off (its day|their days), at local times: ",  # a new zone or day date
        # No NUL character: a storage limit (PostgreSQL refuses it in text), not a format.
        r"^Null characters are not allowed\.$",
        # Control characters that XML cannot carry (the exports and feeds are XML).
        r"^The character U\+[0-9A-F]{4} is not allowed: the XML exports and feeds cannot",
        # Direction controls must pair up within a text: nesting no schema pattern can state.
        r"^The direction control U\+[0-9A-F]{4} \(.+\) is not paired within this text",
        # The DNS limits on host names (63 characters a label, a domain) that format "uri" omits.
        r" is not a (valid|full) host name",
    )
]


def error_messages(body):
    """Every message of a validation error body, at any depth."""
    if isinstance(body, str):
        yield body
    elif isinstance(body, list):
        for item in body:
            yield from error_messages(item)
    elif isinstance(body, dict):
        for value in body.values():
            yield from error_messages(value)


def refused_for_data_alone(response):
    content_types = [
        v for k, vs in response.headers.items() if k.lower() == "content-type" for v in vs
    ]
    if response.status_code != 400 or not any("json" in value for value in content_types):
        return False  # then positive_data_acceptance reports it
    messages = list(error_messages(response.json()))
    return bool(messages) and all(
        any(rule.search(message) for rule in RULES_BEYOND_THE_SCHEMA) for message in messages
    )


# Preconditions on the record's current version: a generated If-Match names some other version.
PRECONDITION_STATUSES = {412, 428}


def positive_data_acceptance_beyond_data_rules(ctx, response, case):
    """``positive_data_acceptance``, except for refusals that depend on the stored records (their
    values or their current version)."""
    if response.status_code in PRECONDITION_STATUSES or refused_for_data_alone(response):
        return None
    return positive_data_acceptance(ctx, response, case)


def negative_data_rejection_after_preconditions(ctx, response, case):
    """``negative_data_rejection``, where a failed precondition (checked before the body is
    read, as HTTP has it) also counts as a refusal."""
    if response.status_code in PRECONDITION_STATUSES:
        return None
    return negative_data_rejection(ctx, response, case)


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
def write_token(db, keep_the_test_connection, no_rate_limits):
    """The Authorization header of a user allowed every write, on the DockerCon 2017 catalog."""
    call_command("loaddata", "dockercon-2017", verbosity=0)
    editor = User.objects.create_superuser("contract", password="unused-in-tests")
    return f"Token {ApiToken.objects.issue(editor, scope=TokenScope.WRITE)[1]}"


@pytest.fixture
def cases_sent(request):
    """The cases this test sends, by mode, carried in its report to the suite's summary (a
    plain dict: pytest-xdist sends reports between processes, and only plain types)."""
    cases = {}
    request.node.user_properties.append((CONTRACT_CASES_PROPERTY, cases))
    return cases


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_the_schema(case, write_token, cases_sent):
    # Uncompressed: schemathesis' WSGI transport asks for gzip but reads the body as sent.
    headers = {"Accept-Encoding": "identity"}
    if case.method not in SAFE_METHODS:
        headers["Authorization"] = write_token
    mode = case.meta.generation.mode.value if case.meta else "explicit"
    cases_sent[mode] = cases_sent.get(mode, 0) + 1
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[
            positive_data_acceptance_beyond_data_rules,
            negative_data_rejection_after_preconditions,
        ],
    )
