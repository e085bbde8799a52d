"""Reader of one event folder of the pyvideo.org data set into ``data.ScheduleData``.

The folder holds ``category.json`` (the event: title, url) and ``videos/*.json`` (one talk
each: title, speakers, recorded date, summary, description, videos, related_urls, tags). The
folder name is the conference slug; a talk's identity is its file's name without ``.json``
(unique in its folder, and readable), so re-imports update it. pyvideo records a date, never a
time or a room: talks get a day and nothing more. The abstract is the summary, then the
description (without the summary when the description holds it already), in
reStructuredText, the format pyvideo's contributing rules give both. The first video
becomes the talk's video link, further videos and the related URLs its extra links; its tags
become its topics.

Every value used is checked against the shape pyvideo's schema gives it (a string, a list of
strings, a list of objects with a ``url``...); anything else stops the import with the file,
the field and the reason, rather than being stored as whatever ``str()`` makes of it.
"""

import datetime
import itertools
import json
import re
from pathlib import Path

from django.utils.text import slugify

from talks import files
from talks.models import ConferenceKind, LinkKind, TextFormat
from talks.models.conferences import MAX_LENGTH
from talks.models.talks import MAX_DURATION_SECONDS

from .data import (
    ConferenceData,
    ImportFailure,
    LeftOut,
    LinkData,
    ScheduleData,
    TalkData,
    person_name,
    unstorable_characters_note,
    without_unstorable_characters,
)

# pyvideo's schema: YYYY-MM-DD, optionally followed by a time (which the catalog does not keep).
RECORDED = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?)?")
# Recordings of conference talks: anything outside these years is a typo, not a date.
EARLIEST_RECORDING = datetime.date(1900, 1, 1)
LATEST_RECORDING = datetime.date(2199, 12, 31)
JSON_TYPES = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
# Recordings further apart than this belong to different runs of a folder: a conference is
# one run of days, a meetup series a run a month.
RUN_GAP = datetime.timedelta(days=31)
# A folder whose longest run holds this share of its dated talks is one conference, and its
# other talks are outliers (a video dated by its upload, a typing slip); below it, a folder
# whose talks span more than a conference can is a series.
CONFERENCE_SHARE = 0.9
# At a checkout's root: the ids (a video file's ``id``) of the videos pyvideo does not publish.
NO_PUBLISH_FILE = "NO_PUBLISH.json"


def read_withheld_ids(root, limits=files.DEFAULT_LIMITS):
    """The video ids a checkout's ``NO_PUBLISH.json`` lists, as text (ids are numbers in
    pyvideo's data, but nothing forbids strings); none when there is no such file."""
    path = Path(root) / NO_PUBLISH_FILE
    if not path.is_file():
        return frozenset()
    ids = _read_json(path, limits, [])
    if not isinstance(ids, list):
        raise ImportFailure(path, f"expected a list of video ids, not {_kind(ids)}")
    for index, value in enumerate(ids):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ImportFailure(path, f"expected a video id, not {_kind(value)}", f"[{index}]")
    return frozenset(str(value) for value in ids)


def read_event_folder(directory, limits=files.DEFAULT_LIMITS, withheld_ids=None):
    """The folder's conference and talks; each file is refused past its ``limits``. The
    talks whose ids are ``withheld_ids`` (by default those of the ``NO_PUBLISH.json`` of the
    checkout holding the folder) are marked withheld."""
    directory = Path(directory)
    if withheld_ids is None:
        withheld_ids = read_withheld_ids(directory.resolve().parent, limits)
    category_path = directory / "category.json"
    notes = []
    category = _Record(category_path, _read_json(category_path, limits, notes), "the event")
    name = category.text("title", required=True)
    slug = slugify(directory.resolve().name)
    video_files = sorted((directory / "videos").glob("*.json"))
    if not video_files:
        raise ImportFailure(directory / "videos", "no talk files (videos/*.json)")
    # A broken talk file is left out with its reason, like an event of a schedule: the import
    # fails naming every one of them, or skips them with --skip-invalid.
    talks, left_out = [], []
    for path in video_files:
        try:
            talks.append(_talk(path, slug, limits, notes, withheld_ids))
        except ImportFailure as exc:
            left_out.append(
                LeftOut(str(path), f"{exc.element}: {exc.reason}" if exc.element else exc.reason)
            )
    # Withheld videos shape nothing: not the conference's dates, nor its kind.
    shown = [talk for talk in talks if not talk.withheld]
    kind, outliers = recording_span([talk.date for talk in shown if talk.date])
    for talk in shown:
        if talk.date in outliers:
            notes.append(
                f"{talk.element} “{talk.title}”: recorded {talk.date:%Y-%m-%d}, "
                f"{outliers[talk.date]}: kept without a day"
            )
            talk.date = None
    dates = [talk.date for talk in shown if talk.date]
    website = category.text("url")
    conference = ConferenceData(
        source=str(category_path),
        slug=slug,
        name=name,
        kind=kind,
        start_date=min(dates, default=None),
        end_date=max(dates, default=None),
        website=website if website.startswith(("http://", "https://")) else "",
        source_kind="pyvideo",
    )
    return ScheduleData(
        conference=conference,
        talks=talks,
        events_found=len(video_files),
        left_out=left_out,
        notes=notes,
    )


