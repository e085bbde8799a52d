"""A NUL character (\\x00) in any text is refused by model validation, so the admin, the API
and load_catalog refuse it alike rather than storing it on SQLite and failing on PostgreSQL;
the importers drop it from outside files with a line in their report. So are the other
characters XML cannot carry (a vertical tab made the XML export and the feeds a 500), and a
direction control left unpaired (a right-to-left override with no end), which would turn
around the text a page shows after the value."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from lxml import etree

from talks.freshness import retire_everything
from talks.models import Conference, Room, Speaker, Talk
from talks.models.base import NOT_XML_CHARACTER
from tests.builders import make_announcement, make_conference, make_day, make_speaker, make_talk
from tests.schedule_files import json_event, json_schedule

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: make_talk(make_conference()), "title"),  # a CharField
        (lambda: make_talk(make_conference()), "abstract"),  # a LongTextField
        (lambda: make_speaker(), "bio"),
        (lambda: make_conference(), "venue"),
        (lambda: make_conference().days.create(number=1), "label"),  # a ChildNaturalKey record
    ],
)
def test_model_validation_refuses_a_nul_in_any_text(build, field):
    record = build()
    setattr(record, field, f"before{NUL}after")

    with pytest.raises(ValidationError) as refused:
        record.full_clean()

    assert refused.value.message_dict[field] == ["Null characters are not allowed."]


def test_the_api_answers_400_naming_the_field(admin_client):
    talk = make_talk(make_conference())

    response = admin_client.patch(
        f"/api/v1/talks/{talk.pk}/",
        {"abstract": f"An{NUL} abstract"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"abstract": ["Null characters are not allowed."]}


def test_the_admin_refuses_it_on_the_field(admin_client):
    speaker = make_speaker("Ada Lovelace")

    response = admin_client.post(
        f"/admin/talks/speaker/{speaker.pk}/change/",
        {"name": f"Ada{NUL}", "slug": speaker.slug},
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Speaker.objects.get().name == "Ada Lovelace"


def test_load_catalog_refuses_the_record(tmp_path):
    catalog = tmp_path / "catalog.json"
    record = {"model": "talks.speaker", "fields": {"slug": "ada", "name": f"Ada{NUL}"}}
    catalog.write_text(json.dumps([record]))

    with pytest.raises(CommandError, match="Null characters are not allowed"):
        call_command("load_catalog", str(catalog), stdout=io.StringIO())
    assert not Speaker.objects.exists()


def test_import_schedule_drops_it_and_says_so(tmp_path):
    schedule = tmp_path / "tiny.json"
    event = json_event(title=f"Fi{NUL}ne", abstract=f"Some{NUL}{NUL} words")
    schedule.write_text(json_schedule([event]))
    out = io.StringIO()

    call_command("import_schedule", str(schedule), stdout=out)

    talk = Talk.objects.get()
    assert (talk.title, talk.abstract) == ("Fine", "Some words")
    assert (
        "file: 3 control character(s) removed (NUL or others the catalog cannot store)"
        in out.getvalue()
    )


def test_import_schedule_drops_the_other_characters_the_catalog_cannot_store(tmp_path):
    schedule = tmp_path / "pasted.json"
    # A form feed and a vertical tab pasted from a PDF, a lone surrogate, U+FFFE; tabs, line
    # breaks and accents are text.
    event = json_event(title="Page\x0c two\ud800", abstract="Col\tumn\x0b\ufffe and é\n")
    schedule.write_text(json_schedule([event]))
    out = io.StringIO()

    call_command("import_schedule", str(schedule), stdout=out)

    talk = Talk.objects.get()
    assert (talk.title, talk.abstract) == ("Page two", "Col\tumn and é")
    assert "file: 4 control character(s) removed" in out.getvalue()


def test_a_form_feed_alone_is_found_in_its_short_json_escape(tmp_path):
    schedule = tmp_path / "feed.json"
    schedule.write_text(json_schedule([json_event(title="Page\x0cbreak")]))
    assert "\\f" in schedule.read_text()  # not a \\u escape
    out = io.StringIO()

    call_command("import_schedule", str(schedule), stdout=out)

    assert Talk.objects.get().title == "Pagebreak"
    assert "file: 1 control character(s) removed" in out.getvalue()


def test_import_pyvideo_drops_it_and_says_so(tmp_path):
    folder = tmp_path / "pycon-x-2021"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text(json.dumps({"title": f"PyCon{NUL} X"}))
    video = {
        "title": f"Tracing{NUL}",
        "speakers": [f"Alice{NUL} Example"],
        "recorded": "2021-06-02",
    }
    (folder / "videos" / "tracing.json").write_text(json.dumps(video))
    out = io.StringIO()

    call_command("import_pyvideo", str(folder), stdout=out)

    assert Conference.objects.get().name == "PyCon X"
    talk = Talk.objects.get()
    assert talk.title == "Tracing"
    assert [speaker.name for speaker in talk.ordered_speakers] == ["Alice Example"]
    assert "category.json: 1 control character(s) removed" in out.getvalue()
    assert "tracing.json: 2 control character(s) removed" in out.getvalue()


RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


@pytest.mark.parametrize(
    "text",
    [f"Ada{RLO}", f"{PDF}Ada", f"{RLI}Ada", f"{RLI}A{RLO}da{PDI}", f"{RLO}A{RLI}d{PDF}a{PDI}"],
)
def test_model_validation_refuses_an_unpaired_direction_control(text):
    speaker = make_speaker("Ada")
    speaker.name = text

    with pytest.raises(ValidationError) as refused:
        speaker.full_clean()

    assert "is not paired within this text" in refused.value.message_dict["name"][0]


@pytest.mark.parametrize(
    "text", ["\u05e2\u05d3\u05d4", f"{RLI}\u05e2\u05d3\u05d4{PDI} 2017", f"a{RLO}b{PDF}c\u200f"]
)
def test_right_to_left_text_and_paired_controls_are_kept(text):
    speaker = make_speaker("Ada")
    speaker.name = text
    speaker.full_clean()


def test_the_api_refuses_an_unpaired_direction_control_naming_the_field(admin_client):
    talk = make_talk(make_conference(), title="Before")

    response = admin_client.patch(
        f"/api/v1/talks/{talk.pk}/", {"title": f"Evil{RLO}"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "U+202E (right-to-left override)" in response.json()["title"][0]
    assert Talk.objects.get().title == "Before"


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1b", "\ufffe"])
def test_model_validation_refuses_a_character_xml_cannot_carry(char):
    talk = make_talk(make_conference())
    talk.title = f"Tab{char}le"

    with pytest.raises(ValidationError) as refused:
        talk.full_clean()

    message = f"The character U+{ord(char):04X} is not allowed: the XML exports and feeds"
    assert refused.value.message_dict["title"] == [f"{message} cannot carry it."]


def test_tabs_line_breaks_and_other_controls_xml_allows_are_kept():
    talk = make_talk(make_conference())
    talk.abstract = "Tab\there,\r\nlines\n\u0085and\u2028more\x7f"
    talk.full_clean()


def test_the_api_refuses_a_character_xml_cannot_carry_naming_the_field(admin_client):
    speaker = make_speaker("Ada")

    response = admin_client.patch(
        f"/api/v1/speakers/{speaker.slug}/", {"bio": "Bell\x07"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "bio": ["The character U+0007 is not allowed: the XML exports and feeds cannot carry it."]
    }


@pytest.mark.parametrize(
    "url",
    [
        "/conferences/{slug}/schedule.xml",
        "/conferences/{slug}/talks/feed/",
        "/speakers/{speaker}/feed/",
        "/announcements/feed/",
    ],
)
def test_exports_and_feeds_drop_what_xml_cannot_carry_from_rows_written_around_validation(
    client, url
):
    conference = make_conference(name="Conf\x0b")
    day = make_day(conference)
    speaker = make_speaker("Ada")
    talk = make_talk(conference, day=day, speakers=[speaker])
    room = Room.objects.create(conference=conference, name="Room")
    starts = datetime.datetime(2024, 5, 6, 9, tzinfo=datetime.UTC)
    # QuerySet.update() runs no validation, as loaddata and raw SQL do not.
    Talk.objects.filter(pk=talk.pk).update(
        title="Bell\x07 title", abstract="Form\x0cfeed", room=room, starts_at=starts
    )
    Room.objects.filter(pk=room.pk).update(name="Aula\x1b")
    Speaker.objects.filter(pk=speaker.pk).update(name="Ada\x01")
    make_announcement(conference, title="Launch\ufffe")
    retire_everything()

    response = client.get(url.format(slug=conference.slug, speaker=speaker.slug))

    assert response.status_code == 200
    document = etree.fromstring(response.content)  # well-formed XML
    text = etree.tostring(document, encoding="unicode")
    assert "Bell title" in text or "Launch" in text
    assert not NOT_XML_CHARACTER.search(text)
