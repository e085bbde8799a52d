import datetime
import io
import json
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count

from talks.filters import TalkFilterSet
from talks.models import Conference, Day, Room, Speaker, Talk, TalkLink, Track
from tests.schedule_files import json_event
from tests.shared_files import shared_path

UTC = datetime.UTC


def run_import(*args):
    out = io.StringIO()
    call_command("import_schedule", *map(str, args), stdout=out)
    return out.getvalue()


def sample(name):
    return shared_path("samples", "schedules", name)


def snapshot():
    """Row counts of everything an import writes, to prove a failed one changed nothing."""
    return {
        model.__name__: model.objects.count()
        for model in (Conference, Day, Room, Track, Speaker, Talk, TalkLink)
    }


def talk(guid):
    return Talk.objects.for_detail().get(guid=guid)


def local(moment, zone):
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


# (file, extra arguments, conference slug, events in the file)
SAMPLES = [
    ("pretalx-democon.json", [], "democon", 36),
    ("voc-pretalx-rc3.json", [], "rc3-channels-2020", 48),
    ("voc-frab-camp2019.json", [], "camp2019", 79),
    ("giggity-debconf23.xml", [], "debconf23", 117),
    ("giggity-fosdem_2021.xml", ["--time-zone", "Europe/Brussels"], "fosdem-2021", 773),
    ("pentabarf-fosdem-2012.xml", ["--time-zone", "Europe/Brussels"], "fosdem-2012", 442),
]


@pytest.mark.parametrize(("name", "extra", "slug", "events"), SAMPLES)
def test_each_sample_imports_twice_without_duplicates(db, name, extra, slug, events):
    first = run_import(sample(name), *extra)
    counts = snapshot()
    second = run_import(sample(name), *extra)

    assert snapshot() == counts
    conference = Conference.objects.get(slug=slug)
    assert conference.talks.count() == events
    assert f"talk: {events} created, 0 updated, 0 unchanged" in first
    assert f"talk: 0 created, 0 updated, {events} unchanged" in second
    for output in (first, second):
        assert f": {events} events read, {events} talks written." in output
    assert not Talk.objects.values("conference", "guid").annotate(n=Count("id")).filter(n__gt=1)
    # Every talk's start falls on its day, in the conference's time zone.
    for imported in conference.talks.select_related("day", "conference"):
        assert imported.day.date == imported.local_starts_at.date()


def test_pretalx_democon_records(db):
    run_import(sample("pretalx-democon.json"))

    conference = Conference.objects.get(slug="democon")
    assert conference.name == "DemoCon"
    # Both rooms carry the same guid in the file: rooms are keyed on their names.
    assert set(conference.rooms.values_list("name", flat=True)) == {"Gray Room", "Tan Room"}
    focused = talk("8079583e-8321-506c-95af-fd2903a5f075")
    assert focused.title == "Focused 5thgeneration hardware"
    assert focused.starts_at == datetime.datetime(2020, 12, 14, 8, 0, tzinfo=UTC)
    assert focused.ends_at - focused.starts_at == datetime.timedelta(minutes=30)
    assert focused.room.name == "Gray Room"
    assert focused.track.name == "Phased"
    assert [s.name for s in focused.ordered_speakers] == ["Brian Robinson"]


def test_frab_camp2019_records(db):
    run_import(sample("voc-frab-camp2019.json"))

    conference = Conference.objects.get(slug="camp2019")
    assert conference.time_zone == "Europe/Berlin"
    assert conference.days.count() == 5
    opening = talk("a0a0fcfe-b7fb-46e3-84b6-97a5406016b4")
    assert opening.title == "Opening Ceremony"
    assert local(opening.starts_at, "Europe/Berlin") == datetime.datetime(2019, 8, 21, 11, 0)
    assert opening.day.date == datetime.date(2019, 8, 21)
    assert opening.room.name == "Curie"
    assert [s.name for s in opening.ordered_speakers] == ["jinxx", "smtw"]


def test_pretalx_rc3_without_a_time_zone_name_keeps_its_offsets(db):
    run_import(sample("voc-pretalx-rc3.json"))

    conference = Conference.objects.get(slug="rc3-channels-2020")
    assert conference.time_zone == "Etc/GMT-1"  # the fixed zone of the file's +01:00
    gluon = talk("c3642671-4c1f-5109-81ba-0535c1cc8428")
    assert gluon.local_starts_at.replace(tzinfo=None) == datetime.datetime(2020, 12, 27, 11, 30)
    assert [s.name for s in gluon.ordered_speakers] == ["Chris Fiege", "Kasa"]
    assert gluon.ends_at - gluon.starts_at == datetime.timedelta(minutes=40)