def recording_span(dates):
    """What a folder's recording dates make of it: ``(kind, outliers)``, outliers mapping
    each date far from the conference's own run to how far it lies.

    A folder is a conference when its dates fall in one run of days, or when one run short
    enough for a conference holds nearly all of them (the others are outliers, kept without a
    day and named in the report); a folder whose dates spread over more than a conference may
    last is a series (a meetup, a channel), every talk on its own date.
    """
    if not dates:
        return ConferenceKind.CONFERENCE, {}
    ordered = sorted(dates)
    runs = [[ordered[0]]]
    for previous, date in itertools.pairwise(ordered):
        if date - previous > RUN_GAP:
            runs.append([])
        runs[-1].append(date)
    main = max(runs, key=len)  # the earliest of equally long runs
    fits = main[-1] - main[0] <= MAX_LENGTH
    if len(runs) > 1 and fits and len(main) >= CONFERENCE_SHARE * len(ordered):
        first, last = main[0], main[-1]
        return ConferenceKind.CONFERENCE, {
            date: _distance(date, first, last) for date in ordered if not first <= date <= last
        }
    if ordered[-1] - ordered[0] > MAX_LENGTH:
        return ConferenceKind.SERIES, {}
    return ConferenceKind.CONFERENCE, {}


def _distance(date, first, last):
    if date < first:
        return f"{(first - date).days} days before the conference's other talks ({first})"
    return f"{(date - last).days} days after the conference's other talks ({last})"


