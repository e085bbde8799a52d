"""Schedule imports of real-world shapes: every event in, or a named reason why not (issue 8)."""

import datetime
import io
import json
import threading
import uuid
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from talks.exports.identity import talk_guid
from talks.importers.data import ImportFailure
from talks.importers.fetch import fetch_if_changed
from talks.models import Conference, Speaker, Talk
from tests.schedule_files import json_event, json_schedule
from tests.shared_files import shared_path

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def run_import(*args):
    out = io.StringIO()
    call_command("import_schedule", *map(str, args), stdout=out)
    return out.getvalue()


def refusal(*args):
    with pytest.raises(CommandError) as refused:
        run_import(*args)
    return str(refused.value)


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def frab_xml(days, head="<time_zone_name>Europe/Brussels</time_zone_name>"):
    return (
        "<?xml version='1.0' encoding='utf-8'?><schedule><conference><title>Tiny</title>"
        f"<acronym>tiny</acronym><start>2012-02-04</start><end>2012-02-05</end>{head}"
        f"</conference>{days}</schedule>"
    )


def xml_event(event_id, title="Talk", start="10:00", extra="", guid=None):
    guid_attribute = f' guid="{guid}"' if guid else ""
    return (
        f'<event id="{event_id}"{guid_attribute}><start>{start}</start><duration>00:30</duration>'
        f"<room>H.1308</room><title>{title}</title>{extra}</event>"
    )


def rows():
    return {model.__name__: model.objects.count() for model in (Conference, Talk, Speaker)}


# --- 1. Both Pentabarf layouts, and every event accounted for -----------------------------------


def test_old_pentabarf_layout_events_directly_in_day(db, tmp_path):
    days = f'<day date="2012-02-04" index="1">{xml_event(0, "First")}{xml_event(3, "Second")}</day>'
    path = write(tmp_path, "old.xml", frab_xml(days, head=""))

    output = run_import(path, "--time-zone", "Europe/Brussels")

    assert "2 events read, 2 talks written." in output
    first = Talk.objects.get(title="First")
    assert first.guid == "0"  # no guid: the event id is its identity
    assert first.room.name == "H.1308"
    assert first.starts_at == datetime.datetime(2012, 2, 4, 10, 0, tzinfo=BRUSSELS)


def test_pentabarf_fosdem_2012_sample_gives_every_talk(db):
    path = shared_path("samples", "schedules", "pentabarf-fosdem-2012.xml")

    first = run_import(path, "--time-zone", "Europe/Brussels")
    second = run_import(path, "--time-zone", "Europe/Brussels")

    assert Conference.objects.get(slug="fosdem-2012").talks.count() == 442
    assert "442 events read, 442 talks written." in first
    assert "talk: 0 created, 0 updated, 442 unchanged" in second


def test_an_event_outside_any_day_fails_the_import_naming_it(db, tmp_path):
    days = f'<day date="2012-02-04">{xml_event(1)}</day><extra>{xml_event(2, "Lost")}</extra>'
    path = write(tmp_path, "stray.xml", frab_xml(days))

    message = refusal(path)

    assert "1 of 2 events cannot be imported" in message
    assert "<event id='2' guid=None>: not inside a <day>" in message
    assert rows() == dict.fromkeys(rows(), 0)


def test_skip_invalid_imports_the_rest_and_lists_each_skipped_event(db, tmp_path):
    days = f'<day date="2012-02-04">{xml_event(1)}{xml_event(2, "Bad", start="25:00")}</day>'
    path = write(tmp_path, "bad.xml", frab_xml(days))

    output = run_import(path, "--skip-invalid")

    assert "left out: line 1: <event id='2' guid=None>: start: “25:00” is not a time" in output
    assert "2 events read, 1 talks written, 1 left out." in output
    assert "without the 1 events listed above" in output
    assert list(Talk.objects.values_list("title", flat=True)) == ["Talk"]


