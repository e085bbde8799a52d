"""The schedule grid (issue 10, point 3): a day's talks by room and time on wide screens."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from talks.models import Room, Talk
from talks.schedule import (
    EmptyCells,
    build_day_grid,
    group_by_day_and_track,
    requested_day,
    schedule_grid,
    track_colours,
)
from talks.synthetic import generate_room_grid
from talks.templatetags.schedule_rows import Partial
from tests.builders import (
    MARKS_QUERY,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
    make_track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    return make_conference(slug="gridconf", time_zone="Europe/Brussels")


@pytest.fixture
def day(conference):
    return make_day(conference, 1)


def at(conference, day, hhmm):
    hour, minute = map(int, hhmm.split(":"))
    return timezone.make_aware(
        datetime.datetime.combine(day.date, datetime.time(hour, minute)), conference.tzinfo
    )


def talk(conference, day, room, start, end, **fields):
    return make_talk(
        conference,
        day=day,
        room=room,
        starts_at=at(conference, day, start) if start else None,
        ends_at=at(conference, day, end) if end else None,
        **fields,
    )


def room(conference, name):
    return Room.objects.create(conference=conference, name=name)


def grid_of(conference, talks):
    talks = list(Talk.objects.filter(pk__in=[t.pk for t in talks]).schedule_rows())
    return build_day_grid(talks, conference.tzinfo, track_colours(talks))


def layout(grid):
    """Each row as its time and cells: a talk's title and row span, or '-' times free rooms."""
    return [
        (
            f"{row.starts:%H:%M}",
            [
                f"-{cell.columns}" if isinstance(cell, EmptyCells) else (cell.talk.title, cell.rows)
                for cell in row.cells
            ],
        )
        for row in grid.rows
    ]


def test_rooms_are_columns_rows_start_at_each_boundary_and_talks_span_their_duration(
    conference, day
):
    a, b = room(conference, "A"), room(conference, "B")
    talks = [
        talk(conference, day, a, "09:00", "10:00", title="Long"),
        talk(conference, day, b, "09:00", "09:30", title="Short"),
        talk(conference, day, b, "09:30", "10:00", title="Next"),
        talk(conference, day, a, "10:30", "11:00", title="After the break"),
    ]
    grid = grid_of(conference, talks)
    assert [r.name for r in grid.rooms] == ["A", "B"]
    assert layout(grid) == [
        ("09:00", [("Long", 2), ("Short", 1)]),
        ("09:30", [("Next", 1)]),  # A is still in "Long"
        ("10:00", ["-2"]),  # the break: both rooms free, one cell
        ("10:30", [("After the break", 1), "-1"]),
    ]
    assert grid.unplaced == []
    assert grid.overlapping == []
    assert f"{grid.rows[0].starts:%z}" == "+0200"  # local time of the conference, in May


def test_a_run_of_free_rooms_stops_at_a_room_still_in_a_talk(conference, day):
    a, b, c = room(conference, "A"), room(conference, "B"), room(conference, "C")
    talks = [
        talk(conference, day, b, "09:00", "10:00", title="Middle"),
        talk(conference, day, a, "09:30", "10:00", title="Left"),
        talk(conference, day, c, "09:00", "09:15", title="Right"),
    ]
    assert layout(grid_of(conference, talks)) == [
        ("09:00", ["-1", ("Middle", 3), ("Right", 1)]),
        ("09:15", ["-1", "-1"]),  # A free, B in "Middle", C free: not one cell of two
        ("09:30", [("Left", 1), "-1"]),
    ]


def test_an_overlapping_talk_is_listed_under_the_grid_not_placed(conference, day):
    a = room(conference, "A")
    talks = [
        talk(conference, day, a, "09:00", "10:00", title="First"),
        talk(conference, day, a, "09:30", "10:30", title="Overlapping"),
        talk(conference, day, a, "10:00", "10:30", title="Back to back"),
    ]
    grid = grid_of(conference, talks)
    assert [t.title for t in grid.overlapping] == ["Overlapping"]
    placed = [cell.talk.title for row in grid.rows for cell in row.cells if cell.is_talk]
    assert placed == ["First", "Back to back"]


def test_talks_without_a_time_or_room_are_listed_and_a_talk_without_an_end_spans_one_row(
    conference, day
):
    a = room(conference, "A")
    talks = [
        talk(conference, day, a, "09:00", "09:30", title="Timed"),
        talk(conference, day, None, "09:00", "09:30", title="No room"),
        talk(conference, day, a, None, None, title="No time"),
        talk(conference, day, a, "09:30", None, title="No end"),
    ]
    grid = grid_of(conference, talks)
    assert [t.title for t in grid.unplaced] == ["No room", "No time"]
    assert layout(grid) == [("09:00", [("Timed", 1)]), ("09:30", [("No end", 1)])]
    assert grid.rows[1].cells[0].ends is None


