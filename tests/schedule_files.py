"""Small frab JSON schedules for import tests: one conference, one day, one room."""

import json
import uuid


def json_event(**fields):
    """A valid event in the room "Main" on 2024-05-06; ``fields`` replace or add keys."""
    return {
        "guid": str(uuid.uuid4()),
        "id": 1,
        "title": "Fine",
        "date": "2024-05-06T10:00:00+02:00",
        "start": "10:00",
        "duration": "00:30",
        "room": "Main",
        "persons": [],
    } | fields


def json_schedule(events, version="1", **head):
    """The schedule text of ``events`` (dicts), as the file's ``version``; ``head`` replaces or
    adds conference keys."""
    conference = {
        "title": "Tiny",
        "acronym": "tiny",
        "time_zone_name": "Europe/Paris",
        "start": "2024-05-06",
        "end": "2024-05-07",
        "days": [{"index": 1, "date": "2024-05-06", "rooms": {"Main": events}}],
    } | head
    return json.dumps({"schedule": {"version": version, "conference": conference}})