def test_an_event_shown_in_two_rooms_is_one_talk(db, tmp_path):
    rooms = (
        f'<room name="A">{xml_event(7, "Lunch", guid="lunch-1")}</room>'
        f'<room name="B">{xml_event(7, "Lunch", guid="lunch-1")}</room>'
    )
    path = write(tmp_path, "break.xml", frab_xml(f'<day date="2012-02-04">{rooms}</day>'))

    output = run_import(path)

    assert Talk.objects.count() == 1
    assert "2 events read, 1 talks written, 1 listed twice (one talk each)." in output
    assert "listed again, one talk: line 1: <event id='7' guid='lunch-1'>" in output


# --- 2. Identity --------------------------------------------------------------------------------


def test_a_guid_that_is_no_uuid_is_the_identity_and_exports_get_a_stable_uuid(db, tmp_path):
    event = xml_event(5, "Old frab", guid="HOqeNIb6G7M4hYFKFRkCmQ")
    path = write(tmp_path, "frab2014.xml", frab_xml(f'<day date="2012-02-04">{event}</day>'))

    run_import(path)
    output = run_import(path)

    talk = Talk.objects.get()
    assert talk.guid == "HOqeNIb6G7M4hYFKFRkCmQ"
    assert "talk: 0 created, 0 updated, 1 unchanged" in output
    exported = talk_guid(talk)
    assert isinstance(exported, uuid.UUID)
    assert exported == talk_guid(Talk.objects.get())


# --- 5. Time zones, dates past midnight, byte-order marks ---------------------------------------


def test_a_file_without_a_time_zone_needs_the_option_named(db, tmp_path):
    path = write(
        tmp_path, "nozone.xml", frab_xml(f'<day date="2012-02-04">{xml_event(1)}</day>', "")
    )

    assert "--time-zone" in refusal(path)
    assert rows() == dict.fromkeys(rows(), 0)


def test_the_zone_of_a_conference_already_in_the_catalog_is_kept(db, tmp_path):
    days = f'<day date="2012-02-04">{xml_event(1)}</day>'
    run_import(write(tmp_path, "zoned.xml", frab_xml(days)))

    run_import(write(tmp_path, "unzoned.xml", frab_xml(days, head="")))

    assert Conference.objects.get().time_zone == "Europe/Brussels"


def test_the_file_time_zone_is_used(db, tmp_path):
    path = write(tmp_path, "zone.xml", frab_xml(f'<day date="2012-02-04">{xml_event(1)}</day>'))

    run_import(path)

    talk = Talk.objects.get()
    assert talk.conference.time_zone == "Europe/Brussels"
    assert talk.starts_at == datetime.datetime(2012, 2, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("day", "head"),
    [
        ('<day date="2012-02-04">', "<day_change>04:00</day_change>"),
        ('<day date="2012-02-04" start="2012-02-04T04:00:00">', ""),
    ],
)
def test_a_start_after_midnight_belongs_to_the_next_date(db, tmp_path, day, head):
    events = f"{xml_event(1, 'Evening', start='22:00')}{xml_event(2, 'Night', start='01:30')}"
    zone = "<time_zone_name>Europe/Brussels</time_zone_name>"
    path = write(tmp_path, "night.xml", frab_xml(f"{day}{events}</day>", head=zone + head))

    run_import(path)

    night = Talk.objects.get(title="Night")
    assert night.local_starts_at.replace(tzinfo=None) == datetime.datetime(2012, 2, 5, 1, 30)
    assert night.day.date == datetime.date(2012, 2, 5)
    assert Talk.objects.get(title="Evening").day.date == datetime.date(2012, 2, 4)


@pytest.mark.parametrize("kind", ["xml", "json"])
def test_a_utf8_byte_order_mark_is_accepted(db, tmp_path, kind):
    if kind == "xml":
        text = frab_xml(f'<day date="2012-02-04">{xml_event(1, "Café")}</day>')
    else:
        text = json_schedule([json_event(title="Café")])
    path = write(tmp_path, f"bom.{kind}", text, encoding="utf-8-sig")

    run_import(path)

    assert Talk.objects.get().title == "Café"


