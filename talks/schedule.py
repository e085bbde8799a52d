"""Talks grouped by day, then by track, in the order a schedule page shows them."""

from dataclasses import dataclass, field


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