def _read_json(path, limits, notes):
    """The file's JSON; characters the catalog cannot store, taken out of its texts, are
    counted in ``notes``."""
    try:
        raw = files.read_bytes(path, limits.bytes)
        document = files.load_json(raw, limits.values)
    except files.FileRefused as exc:
        raise ImportFailure(path, str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailure(path, f"not UTF-8 text: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            path, f"malformed JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        ) from exc
    except RecursionError:
        raise ImportFailure(path, "malformed JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise ImportFailure(path, f"a value in the JSON cannot be read: {exc}") from exc
    document, removed = without_unstorable_characters(document, raw)
    if removed:
        notes.append(unstorable_characters_note(path.name, removed))
    return document


def _kind(value):
    """What a JSON value is, in the words of the error messages."""
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return JSON_TYPES.get(type(value), "null")


class _Record:
    """One JSON object of a file, read field by field with its shape checked."""

    def __init__(self, path, value, what):
        if not isinstance(value, dict):
            raise ImportFailure(path, f"expected {what} as an object, not {_kind(value)}")
        self.path, self.value = path, value

    def refuse(self, field, reason):
        raise ImportFailure(self.path, reason, field)

    def text(self, field, *, required=False):
        """A string field, stripped; missing or null reads as ""."""
        value = self.value.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.refuse(field, f"expected text, not {_kind(value)}")
        if required and not value.strip():
            self.refuse(field, "missing or empty")
        return value.strip()

    def items(self, field):
        """A list field, each item with its position (``field[2]``); missing or null is []."""
        value = self.value.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.refuse(field, f"expected a list, not {_kind(value)}")
        return [(f"{field}[{index}]", item) for index, item in enumerate(value)]

    def names(self, field):
        """The names of a list field, and how many of its items are empty (no one)."""
        names, empty = [], 0
        for where, item in self.items(field):
            if not isinstance(item, str):
                self.refuse(where, f"expected a name as text, not {_kind(item)}")
            if item.strip():
                names.append(person_name(item))
            else:
                empty += 1
        return names, empty

    def urls(self, field, *, label_key=None):
        """(url, label) of a list whose items are URLs or objects with a ``url`` (and a
        ``label_key``, when the schema gives one)."""
        found = []
        for where, item in self.items(field):
            entry = {"url": item} if isinstance(item, str) and label_key else item
            if not isinstance(entry, dict):
                self.refuse(where, f"expected an object with a url, not {_kind(item)}")
            url = entry.get("url")
            if not isinstance(url, str) or not url.strip():
                self.refuse(f"{where}.url", f"expected a URL as text, not {_kind(url)}")
            label = (entry.get(label_key) if label_key else None) or ""
            if not isinstance(label, str):
                self.refuse(f"{where}.{label_key}", f"expected text, not {_kind(label)}")
            found.append((url.strip(), label.strip()))
        return found

    def seconds(self, field):
        """A whole, non-negative number of seconds up to a day; missing or null is None."""
        value = self.value.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(field, f"expected a whole number of seconds, not {_kind(value)}")
        if not 0 <= value <= MAX_DURATION_SECONDS:
            self.refuse(field, f"{value} seconds is not the length of a recording")
        return value or None  # 0: the length was not known

    def date(self, field):
        value = self.text(field)
        if not value:
            return None
        match = RECORDED.fullmatch(value)
        if not match:
            self.refuse(field, f"“{value}” is not a date (YYYY-MM-DD)")
        try:
            date = datetime.date.fromisoformat(match[1])
        except ValueError:
            self.refuse(field, f"“{value}” is not a date of the calendar")
        if not EARLIEST_RECORDING <= date <= LATEST_RECORDING:
            self.refuse(
                field,
                f"“{value}” is outside the years a recording can have been made "
                f"({EARLIEST_RECORDING.year}-{LATEST_RECORDING.year})",
            )
        return date


def _talk(path, conference_slug, limits, notes, withheld_ids):
    record = _Record(path, _read_json(path, limits, notes), "a talk")
    title = record.text("title", required=True)
    video_id = record.value.get("id")
    withheld = (
        f"id {video_id} is in {NO_PUBLISH_FILE}"
        if video_id is not None and str(video_id) in withheld_ids
        else ""
    )
    # Both are reStructuredText by pyvideo's own rules (its CI parses them with docutils).
    abstract = "\n\n".join(
        part.strip()
        for part in _abstract_parts(record.text("summary"), record.text("description"))
        if part.strip()
    )
    abstract_format = TextFormat.RST if abstract else TextFormat.PLAIN
    videos = [url for url, _ in record.urls("videos")]
    links = [LinkData(url=url, title="Video", kind=LinkKind.VIDEO) for url in videos[1:]]
    links += [
        LinkData(url=url, title=label, kind=LinkKind.RESOURCE)
        for url, label in record.urls("related_urls", label_key="label")
    ]
    date, language = record.date("recorded"), record.text("language")
    speakers, nameless = record.names("speakers")
    topics, _ = record.names("tags")  # an empty tag names no subject
    if nameless:
        notes.append(
            f"{path.name} “{title}”: speakers: {nameless} without a name left out "
            "(an empty entry is no speaker)"
        )
    return TalkData(
        source=str(path),
        element=path.name,
        guid=path.stem,
        title=title,
        slug_hint=slugify(path.stem.removeprefix(f"{conference_slug}-")),
        date=date,
        abstract=abstract,
        abstract_format=abstract_format,
        language=language,
        speakers=speakers,
        topics=topics,
        video_url=videos[0] if videos else "",
        links=links,
        withheld=withheld,
        duration=record.seconds("duration"),
        thumbnail_url=record.text("thumbnail_url"),
    )


def _abstract_parts(summary, description):
    """pyvideo's short summary before its description, but no text twice: many descriptions
    open with their summary."""
    if summary and " ".join(summary.split()) in " ".join(description.split()):
        return [description]
    return [summary, description]
