"""Every real sample, once imported, exports a schedule.json and a schedule.xml that validate
against the shared schemas (the c3voc JSON schema with its ``uri`` and date formats checked,
the frab XSD): the links real files carry are stored in a form the schemas accept."""

import io

import pytest
from django.core.management import call_command
from lxml import etree

from talks.models import Conference
from tests.shared_files import shared_dir, shared_path

# Files that name no time zone of their own.
TIME_ZONES = {
    "giggity-fosdem_2021.xml": "Europe/Brussels",
    "pentabarf-fosdem-2012.xml": "Europe/Brussels",
}


def schedule_samples():
    names = sorted(path.name for path in (shared_dir() / "samples" / "schedules").glob("*"))
    return names or ["(no samples)"]


def assert_exports_validate(client, conference, xml_schema, json_validator):
    base = f"/conferences/{conference.slug}"
    response = client.get(f"{base}/schedule.json")
    assert response.status_code == 200
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in json_validator.iter_errors(response.json())
    ]
    assert not errors, "\n".join(errors[:20])

    response = client.get(f"{base}/schedule.xml")
    assert response.status_code == 200
    xml_schema.assertValid(etree.fromstring(response.content))


@pytest.mark.parametrize("name", schedule_samples())
def test_exports_of_an_imported_schedule_sample_validate(
    db, client, xml_schema, json_validator, name
):
    path = shared_path("samples", "schedules", name)
    zone = ["--time-zone", TIME_ZONES[name]] if name in TIME_ZONES else []
    call_command("import_schedule", str(path), *zone, stdout=io.StringIO())

    (conference,) = Conference.objects.all()
    assert conference.talks.exists()
    assert_exports_validate(client, conference, xml_schema, json_validator)


def test_exports_of_the_imported_pyvideo_sample_validate(db, client, xml_schema, json_validator):
    folder = shared_path("samples", "pyvideo", "djangocon-eu-2021")
    call_command("import_pyvideo", str(folder), stdout=io.StringIO())

    (conference,) = Conference.objects.all()
    assert_exports_validate(client, conference, xml_schema, json_validator)
