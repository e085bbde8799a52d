"""The speaker list's and the talk lists' items are written in Python (talks/templatetags/
talk_items.py), not by the template's autoescaping: every value must still come out escaped."""

import datetime

import pytest

from talks.models import Organization

from .builders import make_conference, make_day, make_speaker, make_talk, make_track

HOSTILE = "<b>&\"'x"
ESCAPED = "&lt;b&gt;&amp;&quot;&#x27;x"


@pytest.fixture
def hostile_speaker(db):
    conference = make_conference(name=f"Conf {HOSTILE}")
    organization = Organization.objects.create(slug="org", name=f"Org {HOSTILE}")
    speaker = make_speaker(f"Ann {HOSTILE}", role=f"Role {HOSTILE}", organization=organization)
    make_talk(
        conference,
        title=f"Talk {HOSTILE}",
        speakers=[speaker],
        day=make_day(conference, label=f"Label {HOSTILE}"),
        track=make_track(conference, name=f"Track {HOSTILE}"),
        starts_at=datetime.datetime(2024, 5, 6, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 5, 6, 10, tzinfo=datetime.UTC),
    )
    return speaker


@pytest.mark.parametrize("page", ["list", "detail"])
def test_every_value_in_the_rows_is_escaped(client, hostile_speaker, page):
    url = "/speakers/" if page == "list" else hostile_speaker.get_absolute_url()
    content = client.get(url).content.decode()
    assert HOSTILE not in content
    expected = ["Ann", "Role", "Org", "Talk"]
    if page == "detail":
        expected += ["Label", "Track"]
    for value in expected:
        assert f"{value} {ESCAPED}" in content
