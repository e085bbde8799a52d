import datetime
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from talks.models import Conference, Talk, TalkLink
from tests.shared_files import shared_path


def event_folder():
    return shared_path("samples", "pyvideo", "djangocon-eu-2021")


def run_import(directory):
    out = io.StringIO()
    call_command("import_pyvideo", str(directory), stdout=out)
    return out.getvalue()


def test_event_folder_imports_twice_without_duplicates(db):
    folder = event_folder()
    files = sorted((folder / "videos").glob("*.json"))

    first = run_import(folder)
    second = run_import(folder)

    conference = Conference.objects.get(slug="djangocon-eu-2021")
    assert conference.name == "DjangoCon Europe 2021"
    assert conference.website == "https://2021.djangocon.eu/"
    assert conference.talks.count() == len(files) == 39
    assert f"talk: {len(files)} created, 0 updated" in first
    assert f"talk: 0 created, 0 updated, {len(files)} unchanged" in second
    assert (conference.start_date, conference.end_date) == (
        datetime.date(2021, 6, 2),
        datetime.date(2021, 6, 4),
    )
    assert [d.date.day for d in conference.days.all()] == [2, 3, 4]
    videos = [json.loads(path.read_text()) for path in files]
    extra_links = sum(len(v["related_urls"]) + len(v["videos"]) - 1 for v in videos)
    assert TalkLink.objects.filter(talk__conference=conference).count() == extra_links


def test_a_talk_keeps_what_pyvideo_says_and_nothing_more(db):
    folder = event_folder()
    source = json.loads(
        (folder / "videos" / "djangocon-eu-2021-a-sql-for-django-stefan-baerisch.json").read_text()
    )
    run_import(folder)

    talk = Talk.objects.for_detail().get(slug="a-sql-for-django-stefan-baerisch")
    assert talk.title == source["title"] == "A SQL for Django"
    assert talk.day.date == datetime.date(2021, 6, 2)
    # pyvideo records a date only.
    assert talk.starts_at is None
    assert talk.room is None
    assert talk.video_url == "https://www.youtube.com/watch?v=kIwGM-e7EhM"
    assert [s.name for s in talk.ordered_speakers] == ["Stefan Baerisch"]
    assert [(link.title, link.url) for link in talk.links.all()] == [
        ("Talk announcement", "https://2021.djangocon.eu/cfp/talk/PC7PZP/index.html")
    ]
    assert talk.abstract.startswith("This talk will show you how to combine SQL and ORM")


def test_a_malformed_talk_file_is_named_and_nothing_is_imported(db, tmp_path):
    folder = tmp_path / "djangocon-eu-2021"
    shutil.copytree(event_folder(), folder)
    broken = folder / "videos" / "zz-broken.json"
    broken.write_text('{"title": "Half', encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        run_import(folder)

    assert "zz-broken.json" in str(refused.value)
    assert "malformed JSON" in str(refused.value)
    assert not Conference.objects.exists()


def test_a_folder_without_category_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"category\.json"):
        run_import(tmp_path)
