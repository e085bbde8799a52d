"""Talks grouped by day, then by track, in the order a schedule page shows them; and, for
wide screens, a day's talks in a grid of rooms by time."""

import datetime
from dataclasses import dataclass, field

from .filters import DAY_NUMBER


@dataclass
class TrackSlot:
    track: object  # a Track, or None when the talk's track is not known
    talks: list = field(default_factory=list)


@dataclass
class ScheduleDay:
    day: object  # a Day, or None when the talk's day is not known
    tracks: list = field(default_factory=list)

    @property
    def talk_count(self):
        return sum(len(slot.talks) for slot in self.tracks)

    @property
    def anchor(self):
        """A fragment named after the conference's own day number, stable as days fill in."""
        return f"day-{self.day.number}" if self.day else "day-not-announced"


def group_by_day_and_track(talks):
    """Talks (already in schedule order) as ScheduleDays; unknown days and tracks come last."""
    by_day = {}
    for talk in talks:
        by_day.setdefault(talk.day, {}).setdefault(talk.track, []).append(talk)

    def day_order(day):
        return (day is None, day.number if day else 0)

    def track_order(track):
        return (track is None, track.name if track else "")

    return [
        ScheduleDay(
            day=day,
            tracks=[
                TrackSlot(track=track, talks=by_day[day][track])
                for track in sorted(by_day[day], key=track_order)
            ],
        )
        for day in sorted(by_day, key=day_order)
    ]


# --- The grid of a day (issue 10): rooms across, time down, for wide screens ---------------

# Classes track-colour-0 to -11 in schedule-grid.css: light backgrounds on which the ink and
# link colours keep over 7:1. Tracks beyond the palette reuse its colours, which is why each
# cell also names its track: colour is never the only sign.
TRACK_COLOURS = 12


@dataclass
class TalkCell:
    talk: object
    starts: datetime.datetime  # local to the conference
    ends: datetime.datetime | None
    rows: int  # the rows (time slots) it spans
    colour: int | None  # None for a talk without a track

    is_talk = True


@dataclass
class EmptyCells:
    columns: int  # a run of free rooms side by side in one row: one cell, not one per room

    is_talk = False


@dataclass
class GridRow:
    starts: datetime.datetime
    cells: list


@dataclass
class DayGrid:
    """A day's talks placed by room and time. A row starts at each distinct start or end time
    of the talks, so each talk spans whole rows. Talks without a time or room, and any talk
    starting before the previous one in its room has ended, are listed instead (an overlap is
    an error of the schedule, not a layout to guess at). A cancelled talk takes no room: it is
    listed among the day's cancellations."""

    rooms: list
    rows: list
    tracks: list  # (track, colour) of its talks, for the legend; track None comes last
    unplaced: list  # talks without a start time or a room
    overlapping: list
    cancelled: list


def track_colours(talks):
    """Each track of ``talks`` with its palette entry, in the order of their names, so a
    track keeps its colour from one day to the next."""
    tracks = sorted(
        {talk.track for talk in talks if talk.track}, key=lambda track: (track.name, track.slug)
    )
    return {track: index % TRACK_COLOURS for index, track in enumerate(tracks)}


def _schedule_key(talk):
    return (talk.starts_at is None, talk.starts_at or 0, talk.title)


