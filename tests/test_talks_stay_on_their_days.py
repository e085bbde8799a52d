"""A conference's time zone, or a day's date, cannot change so that a talk starts off its day:
the admin, the API and the loaders all refuse it through the model's clean(), naming talks."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from talks.models import Conference, Talk
from tests.builders import make_conference, make_day, make_talk
from tests.schedule_files import json_event, json_schedule

pytestmark = pytest.mark.django_db


def at(conference, hour, minute=0):
    """2024-05-06 (Day 1) at a local time of the conference."""
    return timezone.make_aware(datetime.datetime(2024, 5, 6, hour, minute), conference.tzinfo)


@pytest.fixture
def paris():
    """Talks at 00:30, 09:00 and 23:30 Paris time on Day 1: an hour west or east moves the
    first or the last one to another day."""
    conference = make_conference(slug="paris", time_zone="Europe/Paris")
    day = make_day(conference, 1, date=datetime.date(2024, 5, 6))
    for slug, hour, minute in (("night-owls", 0, 30), ("morning", 9, 0), ("late-show", 23, 30)):
        make_talk(
            conference,
            slug=slug,
            title=slug.title(),
            day=day,
            starts_at=at(conference, hour, minute),
        )
    return conference


def refusal(instance, field):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict[field][0]


def test_a_zone_that_moves_a_talk_off_its_day_is_refused(paris):
    paris.time_zone = "Europe/London"  # an hour west: 00:30 becomes 23:30 the day before

    message = refusal(paris, "time_zone")

    assert message == (
        "1 talk would start off its day, at local times: “Night-Owls” (2024-05-05 23:30). "
        "Move them to their days first."
    )


def test_the_refusal_counts_every_talk_and_names_the_first(paris):
    day = paris.days.get()
    for number in range(4):
        make_talk(paris, slug=f"extra-{number}", day=day, starts_at=at(paris, 0, number))
    paris.time_zone = "America/New_York"  # six hours west: all five talks before 06:00 move

    message = refusal(paris, "time_zone")

    assert message.startswith("5 talks would start off their days, at local times: ")
    assert "and 2 more." in message


def test_a_zone_that_keeps_every_talk_on_its_day_is_accepted(paris):
    paris.time_zone = "Europe/Berlin"  # the same offset
    paris.full_clean()
    paris.save()
    # Undated talks and days without a date hold nothing to move.
    undated = make_conference(time_zone="Europe/Paris")
    make_talk(undated, day=make_day(undated, 1, date=None), starts_at=at(undated, 0, 30))
    undated.time_zone = "America/Los_Angeles"
    undated.full_clean()


def test_other_changes_leave_the_talks_alone(paris):
    paris.name = "Paris again"
    with CaptureQueriesContext(connection) as queries:
        paris.full_clean()
    assert not [query for query in queries if "talks_talk" in query["sql"]]


def test_a_new_day_date_that_moves_its_talks_is_refused(paris):
    day = paris.days.get()
    day.date = datetime.date(2024, 5, 7)

    message = refusal(day, "date")

    assert message.startswith("3 talks would start off their days")
    assert "“Night-Owls” (2024-05-06 00:30)" in message


def test_the_api_answers_400_naming_the_time_zone(paris, admin_client):
    response = admin_client.patch(
        f"/api/v1/conferences/{paris.slug}/",
        {"time_zone": "Europe/London"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "“Night-Owls”" in response.json()["time_zone"][0]
    assert Conference.objects.get(pk=paris.pk).time_zone == "Europe/Paris"


def form_data(page):
    """What a browser would send back from the admin's change form, unchanged."""
    form = lxml_html.fromstring(page).get_element_by_id("conference_form")
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def test_the_admin_shows_the_refusal_on_the_time_zone(paris, admin_client):
    url = f"/admin/talks/conference/{paris.pk}/change/"
    data = {**form_data(admin_client.get(url).content), "time_zone": "Europe/London"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = lxml_html.fromstring(response.content).xpath(
        '//*[contains(@class, "field-time_zone")]//ul[@class="errorlist"]'
    )
    assert "1 talk would start off its day" in errors[0].text_content()
    assert Conference.objects.get(pk=paris.pk).time_zone == "Europe/Paris"


def import_schedule(path, zone):
    call_command("import_schedule", str(path), "--time-zone", zone, stdout=io.StringIO())


def test_an_import_in_a_new_zone_moves_the_talks_it_rewrites(tmp_path):
    """Local times in the file are read in the new zone: the talk keeps its local start."""
    schedule = tmp_path / "tiny.json"
    event = json_event(date="2024-05-06T00:30:00", start="00:30")
    schedule.write_text(json_schedule([event], time_zone_name=""))
    import_schedule(schedule, "Europe/Paris")

    import_schedule(schedule, "America/New_York")

    talk = Talk.objects.get()
    assert talk.conference.time_zone == "America/New_York"
    assert (talk.local_starts_at.isoformat(), talk.day.date) == (
        "2024-05-06T00:30:00-04:00",
        datetime.date(2024, 5, 6),
    )


def test_an_import_in_a_new_zone_refuses_to_strand_a_talk_it_does_not_list(tmp_path):
    schedule = tmp_path / "tiny.json"
    night = json_event(title="Night", date="2024-05-06T00:30:00", start="00:30")
    morning = json_event(id=2, title="Morning", date="2024-05-06T10:00:00", start="10:00")
    schedule.write_text(json_schedule([night, morning], time_zone_name=""))
    import_schedule(schedule, "Europe/Paris")
    schedule.write_text(json_schedule([morning], time_zone_name=""))

    with pytest.raises(CommandError, match=r"1 talk would start off its day.+“Night”"):
        import_schedule(schedule, "America/New_York")
    assert Conference.objects.get().time_zone == "Europe/Paris"