# --- 6. Subtitle, language, sizes, people -------------------------------------------------------


def test_subtitle_and_language_are_kept_and_a_long_value_is_cut_with_a_line(db, tmp_path):
    subtitle = "s" * 600
    extra = f"<subtitle>{subtitle}</subtitle><language>de, en</language>"
    path = write(
        tmp_path, "sub.xml", frab_xml(f'<day date="2012-02-04">{xml_event(1, extra=extra)}</day>')
    )

    output = run_import(path)

    talk = Talk.objects.get()
    assert talk.language == "de, en"
    assert talk.subtitle == "s" * 500
    assert "line 1: <event id='1' guid=None>: subtitle cut to 500 of its 600 characters" in output


def test_bare_person_elements_and_names_spaced_differently_are_one_speaker_in_order(db, tmp_path):
    first = xml_event(1, "One", extra="<person>Ada  Lovelace</person><person>Grace Hopper</person>")
    second = xml_event(
        2,
        "Two",
        extra="<persons><person>Grace\n Hopper</person><person>Ada Lovelace</person></persons>",
    )
    path = write(tmp_path, "people.xml", frab_xml(f'<day date="2012-02-04">{first}{second}</day>'))

    run_import(path)

    assert [s.name for s in Talk.objects.get(title="One").ordered_speakers] == [
        "Ada Lovelace",
        "Grace Hopper",
    ]
    assert [s.name for s in Talk.objects.get(title="Two").ordered_speakers] == [
        "Grace Hopper",
        "Ada Lovelace",
    ]
    assert Speaker.objects.count() == 2


def test_relative_attachments_resolve_against_base_url(db, tmp_path):
    extra = (
        '<attachments><attachment type="slides" href="/system/event_attachments/1/slides.pdf">'
        "Slides</attachment></attachments><links><link href='rel/only.pdf'>x</link></links>"
    )
    head = "<time_zone_name>UTC</time_zone_name><base_url>https://frab.example.org/</base_url>"
    path = write(
        tmp_path,
        "att.xml",
        frab_xml(f'<day date="2012-02-04">{xml_event(1, extra=extra)}</day>', head),
    )

    run_import(path)

    assert [link.url for link in Talk.objects.get().links.all()] == [
        "https://frab.example.org/rel/only.pdf",
        "https://frab.example.org/system/event_attachments/1/slides.pdf",
    ]


def test_a_relative_link_without_base_url_is_left_out_with_a_line(db, tmp_path):
    extra = "<links><link href='489/slides.pdf'>Slides</link></links>"
    path = write(
        tmp_path, "rel.xml", frab_xml(f'<day date="2012-02-04">{xml_event(1, extra=extra)}</day>')
    )

    output = run_import(path)

    assert "“Talk”: link left out: “489/slides.pdf” has no scheme" in output
    assert Talk.objects.get().links.count() == 0