def build_day_grid(talks, tzinfo, colours):
    """The DayGrid of one day's ``talks``, times in ``tzinfo``, colours from ``track_colours``."""
    placed, unplaced, overlapping = [], [], []  # placed: (talk, local start, local end)
    cancelled = []
    for talk in sorted(talks, key=_schedule_key):
        if talk.is_cancelled:
            cancelled.append(talk)
        elif talk.starts_at and talk.room:
            ends_at = talk.ends_at.astimezone(tzinfo) if talk.ends_at else None
            placed.append((talk, talk.starts_at.astimezone(tzinfo), ends_at))
        else:
            unplaced.append(talk)
    rooms = sorted({talk.room for talk, _, _ in placed}, key=lambda room: room.name)
    column = {room: index for index, room in enumerate(rooms)}
    boundaries = sorted({time for _, *pair in placed for time in pair if time})
    starts = {starts_at for _, starts_at, _ in placed}
    # The last boundary opens a row only when a talk starts there (one without an end).
    row_times = boundaries if boundaries and boundaries[-1] in starts else boundaries[:-1]
    row_of = {time: index for index, time in enumerate(boundaries)}

    cells = {}  # (row, column) -> the TalkCell starting there
    free_from = [0] * len(rooms)  # the first row each room is free again
    # In start order, a talk overlaps an earlier one iff it starts before its room is free.
    for talk, starts_at, ends_at in placed:
        first, room = row_of[starts_at], column[talk.room]
        if first < free_from[room]:
            overlapping.append(talk)
            continue
        last = max(row_of[ends_at], first + 1) if ends_at else first + 1
        free_from[room] = last
        cells[first, room] = TalkCell(
            talk, starts_at, ends_at, last - first, colours.get(talk.track)
        )

    rows = []
    covered_until = [0] * len(rooms)
    for row, starts_at in enumerate(row_times):
        row_cells, free = [], 0
        for room in range(len(rooms)):
            cell = cells.get((row, room))
            if cell is None and covered_until[room] <= row:
                free += 1
                continue
            if free:  # a run of free rooms ends at a talk or at a room still in one
                row_cells.append(EmptyCells(free))
                free = 0
            if cell is not None:
                row_cells.append(cell)
                covered_until[room] = row + cell.rows
        if free:
            row_cells.append(EmptyCells(free))
        rows.append(GridRow(starts_at, row_cells))

    legend = sorted(
        {cell.talk.track for cell in cells.values()},
        key=lambda track: (track is None, track.name if track else ""),
    )
    return DayGrid(
        rooms=rooms,
        rows=rows,
        tracks=[(track, colours.get(track)) for track in legend],
        unplaced=unplaced,
        overlapping=overlapping,
        cancelled=cancelled,
    )


@dataclass
class ScheduleGrid:
    """What the wide-screen schedule shows: a tab per day, the grid of the selected one, and
    the talks whose day is not announced (on no tab, so listed under every day's grid)."""

    days: list  # the ScheduleDays with a day
    selected: ScheduleDay
    grid: DayGrid
    undated: list


def requested_day(schedule, values):
    """The ScheduleDay the ``day`` parameter (``values``, as many as the query string gives)
    names, the first day when it is absent; and a message naming what is wrong with it, or ''.

    A day number is what the talk list's ``day`` takes: ASCII digits only (``int()`` would
    also read " 2", "0_2" and other scripts' digits such as "٢" as 2), given once."""
    days = [slot for slot in schedule if slot.day]
    first = days[0] if days else None
    given = [value for value in values if value]  # empty, as a form would send it: absent
    if not given:
        return first, ""
    if len(given) > 1:
        return first, "Give this parameter once."
    if not DAY_NUMBER.fullmatch(given[0]):
        return first, "Enter a day number (e.g. 2)."
    number = int(given[0])
    for slot in days:
        if slot.day.number == number:
            return slot, ""
    return first, f"No day {number} in this schedule."


def schedule_grid(schedule, selected, tzinfo):
    """The ScheduleGrid of ``schedule`` (from ``group_by_day_and_track``) showing the
    ``selected`` day, or None when no talk of the conference has both a time and a room."""
    talks = [talk for slot in schedule for group in slot.tracks for talk in group.talks]
    if selected is None or not any(talk.starts_at and talk.room for talk in talks):
        return None
    day_talks = [talk for group in selected.tracks for talk in group.talks]
    return ScheduleGrid(
        days=[slot for slot in schedule if slot.day],
        selected=selected,
        grid=build_day_grid(day_talks, tzinfo, track_colours(talks)),
        undated=[
            talk
            for slot in schedule
            if not slot.day
            for group in slot.tracks
            for talk in group.talks
        ],
    )


def listed_days(schedule, grid):
    """The ScheduleDays the list for narrow screens shows: with a grid (from ``schedule_grid``),
    its selected day and the talks without a day, as the grid does, so that the page holds one
    day's talks; without one, every day, having no day tabs to pick one."""
    if grid is None:
        return schedule
    return [slot for slot in schedule if slot is grid.selected or slot.day is None]