def test_wafer_debconf23_takes_the_day_from_the_event_not_its_parent(db):
    run_import(sample("giggity-debconf23.xml"))

    conference = Conference.objects.get(slug="debconf23")
    assert conference.time_zone == "Asia/Kolkata"
    opening = talk("455d075f-48c0-2ec2-24b3-f5add30c383a")
    # Its <day date> says 2023-09-09; the event itself is on 2023-09-10 local time.
    assert opening.day.date == datetime.date(2023, 9, 10)
    assert opening.local_starts_at.replace(tzinfo=None) == datetime.datetime(2023, 9, 10, 10, 30)
    assert [s.name for s in opening.ordered_speakers] == ["Sruthi Chandran"]
    assert "Welcome to DebConf23" in opening.abstract


def test_pentabarf_fosdem_without_guids_or_dates(db):
    output = run_import(sample("giggity-fosdem_2021.xml"), "--time-zone", "Europe/Brussels")

    assert "100/773 talks written" in output  # progress on a large file
    conference = Conference.objects.get(slug="fosdem-2021")
    assert conference.time_zone == "Europe/Brussels"
    assert [d.date for d in conference.days.all()] == [
        datetime.date(2021, 2, 6),
        datetime.date(2021, 2, 7),
    ]
    welcome = conference.talks.for_detail().get(title="Welcome to FOSDEM 2021")
    assert welcome.local_starts_at.replace(tzinfo=None) == datetime.datetime(2021, 2, 6, 9, 0)
    assert welcome.ends_at - welcome.starts_at == datetime.timedelta(minutes=25)
    assert welcome.room.name == "K.fosdem"
    assert [link.url for link in welcome.links.all()][:2] == [
        "https://video.fosdem.org/2021/K.fosdem/keynotes_welcome.webm",
        "https://video.fosdem.org/2021/K.fosdem/keynotes_welcome.mp4",
    ]
    guid = welcome.guid
    run_import(sample("giggity-fosdem_2021.xml"), "--time-zone", "Europe/Brussels")
    assert conference.talks.get(title="Welcome to FOSDEM 2021").guid == guid