# --- 7. Wrong shapes are errors, never data -----------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"persons": "Alice"}, "persons: expected a list of people, found text"),
        ({"persons": [7]}, "persons: expected a name, found a number"),
        ({"title": ["A", "list"]}, "title: expected text, found a list"),
        ({"title": {"en": ["nested"]}}, "title: expected text, found an object"),
        ({"links": 5}, "links: expected a list of links, found a number"),
        ({"links": [{"url": ["x"]}]}, "links: url: expected text, found a list"),
        ({"attachments": "file.pdf"}, "attachments: expected a list of links, found text"),
        ({"date": "9999-12-31T23:59:00-12:00"}, "date: 9999-12-31 is out of range"),
        ({"date": "0001-01-01T00:30:00+14:00"}, "date: 0001-01-01 is out of range"),
        ({"date": 12}, "date: “12” is not an ISO date-time"),
        ({"duration": [30]}, "duration: expected text, found a list"),
        ({"guid": None, "id": None}, "guid: the event has neither a guid nor an id"),
    ],
)
def test_a_wrong_shape_is_a_one_line_error_and_changes_nothing(db, tmp_path, fields, reason):
    path = write(tmp_path, "shape.json", json_schedule([json_event(**fields)]))

    message = refusal(path)

    assert "rooms['Main'][0]" in message
    assert reason in message
    assert rows() == dict.fromkeys(rows(), 0)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"schedule": {"conference": {"title": "T", "days": "all"}}}, "expected a list of days"),
        ({"schedule": {"conference": {"title": "T", "days": [3]}}}, "expected a day object"),
        ({"schedule": {"conference": {"title": ["T"], "days": []}}}, "conference title"),
        (
            {"schedule": {"conference": {"title": "T", "start": "0000-01-01", "days": []}}},
            "conference start",
        ),
        (
            {"schedule": {"conference": {"title": "T", "days": [{"rooms": {"A": 1}}]}}},
            "list of events",
        ),
        (
            {"schedule": {"conference": {"title": "T", "days": [{"rooms": {"A": [2]}}]}}},
            "event object",
        ),
    ],
)
def test_a_wrong_shape_outside_events_is_an_error(db, tmp_path, document, reason):
    path = write(tmp_path, "head.json", json.dumps(document))

    assert reason in refusal(path)
    assert rows() == dict.fromkeys(rows(), 0)


# --- 9. Dry runs and schedules on the web -------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(db, tmp_path):
    path = write(tmp_path, "dry.json", json_schedule([json_event(), json_event(title="Two")]))

    output = run_import(path, "--dry-run")

    assert "talk: 2 created, 0 updated, 0 unchanged" in output
    assert "Dry run: 2 events read, 2 talks written. Nothing was written." in output
    assert rows() == dict.fromkeys(rows(), 0)


class _Site(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        if self.path == "/schedule.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(self.body)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/schedule.json")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    _Site.body = json_schedule([json_event(title="From the web")]).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/schedule.json", "/moved"])
def test_a_schedule_is_imported_from_its_url(db, site, path):
    output = run_import(f"{site}{path}")

    assert Talk.objects.get().title == "From the web"
    assert "1 events read, 1 talks written." in output


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.json", "the server answered 404"),
        ("/to-file", "file:///etc/passwd"),
        ("/loop", "redirect"),
    ],
)
def test_a_url_that_gives_no_schedule_is_a_clear_error(db, site, path, reason):
    assert reason in refusal(f"{site}{path}")
    assert rows() == dict.fromkeys(rows(), 0)


def test_a_url_with_nothing_listening_is_a_clear_error(db):
    assert "cannot fetch it" in refusal("http://127.0.0.1:9/schedule.json")


def test_a_schedule_over_the_size_limit_is_refused(db, site):
    with pytest.raises(ImportFailure, match="over the limit of 100"):
        fetch_if_changed(f"{site}/schedule.json", max_bytes=100)


def test_a_schedule_of_too_many_values_is_refused_unparsed(db, site):
    message = refusal(f"{site}/schedule.json", "--max-values", "5")
    assert f"{site}/schedule.json: the file has more than 5 values" in message
    assert rows() == dict.fromkeys(rows(), 0)


# --- 4. Abstracts keep their markup's format ----------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "description", "text_format", "stored"),
    [
        ("&lt;p&gt;Ada &amp;amp;#39;s&lt;/p&gt;", "", "html", "<p>Ada &amp;#39;s</p>"),
        ("Read **this**", "", "markdown", "Read **this**"),
        (
            'Read [it](https://x.example/it "The paper")',
            "",
            "markdown",
            'Read [it](https://x.example/it "The paper")',
        ),
        ("Plain words", "Second part", "plain", "Plain words\n\nSecond part"),
        (
            "&lt;p&gt;Rich&lt;/p&gt;",
            "Plain 1 &lt; 2\n\nTwo",
            "html",
            "<p>Rich</p>\n\n<p>Plain 1 &lt; 2</p>\n<p>Two</p>",
        ),
    ],
)
def test_an_abstract_keeps_its_format(db, tmp_path, abstract, description, text_format, stored):
    extra = f"<abstract>{abstract}</abstract><description>{description}</description>"
    days = f'<day date="2012-02-04">{xml_event(1, extra=extra)}</day>'
    run_import(write(tmp_path, "abstract.xml", frab_xml(days)))

    talk = Talk.objects.get()
    assert (talk.abstract, talk.abstract_format) == (stored, text_format)