def test_tracks_keep_their_colour_across_days_and_the_legend_lists_the_days_tracks(conference, day):
    a = room(conference, "A")
    web, data = make_track(conference, "web"), make_track(conference, "data")
    other_day = make_day(conference, 2)
    talks = [
        talk(conference, day, a, "09:00", "09:30", track=web),
        talk(conference, day, a, "09:30", "10:00"),
        talk(conference, other_day, a, "09:00", "09:30", track=data),
    ]
    listed = list(Talk.objects.filter(pk__in=[t.pk for t in talks]).schedule_rows())
    colours = track_colours(listed)
    assert colours == {data: 0, web: 1}  # by name, over the whole conference
    grid = build_day_grid([t for t in listed if t.day == day], conference.tzinfo, colours)
    assert grid.tracks == [(web, 1), (None, None)]


def test_the_day_parameter_picks_a_tab_and_a_bad_one_says_why(conference, day):
    make_day(conference, 2)
    a = room(conference, "A")
    for number in (1, 2):
        talk(conference, conference.days.get(number=number), a, "09:00", "10:00")
    days = group_by_day_and_track(Talk.objects.filter(conference=conference).schedule_rows())
    assert requested_day(days, []) == (days[0], "")
    assert requested_day(days, [""]) == (days[0], "")
    assert requested_day(days, ["2"]) == (days[1], "")
    assert requested_day(days, ["two"]) == (days[0], "Enter a day number (e.g. 2).")
    assert requested_day(days, ["9"]) == (days[0], "No day 9 in this schedule.")
    # Only what the day tabs link to: "2" once. int() reads each of these as 2.
    for odd in (" 2", "+2", "0_2", "\u0662", "\U0001d7d0"):
        assert requested_day(days, [odd]) == (days[0], "Enter a day number (e.g. 2).")
    assert requested_day(days, ["1", "2"]) == (days[0], "Give this parameter once.")
    grid = schedule_grid(days, days[1], conference.tzinfo)
    assert grid.days == days
    assert grid.selected is days[1]


def test_no_grid_when_no_talk_has_both_a_time_and_a_room(conference, day):
    talk(conference, day, None, "09:00", "10:00")
    talk(conference, day, room(conference, "A"), None, None)
    days = group_by_day_and_track(Talk.objects.filter(conference=conference).schedule_rows())
    assert schedule_grid(days, days[0], conference.tzinfo) is None


# --- The page -------------------------------------------------------------------------------


def test_schedule_rows_hold_what_the_page_shows_and_share_each_place(
    conference, day, django_assert_num_queries
):
    day.label = "Main day"
    day.save()
    web, aula = make_track(conference, "Web"), room(conference, "Aula")
    speakers = [make_speaker("Zoë"), make_speaker("Ada")]
    late = talk(conference, day, aula, "11:00", "12:00", track=web, speakers=speakers)
    early = talk(conference, day, aula, "09:00", None, track=web, kind="panel")
    loose = make_talk(conference, title="Loose")
    with django_assert_num_queries(2):
        rows = Talk.objects.filter(conference=conference).in_schedule_order().schedule_rows()
    assert [row.pk for row in rows] == [early.pk, late.pk, loose.pk]
    first, second, third = rows
    assert (first.slug, first.title, first.kind) == (early.slug, early.title, "panel")
    assert (first.starts_at, first.ends_at) == (early.starts_at, None)
    assert second.ends_at == late.ends_at
    assert second.speaker_names == ["Zoë", "Ada"]  # stage order, not by name
    assert first.speaker_names == []
    assert (first.day.number, first.day.date, first.day.label) == (1, day.date, "Main day")
    assert (first.track.slug, first.track.name, first.room.name) == (web.slug, "Web", "Aula")
    # One instance of each place, however many talks it holds.
    assert first.day is second.day
    assert first.track is second.track
    assert first.room is second.room
    assert (third.day, third.track, third.room) == (None, None, None)