def test_imported_talks_filter_by_day_and_track_in_pages_and_exports(db, client):
    run_import(sample("voc-frab-camp2019.json"))
    conference = Conference.objects.get(slug="camp2019")
    track = Track.objects.get(conference=conference, name="CCC")
    query = f"?day=2019-08-21&track={track.slug}"

    filterset = TalkFilterSet({"day": "2019-08-21", "track": track.slug}, conference=conference)
    assert filterset.is_valid(), filterset.errors
    titles = {t.title for t in filterset.qs}
    assert "Opening Ceremony" in titles
    assert all(t.day.date == datetime.date(2019, 8, 21) for t in filterset.qs)

    page = client.get(f"/conferences/camp2019/talks/{query}")
    assert page.status_code == 200
    assert "Opening Ceremony" in page.content.decode()
    assert page.context["page"].paginator.count == len(titles)
    export = client.get(f"/conferences/camp2019/schedule.json{query}")
    events = [
        event["title"]
        for day in export.json()["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    assert sorted(events) == sorted(titles)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE schedule [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<schedule><version>1</version><conference><title>&lol2;</title></conference></schedule>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<schedule><conference><title>&secret;</title><acronym>leak</acronym></conference></schedule>
"""


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("laughs.xml", BILLION_LAUGHS, "document type declaration"),
        ("external.xml", EXTERNAL_ENTITY, "document type declaration"),
        ("broken.xml", "<schedule><conference>", "malformed XML"),
        ("other.xml", "<rss/>", "expected <schedule>"),
        ("broken.json", '{"schedule": ', "malformed JSON"),
        ("empty.json", '{"schedule": {}}', "schedule.conference"),
    ],
)
def test_hostile_and_malformed_files_are_refused(db, tmp_path, name, text, reason):
    before = snapshot()
    path = write(tmp_path, name, text)

    with pytest.raises(CommandError) as refused:
        run_import(path)

    message = str(refused.value)
    assert str(path) in message
    assert reason in message
    assert "Nothing was imported." in message
    assert snapshot() == before


def schedule_json(events):
    return (
        '{"schedule": {"version": "1", "conference": {"title": "Tiny", "acronym": "tiny2024",'
        ' "time_zone_name": "Europe/Paris", "start": "2024-05-06", "end": "2024-05-07",'
        ' "days": [{"index": 1, "date": "2024-05-06", "rooms": {"Main": [' + events + "]}}]}}}"
    )


EVENT = (
    '{{"guid": "{guid}", "id": {id}, "title": "{title}", "date": "{date}",'
    ' "start": "10:00", "duration": "00:30", "room": "Main", "persons": []}}'
)


def test_an_invalid_event_names_the_element_and_changes_nothing(db, tmp_path):
    good = EVENT.format(guid=uuid.uuid4(), id=1, title="Fine", date="2024-05-06T10:00:00+02:00")
    bad = EVENT.format(guid="x", id=2, title="Bad", date="2024-05-06T31:00:00+02:00")
    path = write(tmp_path, "bad.json", schedule_json(f"{good}, {bad}"))

    with pytest.raises(CommandError) as refused:
        run_import(path)

    assert "1 of 2 events cannot be imported" in str(refused.value)
    assert "rooms['Main'][1] (event x): date:" in str(refused.value)
    assert "not an ISO date-time" in str(refused.value)
    assert not Conference.objects.exists()


def test_a_record_breaking_a_model_rule_rolls_the_whole_import_back(db, tmp_path, monkeypatch):
    events = ", ".join(
        EVENT.format(guid=uuid.uuid4(), id=n, title=title, date="2024-05-06T10:00:00+02:00")
        for n, title in enumerate(["First", "Refused"], start=1)
    )
    path = write(tmp_path, "tiny.json", schedule_json(events))
    original_clean = Talk.clean

    def clean(self):
        if self.title == "Refused":
            raise ValidationError({"title": "refused by the test"})
        original_clean(self)

    monkeypatch.setattr(Talk, "clean", clean)

    with pytest.raises(CommandError) as refused:
        run_import(path)

    assert "refused by the test" in str(refused.value)
    assert "(event" in str(refused.value)
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_unknown_time_zone_option_is_refused(db):
    with pytest.raises(CommandError, match="--time-zone"):
        run_import(sample("pretalx-democon.json"), "--time-zone", "Mars/Olympus")


def test_an_event_repeating_an_earlier_guid_is_one_talk_and_reported(db, tmp_path):
    guid = uuid.uuid4()
    events = ", ".join(
        EVENT.format(guid=guid, id=n, title=f"Slot {n}", date=f"2024-05-06T1{n}:00:00+02:00")
        for n in (1, 2)
    )
    path = write(tmp_path, "repeat.json", schedule_json(events))

    output = run_import(path)

    assert "talk: 1 created, 0 updated, 0 unchanged" in output
    assert (
        f"listed again, one talk: schedule.conference.days[0].rooms['Main'][1] (event {guid})"
        in output
    )
    assert "2 events read, 1 talks written, 1 listed twice (one talk each)." in output
    assert Talk.objects.get().title == "Slot 1"


def event_json(**fields):
    return json.dumps(json_event(**fields))


def test_names_longer_than_their_field_are_found_again_on_a_reimport(db, tmp_path):
    long_name = "n" * 250
    events = ", ".join(
        [
            event_json(persons=[{"public_name": long_name}], room="R" * 250, track="T" * 250),
            # Cut to the field's 200 characters, this name is the one above: same speaker.
            event_json(id=2, persons=[{"public_name": long_name}, {"public_name": "n" * 220}]),
        ]
    )
    path = write(tmp_path, "long.json", schedule_json(events))

    run_import(path)
    counts = snapshot()
    run_import(path)

    assert snapshot() == counts
    speaker = Speaker.objects.get()
    assert speaker.name == "n" * 200
    assert [list(t.ordered_speakers) for t in Talk.objects.for_detail()] == [[speaker]] * 2
    assert Room.objects.filter(name="R" * 200).count() == 1
    assert Track.objects.filter(name="T" * 200).count() == 1


@pytest.mark.parametrize("duration", ["99:99", "0:75", "01:30:60", "1:5", "90", "-1:00", "1h30"])
def test_a_malformed_duration_is_refused_naming_the_event(db, tmp_path, duration):
    path = write(tmp_path, "durations.json", schedule_json(event_json(duration=duration)))

    with pytest.raises(CommandError) as refused:
        run_import(path)

    message = str(refused.value)
    assert str(path) in message
    assert "rooms['Main'][0]" in message
    assert f"“{duration}” is not a duration" in message
    assert not Conference.objects.exists()


@pytest.mark.parametrize(
    ("duration", "length"),
    [
        ("00:45", datetime.timedelta(minutes=45)),
        ("1:30", datetime.timedelta(hours=1, minutes=30)),
        ("01:59:30", datetime.timedelta(hours=1, minutes=59, seconds=30)),
        ("100:00", datetime.timedelta(hours=100)),
    ],
)
def test_durations_in_the_forms_schedules_write_are_read(db, tmp_path, duration, length):
    path = write(tmp_path, "durations.json", schedule_json(event_json(duration=duration)))

    run_import(path)

    talk = Talk.objects.get()
    assert talk.ends_at - talk.starts_at == length


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("notes.json", "these are not the notes you are looking for", "malformed JSON"),
        ("markup.json", "<schedule/>", "malformed JSON"),
        ("curly.xml", '{"schedule": {}}', "malformed XML"),
        ("schedule", '{"schedule": ', "malformed JSON"),
        ("schedule", "<schedule>", "malformed XML"),
    ],
)
def test_a_file_is_reported_malformed_in_the_format_it_claims(db, tmp_path, name, text, reason):
    path = write(tmp_path, name, text)

    with pytest.raises(CommandError) as refused:
        run_import(path)

    assert reason in str(refused.value)
    assert str(path) in str(refused.value)
