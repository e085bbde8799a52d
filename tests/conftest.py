import json
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.management import call_command
from jsonschema import Draft6Validator, FormatChecker
from lxml import etree

from talks.fragments import fragments
from talks.freshness import catalog_changes
from talks.models import Conference
from tests.shared_files import shared_path

# Cases the API contract test sent, by generation mode (tests/test_api_contract.py). Counted
# from the test reports, which reach this process from every worker when the suite runs in
# parallel (pytest-xdist), rather than in the worker that ran the test.
CONTRACT_CASES_PROPERTY = "contract cases"
contract_cases = Counter()


@pytest.fixture
def dockercon(db):
    """The shipped DockerCon 2017 fixture, loaded with stock ``loaddata``, its changes marked
    once (rather than once a record: a few seconds a test on PostgreSQL)."""
    with catalog_changes():
        call_command("loaddata", "dockercon-2017", verbosity=0)
    return Conference.objects.get(slug="dockercon-2017")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache and no fragments: stored pages must not leak
    between tests, whose rolled-back rows and marks the next test may number alike."""
    cache.clear()
    fragments.clear()


@pytest.fixture
def xml_schema():
    """The frab schedule.xml schema from the shared folder."""
    return etree.XMLSchema(etree.parse(str(shared_path("schemas", "schedule.xml.xsd"))))


@pytest.fixture
def json_validator():
    """The c3voc schedule.json schema, with its formats (``uri``, ``date-time``...) checked."""
    schema = json.loads(shared_path("schemas", "schedule.json").read_text())
    return Draft6Validator(schema, format_checker=FormatChecker())


def pytest_runtest_logreport(report):
    if report.when == "call":
        for name, value in report.user_properties:
            if name == CONTRACT_CASES_PROPERTY:
                contract_cases.update(value)


def pytest_terminal_summary(terminalreporter):
    if contract_cases:
        modes = ", ".join(f"{count} {mode}" for mode, count in sorted(contract_cases.items()))
        terminalreporter.write_line(
            f"API contract: {contract_cases.total()} generated cases sent ({modes})."
        )