def test_imported_fosdem_pages_and_exports_show_no_escaped_tags(db, client):
    path = shared_path("samples", "schedules", "pentabarf-fosdem-2012.xml")
    run_import(path, "--time-zone", "Europe/Brussels")
    conference = Conference.objects.get(slug="fosdem-2012")
    talks = conference.talks.exclude(abstract="").order_by("pk")[:25]
    assert talks
    assert all(talk.abstract_format == "html" for talk in talks)

    documents = [client.get(talk.get_absolute_url()).content.decode() for talk in talks]
    for export in ("schedule.ics", "schedule.json", "schedule.xml", "talks/feed/"):
        documents.append(client.get(f"/conferences/fosdem-2012/{export}").content.decode())

    for document in documents:
        assert "1970-01-01" not in document
        assert "&lt;p&gt;" not in document
        assert "&amp;lt;" not in document
        assert "&amp;#39;" not in document


def test_a_reimport_of_the_same_file_changes_no_record_date(db, tmp_path):
    days = f'<day date="2012-02-04">{xml_event(1, extra="<person>Ada</person>")}</day>'
    path = write(tmp_path, "same.xml", frab_xml(days))
    run_import(path)
    dates = [
        list(model.objects.values_list("updated_at", flat=True))
        for model in (Conference, Talk, Speaker)
    ]

    output = run_import(path)

    assert "conference: 0 created, 0 updated, 1 unchanged" in output
    assert dates == [
        list(model.objects.values_list("updated_at", flat=True))
        for model in (Conference, Talk, Speaker)
    ]


def test_relative_links_in_c3voc_json_resolve_against_the_schedule_base_url(db, tmp_path):
    event = json_event(attachments=[{"url": "/system/slides.pdf", "title": "Slides"}])
    document = json.loads(json_schedule([event]))
    document["schedule"]["base_url"] = "https://frab.example.org/camp/"
    run_import(write(tmp_path, "base.json", json.dumps(document)))

    assert [link.url for link in Talk.objects.get().links.all()] == [
        "https://frab.example.org/system/slides.pdf"
    ]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/a b.json", "http://[::1/x.json"])
def test_a_url_that_cannot_be_fetched_is_a_one_line_error(db, url):
    assert "Nothing was imported." in refusal(url)


def test_tracks_whose_names_share_a_slug_stay_apart(db, tmp_path):
    events = "".join(
        xml_event(n, f"Talk {n}", extra=f"<track>{track}</track>")
        for n, track in enumerate(["C++", "C", "日本語", "中文"], start=1)
    )
    run_import(write(tmp_path, "tracks.xml", frab_xml(f'<day date="2012-02-04">{events}</day>')))

    assert sorted(Talk.objects.values_list("track__name", flat=True)) == sorted(
        ["C++", "C", "日本語", "中文"]
    )


def test_elements_inside_texts_and_speaker_lists_are_kept(db, tmp_path):
    extra = (
        "<abstract><p>Hello <b>world</b></p></abstract>"
        "<speakers><speaker>Alice</speaker></speakers>"
    )
    event = xml_event(1, "Foo <i>bar</i> baz", extra=extra)
    run_import(write(tmp_path, "inline.xml", frab_xml(f'<day date="2012-02-04">{event}</day>')))

    talk = Talk.objects.get()
    assert talk.title == "Foo bar baz"
    assert (talk.abstract, talk.abstract_format) == ("<p>Hello <b>world</b></p>", "html")
    assert [speaker.name for speaker in talk.ordered_speakers] == ["Alice"]