def test_the_page_has_day_tabs_the_grid_and_the_list(client, conference, day):
    make_day(conference, 2)
    a = room(conference, "Aula <1>")
    talk(conference, day, a, "09:00", "10:00", title="Grid <talk>")
    talk(conference, conference.days.get(number=2), a, "09:00", "10:00", title="Second day")
    talk(conference, None, None, None, None, title="Undated")
    page = client.get("/conferences/gridconf/schedule/?day=2").content.decode()
    tabs = page[page.index('<nav class="day-tabs"') : page.index("</nav>", page.index("day-tabs"))]
    assert '?day=1">Day 1' in tabs
    assert '?day=2" aria-current="page">Day 2' in tabs
    grid = page[page.index('<table class="schedule-grid">') : page.index("</table>")]
    assert '<th scope="col">Aula &lt;1&gt;</th>' in grid
    assert "Second day" in grid
    assert "Grid &lt;talk&gt;" not in grid
    assert "Undated" in page[page.index("</table>") : page.index('class="schedule-list-view"')]
    # The list, for narrow screens, shows the same day and the talks of no day, under the
    # same tabs (outside the grid's view, which narrow screens hide).
    listed = page[page.index('class="schedule-list-view"') : page.index("</main>")]
    assert "Second day" in listed
    assert "Undated" in listed
    assert "Grid &lt;talk&gt;" not in listed
    assert page.index('<nav class="day-tabs"') < page.index('class="schedule-grid-view"')
    assert 'role="region" aria-labelledby="grid-day" tabindex="0"' in page


def test_a_bad_day_is_a_400_naming_the_parameter(client, conference, day):
    talk(conference, day, room(conference, "A"), "09:00", "10:00")
    response = client.get("/conferences/gridconf/schedule/?day=9")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<strong>day</strong>: No day 9 in this schedule. Showing Day 1 instead." in page
    assert 'aria-current="page">Day 1' in page


def test_a_schedule_without_rooms_has_no_grid(client, dockercon):
    page = client.get("/conferences/dockercon-2017/schedule/").content.decode()
    assert "schedule-grid" not in page.replace("schedule-grid.css", "")
    assert "schedule-list-view" not in page


@pytest.mark.parametrize(("rooms", "talks"), [(3, 30), (30, 900)])
def test_thirty_rooms_and_900_talks_in_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rooms, talks
):
    conference = generate_room_grid(rooms=rooms, talks=talks)
    with django_assert_max_num_queries(5 + MARKS_QUERY):
        page = client.get(f"/conferences/{conference.slug}/schedule/").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.count('<th scope="col">') == rooms  # and the corner's "Time"
    assert page.count('class="talk-cell') == talks


def test_the_list_and_the_grid_escape_every_value_and_keep_the_speakers_order(
    client, conference, day
):
    hostile = "<script>alert(\"x\")</script> & 'q'"
    speakers = [make_speaker("Zoë <b>"), make_speaker("Ada & co")]
    a = room(conference, "Room <A>")
    talk(conference, day, a, "09:00", "10:00", title=hostile, speakers=speakers, kind="panel")
    talk(conference, day, None, "11:00", None, title="Unplaced <i>")
    page = client.get("/conferences/gridconf/schedule/").content.decode()
    assert "<script>" not in page.replace('<script src="', "")
    assert "<b>" not in page
    assert "<i>" not in page
    title = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    speakers = "Zoë &lt;b&gt;, Ada &amp; co"  # in stage order, not by name
    grid = page[page.index('<table class="schedule-grid">') : page.index("</table>")]
    assert f"{title}</a>" in grid
    assert f'<span class="cell-line">{speakers}</span>' in grid
    listed = page[page.index('class="schedule-list-view"') :]
    assert f'{title}</a> <span class="badge badge-panel">Panel</span>' in listed
    assert f'<span class="visually-hidden"> “{title}”</span>' in listed  # the star button
    assert f'<br><span class="muted">{speakers}</span>' in listed
    assert '<br><span class="muted">Room: Room &lt;A&gt;</span>' in listed
    # Times local to the conference, as on the talk page.
    assert '<time datetime="2024-05-06T09:00:00+02:00">09:00</time>\u2013<time' in listed
    unplaced = page[
        page.index("time or room not announced</h3>") : page.index("</ul>", page.index("grid-list"))
    ]
    assert "Unplaced &lt;i&gt;</a>" in unplaced
    assert "· room not announced" in unplaced


def test_the_star_button_is_its_partial_filled_in(conference, day):
    made = talk(conference, day, None, None, None, title="A <b>\"bold\"</b> & 'odd' title")
    star = Partial("talks/_star_button.html", ["pk", "title"])
    assert star.fill(made) == render_to_string("talks/_star_button.html", {"talk": made})
