"""A talk's subtitle and language: kept by imports, shown on the page, in the API and exports."""

import datetime
import json

import pytest
from jsonschema import Draft6Validator, FormatChecker
from lxml import etree

from tests.builders import make_conference, make_day, make_talk
from tests.shared_files import shared_path


@pytest.fixture
def talk(db):
    conference = make_conference(slug="fosdem-2021", time_zone="Europe/Brussels")
    day = make_day(conference, 1)
    start = datetime.datetime(2024, 5, 6, 10, 0, tzinfo=conference.tzinfo)
    return make_talk(
        conference,
        "Empowering the school of the future",
        slug="school",
        subtitle="Remotely accessing files in a distributed LDAP and Samba-based infrastructure",
        language="de, en",
        day=day,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
    )


def test_the_page_shows_subtitle_and_language(client, talk):
    page = client.get(talk.get_absolute_url()).content.decode()

    assert '<p class="lead">Remotely accessing files in a distributed LDAP' in page
    assert "<dt>Language</dt><dd>German, English</dd>" in page  # the source wrote "de, en"


def test_the_api_reads_and_writes_them(client, talk, admin_client):
    body = client.get(f"/api/v1/talks/{talk.pk}/").json()
    assert body["subtitle"].startswith("Remotely accessing files")
    assert body["language"] == "de, en"

    changed = admin_client.patch(
        f"/api/v1/talks/{talk.pk}/", {"language": "fr"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    talk.refresh_from_db()
    assert talk.language == "fr"


def test_the_frab_exports_carry_them_and_stay_valid(client, talk):
    document = client.get("/conferences/fosdem-2021/schedule.json").json()
    schema = json.loads(shared_path("schemas", "schedule.json").read_text())
    Draft6Validator(schema, format_checker=FormatChecker()).validate(document)
    (room,) = document["schedule"]["conference"]["days"][0]["rooms"].values()
    assert room[0]["subtitle"].startswith("Remotely accessing files")
    assert room[0]["language"] == "de, en"

    xml = etree.fromstring(client.get("/conferences/fosdem-2021/schedule.xml").content)
    etree.XMLSchema(etree.parse(str(shared_path("schemas", "schedule.xml.xsd")))).assertValid(xml)
    assert xml.findtext(".//event/language") == "de, en"
    assert xml.findtext(".//event/subtitle").startswith("Remotely accessing files")