def test_a_json_day_start_moves_an_undated_start_after_midnight(db, tmp_path):
    event = json_event(title="Night", start="01:30", date=None)
    document = json.loads(json_schedule([event]))
    document["schedule"]["conference"]["days"][0]["day_start"] = "2024-05-06T09:00:00+02:00"
    run_import(write(tmp_path, "night.json", json.dumps(document)))

    night = Talk.objects.get()
    assert night.local_starts_at.replace(tzinfo=None) == datetime.datetime(2024, 5, 7, 1, 30)


def test_pyvideo_names_every_broken_talk_file_and_skip_invalid_skips_them(db, tmp_path):
    folder = tmp_path / "tinycon-2024"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"title": "TinyCon 2024"}')
    (folder / "videos" / "a.json").write_text('{"title": "Good"}')
    (folder / "videos" / "b.json").write_text('{"title": "Bad", "speakers": "Alice"}')
    (folder / "videos" / "c.json").write_text('{"title": ["Worse"]}')

    with pytest.raises(CommandError) as refused:
        call_command("import_pyvideo", str(folder), stdout=io.StringIO())
    assert "b.json: speakers" in str(refused.value)
    assert "c.json: title" in str(refused.value)
    assert not Talk.objects.exists()

    out = io.StringIO()
    call_command("import_pyvideo", str(folder), "--skip-invalid", stdout=out)
    assert "3 talks read, 1 talks written, 2 left out." in out.getvalue()
    assert list(Talk.objects.values_list("title", flat=True)) == ["Good"]


# --- Real-file gaps (issue 17, point 5) ---------------------------------------------------------

# As a Jekyll site's frab template writes its events: every element present, empty or not.
JEKYLL_EVENT = (
    '<event guid="{guid}" id="{id}"><date>2019-09-12T{start}:00+02:00</date><start>{start}</start>'
    "<duration>00:40</duration><room>Main hall</room><slug>jk-{id}</slug>"
    "<url>https://conf.example.org/talks/{id}/</url><title>{title}</title><subtitle></subtitle>"
    "<track></track><type>Talk</type><language>en</language><abstract>{title}.</abstract>"
    "<description></description><persons>{persons}</persons><links></links>"
    "<attachments></attachments></event>"
)


def jekyll_schedule(events):
    body = "".join(
        JEKYLL_EVENT.format(guid=uuid.uuid5(uuid.NAMESPACE_URL, str(n)), id=n, **event)
        for n, event in enumerate(events, start=1)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><schedule><version>1</version><conference>"
        "<acronym>jk19</acronym><title>Jekyll Conf</title><start>2019-09-12</start>"
        "<end>2019-09-12</end><time_zone_name>Europe/Berlin</time_zone_name></conference>"
        f'<day index="1" date="2019-09-12"><room name="Main hall">{body}</room></day></schedule>'
    )


def test_an_empty_person_element_is_no_speaker_and_the_event_is_kept(db, tmp_path):
    events = [
        {"start": "09:00", "title": "Welcome", "persons": "<person></person>"},
        {
            "start": "10:00",
            "title": "Keynote",
            "persons": '<person id="4">Ada Lovelace</person><person id="5">  \n </person>',
        },
        {"start": "11:00", "title": "Lunch", "persons": "<person/><person></person>"},
    ]
    path = write(tmp_path, "jekyll.xml", jekyll_schedule(events))

    output = run_import(path)

    assert "3 events read, 3 talks written." in output
    assert list(Talk.objects.get(title="Welcome").speakers.all()) == []
    assert [s.name for s in Talk.objects.get(title="Keynote").ordered_speakers] == ["Ada Lovelace"]
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Ada Lovelace"]
    assert links_of(Talk.objects.get(title="Welcome")) == [
        ("On the conference site", "https://conf.example.org/talks/1/", "website")
    ]
    for line, (title, count) in enumerate([("Welcome", 1), ("Keynote", 1), ("Lunch", 2)]):
        assert (
            f"<event id='{line + 1}' guid='{uuid.uuid5(uuid.NAMESPACE_URL, str(line + 1))}'> "
            f"“{title}”: persons: {count} without a name left out (an empty entry is no speaker)"
        ) in output


