"""Reader of one event folder of the pyvideo.org data set into ``data.ScheduleData``.

The folder holds ``category.json`` (the event: title, url) and ``videos/*.json`` (one talk
each: title, speakers, recorded date, description, videos, related_urls, tags). The folder
name is the conference slug; a talk is keyed on the name of its file (without .json)
name, so re-imports update it. pyvideo records a date, never a time or a room: talks get a day
and nothing more. The first video becomes the talk's video link, further videos and the
related URLs its extra links; tags have no place in the catalog and are not imported.
"""

import datetime
import json
from pathlib import Path

from django.utils.text import slugify

from talks.models import LinkKind

from .data import ConferenceData, ImportFailure, LinkData, ScheduleData, TalkData


def read_event_folder(directory):
    directory = Path(directory)
    category = _read_json(directory / "category.json")
    if not isinstance(category, dict) or not str(category.get("title") or "").strip():
        raise ImportFailure(directory / "category.json", "expected an object with a title")
    slug = slugify(directory.resolve().name)
    video_files = sorted((directory / "videos").glob("*.json"))
    if not video_files:
        raise ImportFailure(directory / "videos", "no talk files (videos/*.json)")
    talks = [_talk(path, slug) for path in video_files]
    dates = [talk.date for talk in talks if talk.date]
    website = str(category.get("url") or "")
    conference = ConferenceData(
        source=str(directory / "category.json"),
        slug=slug,
        name=str(category["title"]).strip(),
        start_date=min(dates, default=None),
        end_date=max(dates, default=None),
        website=website if website.startswith(("http://", "https://")) else "",
    )
    return ScheduleData(conference=conference, talks=talks, events_found=len(talks))


def _read_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFailure(path, f"cannot read the file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFailure(path, f"not UTF-8 text: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            path, f"malformed JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        ) from exc


def _talk(path, conference_slug):
    video = _read_json(path)
    if not isinstance(video, dict):
        raise ImportFailure(path, "expected a talk object")
    title = str(video.get("title") or "").strip()
    if not title:
        raise ImportFailure(path, "the talk has no title", "title")
    recorded = video.get("recorded")
    try:
        date = datetime.date.fromisoformat(str(recorded)[:10]) if recorded else None
    except ValueError:
        raise ImportFailure(path, f"“{recorded}” is not an ISO date", "recorded") from None
    speakers = video.get("speakers") or []
    if not isinstance(speakers, list):
        raise ImportFailure(path, "expected a list of names", "speakers")
    videos = [v.get("url") for v in video.get("videos") or [] if isinstance(v, dict)]
    videos = [str(url).strip() for url in videos if url]
    links = [LinkData(url=url, title="Video", kind=LinkKind.VIDEO) for url in videos[1:]]
    for related in video.get("related_urls") or []:
        url, label = (
            (related.get("url"), related.get("label"))
            if isinstance(related, dict)
            else (related, "")
        )
        if url:
            links.append(LinkData(url=str(url).strip(), title=str(label or ""), kind="resource"))
    stem = path.stem
    return TalkData(
        source=str(path),
        element=path.name,
        guid=stem,
        title=title,
        slug_hint=slugify(stem.removeprefix(f"{conference_slug}-")),
        date=date,
        abstract=str(video.get("description") or "").strip(),
        speakers=[str(name).strip() for name in speakers if str(name or "").strip()],
        video_url=videos[0] if videos else "",
        links=links,
    )
