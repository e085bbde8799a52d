"""A talk's length (issue 18, point 5): pyvideo's duration kept, shown as "28 min" in lists
and on pages, given by the API and as a JSON-LD duration; a slot's length otherwise."""

import datetime
import json
import re

import pytest

from talks.lengths import iso_duration, length_text
from talks.models import Talk
from tests.builders import make_conference, make_talk
from tests.shared_files import shared_path
from tests.test_import_pyvideo import a_video, run_import, write_event_folder

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("seconds", "text", "iso"),
    [
        (1692, "28 min", "PT28M12S"),
        (20, "1 min", "PT20S"),
        (3900, "1 h 05 min", "PT1H5M"),
        (0, "1 min", "PT0S"),
    ],
)
def test_lengths_read_as_minutes_and_as_iso_durations(seconds, text, iso):
    length = datetime.timedelta(seconds=seconds)
    assert (length_text(length), iso_duration(length)) == (text, iso)


def test_pyvideo_durations_are_kept(db):
    run_import(shared_path("samples", "pyvideo", "pycon-ca-2016"))

    talk = Talk.objects.get(title="Make some noise with Python and generate terrain")
    assert talk.duration == 1692


@pytest.mark.parametrize(
    ("duration", "message"),
    [("28:12", "expected a whole number of seconds, not text"), (-5, "is not the length")],
)
def test_a_wrong_duration_is_named(db, tmp_path, duration, message):
    folder = write_event_folder(tmp_path, "con", {"con-x": a_video(duration=duration)})
    with pytest.raises(Exception, match=message):
        run_import(folder)
    assert not Talk.objects.exists()


def test_lists_pages_api_and_json_ld_show_the_length(client, db):
    conference = make_conference(slug="len")
    recorded = make_talk(conference, title="Recorded", duration=1692)
    start = datetime.datetime(2024, 5, 6, 10, tzinfo=UTC)
    make_talk(
        conference,
        title="Slotted",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
    )

    listed = client.get("/conferences/len/talks/").content.decode()
    assert listed.count('<span class="length">') == 2
    assert '<span class="length">28 min</span>' in listed
    assert '<span class="length">45 min</span>' in listed
    page = client.get(recorded.get_absolute_url()).content.decode()
    assert "<dt>Length</dt><dd>28 min</dd>" in page
    [structured] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(structured)["duration"] == "PT28M12S"
    assert client.get(f"/api/v1/talks/{recorded.pk}/").json()["duration"] == 1692