@pytest.mark.parametrize(
    "persons",
    [
        [{"public_name": ""}],
        [{"public_name": " \t\n "}],
        [{"id": 3, "public_name": None, "name": None}],
        [""],
        [None],
    ],
)
def test_a_json_person_without_a_name_is_no_speaker(db, tmp_path, persons):
    event = json_event(title="Panel", persons=[*persons, {"public_name": "Grace Hopper"}])
    output = run_import(write(tmp_path, "nameless.json", json_schedule([event])))

    assert [s.name for s in Talk.objects.get().ordered_speakers] == ["Grace Hopper"]
    assert (
        f"rooms['Main'][0] (event {event['guid']}) “Panel”: persons: 1 without a name left out"
    ) in output


def links_of(talk):
    return [(link.title, link.url, link.kind) for link in talk.links.order_by("position")]


def test_the_event_url_is_a_link_to_its_page_at_the_source(db, tmp_path):
    page = "https://pretalx.example.org/conf-2024/talk/G9JGWY/"
    slides = {"url": "https://slides.example.org/deck.pdf", "title": "Deck", "type": "slides"}
    path = write(tmp_path, "page.json", json_schedule([json_event(url=page, links=[slides])]))

    run_import(path)
    second = run_import(path)

    assert links_of(Talk.objects.get()) == [
        ("Deck", "https://slides.example.org/deck.pdf", "slides"),
        ("On the conference site", page, "website"),
    ]
    assert "talk: 0 created, 0 updated, 1 unchanged" in second


def test_a_relative_event_url_resolves_against_the_base_url(db, tmp_path):
    head = "<time_zone_name>UTC</time_zone_name><base_url>https://frab.example.org/</base_url>"
    event = xml_event(1, extra="<url>/en/conf/public/events/1</url>")
    run_import(write(tmp_path, "rel.xml", frab_xml(f'<day date="2012-02-04">{event}</day>', head)))

    assert links_of(Talk.objects.get()) == [
        ("On the conference site", "https://frab.example.org/en/conf/public/events/1", "website")
    ]


def test_an_event_url_among_the_event_links_is_one_link_with_the_file_title(db, tmp_path):
    page = "https://Conf.Example.org/talks/1/"
    event = json_event(url=page, links=[{"url": page.lower(), "title": "Talk page"}])

    output = run_import(write(tmp_path, "same.json", json_schedule([event])))

    assert links_of(Talk.objects.get()) == [
        ("Talk page", "https://conf.example.org/talks/1/", "resource")
    ]
    assert "listed twice" not in output


@pytest.mark.parametrize(
    "page",
    [
        "http://localhost/democon/talk/G9JGWY/",
        "http://pretalx.localhost:8000/talk/1/",
        "http://127.0.0.1:8000/talk/1/",
        "http://[::1]/talk/1/",
        "http://192.168.1.20/talk/1/",
    ],
)
def test_an_event_url_on_a_local_address_is_left_out_with_a_line(db, tmp_path, page):
    path = write(tmp_path, "local.json", json_schedule([json_event(title="Demo", url=page)]))

    output = run_import(path)

    assert links_of(Talk.objects.get()) == []
    assert "“Demo”: page at the source left out: “http://" in output
    assert "is a local address, not a public page" in output
    assert "1 events read, 1 talks written." in output


def test_a_broken_event_url_is_left_out_with_a_line_and_the_event_kept(db, tmp_path):
    path = write(tmp_path, "broken.json", json_schedule([json_event(url="talks/1.html")]))

    output = run_import(path)

    assert "page at the source left out: “talks/1.html” has no scheme" in output
    assert Talk.objects.get().links.count() == 0


def test_a_link_listed_twice_in_an_event_is_kept_once_with_a_line(db, tmp_path):
    event = json_event(
        title="Twice",
        links=[
            {"url": "https://Slides.example.org/a b.pdf", "title": "Slides", "type": "slides"},
            {"url": "https://code.example.org/repo", "title": "Code"},
            {"url": "https://code.example.org/repo", "title": "Code"},
        ],
        attachments=[{"url": "https://slides.example.org/a%20b.pdf", "title": "a b.pdf"}],
    )

    output = run_import(write(tmp_path, "twice.json", json_schedule([event])))

    assert links_of(Talk.objects.get()) == [
        ("Slides", "https://slides.example.org/a%20b.pdf", "slides"),
        ("Code", "https://code.example.org/repo", "resource"),
    ]
    where = f"(event {event['guid']}) “Twice”"
    assert (
        f"{where}: link “https://slides.example.org/a%20b.pdf” listed twice, kept once with its "
        "first title “Slides” (“a b.pdf” left out)"
    ) in output
    assert f"{where}: link “https://code.example.org/repo” listed twice, kept once\n" in output


# pretalx writes the names of tracks, session types and rooms as {language: text}.
TRACK = {"en": "Security", "de": "Sicherheit", "fr": "Sécurité"}
TYPE = {"en": "Talk", "de": "Vortrag"}


def pretalx_events(*languages):
    return [
        json_event(id=n, title=f"Talk {n}", language=language, track=TRACK, type=TYPE)
        for n, language in enumerate(languages, start=1)
    ]


@pytest.mark.parametrize(
    ("languages", "track", "kept", "left_out"),
    [
        (["de", "de", "en"], "Sicherheit", "de", "en, fr"),
        (["en", "de", "en"], "Security", "en", "de, fr"),
        (["DE_de", "de-formal"], "Sicherheit", "de", "en, fr"),
        # No event names its language: English, as most of the catalog's conferences write.
        (["", "", ""], "Security", "en", "de, fr"),
        # A language no value has: English again, then the first language given.
        (["pt-br"], "Security", "en", "de, fr"),
    ],
)
def test_texts_in_several_languages_keep_the_conference_language(
    db, tmp_path, languages, track, kept, left_out
):
    events = pretalx_events(*languages)

    output = run_import(write(tmp_path, "i18n.json", json_schedule(events)))

    # One track for every talk, whatever each talk's own language.
    assert set(Talk.objects.values_list("track__name", flat=True)) == {track}
    lines = output.splitlines()
    for event in events:
        (line,) = [line for line in lines if f"(event {event['guid']}) “" in line]
        assert f"“{event['title']}”: other languages left out: " in line
        assert f"track in {left_out} (kept: {kept})" in line
        assert "type in " in line


def test_the_first_language_is_kept_when_neither_the_conference_nor_english_is_given(db, tmp_path):
    event = json_event(title="Wykład", language="pl", track={"de": "Netz", "fr": "Réseau"})

    output = run_import(write(tmp_path, "first.json", json_schedule([event])))

    assert Talk.objects.get().track.name == "Netz"
    assert "“Wykład”: other languages left out: track in fr (kept: de)" in output


def test_languages_that_repeat_the_kept_text_or_are_empty_lose_nothing(db, tmp_path):
    event = json_event(
        title="Same",
        language="de",
        track={"en": "Python", "de": "Python", "fr": ""},
        room={},
        subtitle={"de": "  "},
    )

    output = run_import(write(tmp_path, "same.json", json_schedule([event])))

    talk = Talk.objects.get()
    assert (talk.track.name, talk.subtitle, talk.room.name) == ("Python", "", "Main")
    assert "other languages left out" not in output


def test_a_conference_title_in_several_languages_keeps_the_conference_language(db, tmp_path):
    events = pretalx_events("de")
    path = write(
        tmp_path,
        "title.json",
        json_schedule(events, title={"en": "Data Days", "de": "Datentage"}),
    )

    output = run_import(path)

    assert Conference.objects.get(slug="tiny").name == "Datentage"
    assert "conference: other languages left out: title in en (kept: de)\n" in output
