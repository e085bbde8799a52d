import datetime
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from benchmarks.pyvideo_tree import write_tree
from talks.models import Conference, Speaker, Talk, TalkLink
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


# --- Small pyvideo folders built per test ----------------------------------------------------


def a_video(**fields):
    return {
        "title": "Tracing containers",
        "speakers": ["Alice Example"],
        "recorded": "2021-06-02",
        "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}],
        **fields,
    }


def write_event_folder(parent, name, videos, category=None):
    """An event folder: ``videos`` maps each file's stem to its record (any JSON value)."""
    folder = parent / name
    (folder / "videos").mkdir(parents=True)
    category = {"title": name.replace("-", " ").title()} if category is None else category
    (folder / "category.json").write_text(json.dumps(category), encoding="utf-8")
    for stem, record in videos.items():
        text = json.dumps(record, ensure_ascii=False)
        (folder / "videos" / f"{stem}.json").write_text(text, encoding="utf-8")
    return folder


def nothing_in_the_catalog():
    return not (Conference.objects.exists() or Talk.objects.exists() or Speaker.objects.exists())


def test_a_talk_is_identified_by_its_file_name(db, tmp_path):
    folder = write_event_folder(tmp_path, "pycon-x-2021", {"pycon-x-2021-tracing": a_video()})

    run_import(folder)
    run_import(folder)

    talk = Talk.objects.get()
    assert talk.guid == "pycon-x-2021-tracing"
    assert talk.slug == "tracing"


# --- Wrong shapes: "file: field: reason", nothing written ------------------------------------

WRONG_SHAPES = [
    ({"speakers": "Alice"}, "speakers: expected a list, not text"),
    ({"speakers": 3}, "speakers: expected a list, not a number"),
    ({"speakers": ["Alice", 7]}, "speakers[1]: expected a name as text, not a number"),
    ({"speakers": [["Alice"]]}, "speakers[0]: expected a name as text, not a list"),
    ({"title": ["Tracing", "containers"]}, "title: expected text, not a list"),
    ({"title": {"en": "Tracing"}}, "title: expected text, not an object"),
    ({"title": 42}, "title: expected text, not a number"),
    ({"title": ""}, "title: missing or empty"),
    ({"description": True}, "description: expected text, not true or false"),
    ({"summary": ["Short"]}, "summary: expected text, not a list"),
    ({"videos": 5}, "videos: expected a list, not a number"),
    ({"videos": ["https://youtu.be/abc"]}, "videos[0]: expected an object with a url, not text"),
    ({"videos": [{"url": 5}]}, "videos[0].url: expected a URL as text, not a number"),
    ({"related_urls": {"url": "https://a.example"}}, "related_urls: expected a list, not an"),
    ({"related_urls": [{"label": "Slides"}]}, "related_urls[0].url: expected a URL as text"),
    ({"related_urls": [{"url": "https://a.example", "label": 1}]}, "related_urls[0].label:"),
    ({"recorded": "99999-01-01"}, "recorded: “99999-01-01” is not a date (YYYY-MM-DD)"),
    ({"recorded": "0001-01-01"}, "recorded: “0001-01-01” is outside the years"),
    ({"recorded": "2021-02-30"}, "recorded: “2021-02-30” is not a date of the calendar"),
    ({"recorded": "20210602"}, "recorded: “20210602” is not a date (YYYY-MM-DD)"),
    ({"recorded": 20210602}, "recorded: expected text, not a number"),
]


@pytest.mark.parametrize(("fields", "message"), WRONG_SHAPES)
def test_a_wrong_shape_is_named_and_nothing_is_imported(db, tmp_path, fields, message):
    folder = write_event_folder(
        tmp_path, "conf", {"a-fine-talk": a_video(), "the-talk": a_video(**fields)}
    )

    with pytest.raises(CommandError) as refused:
        run_import(folder)

    assert f"the-talk.json: {message}" in str(refused.value)
    assert nothing_in_the_catalog()


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ([a_video()], "expected a talk as an object, not a list"),
        ("Tracing containers", "expected a talk as an object, not text"),
        (None, "expected a talk as an object, not null"),
    ],
)
def test_a_talk_file_that_is_not_an_object_is_refused(db, tmp_path, record, message):
    folder = write_event_folder(tmp_path, "conf", {"the-talk": record})

    with pytest.raises(CommandError, match=f"the-talk.json: {message}"):
        run_import(folder)
    assert nothing_in_the_catalog()


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ({"title": ["Conf"]}, "category.json: title: expected text, not a list"),
        ({"title": "Conf", "url": 1}, "category.json: url: expected text, not a number"),
        (["Conf"], "category.json: expected the event as an object, not a list"),
    ],
)
def test_a_wrong_category_is_refused(db, tmp_path, category, message):
    folder = write_event_folder(tmp_path, "conf", {"talk": a_video()}, category=category)

    with pytest.raises(CommandError) as refused:
        run_import(folder)
    assert message in str(refused.value)
    assert nothing_in_the_catalog()


def test_a_time_after_the_recorded_date_is_accepted(db, tmp_path):
    folder = write_event_folder(
        tmp_path, "conf", {"talk": a_video(recorded="2021-06-02T10:30:00+02:00")}
    )
    run_import(folder)
    assert Talk.objects.get().day.date == datetime.date(2021, 6, 2)


# --- Summaries, empty names and repeated links (issue 17, point 5) ---------------------------

SUMMARY = "How we trace containers in production, and what it costs."
DESCRIPTION = "Tracing containers\n==================\n\nThe long version: eBPF, *probes*."


@pytest.mark.parametrize(
    ("fields", "abstract"),
    [
        ({"summary": SUMMARY}, SUMMARY),
        ({"summary": SUMMARY, "description": ""}, SUMMARY),
        ({"summary": SUMMARY, "description": DESCRIPTION}, f"{SUMMARY}\n\n{DESCRIPTION}"),
        # The description holds the summary already (folded otherwise): no text twice.
        (
            {
                "summary": SUMMARY,
                "description": f"How we trace containers in\nproduction, "
                f"and what it costs.\n\n{DESCRIPTION}",
            },
            f"How we trace containers in\nproduction, and what it costs.\n\n{DESCRIPTION}",
        ),
        ({"summary": " ", "description": DESCRIPTION}, DESCRIPTION),
        ({"summary": None, "description": DESCRIPTION}, DESCRIPTION),
    ],
)
def test_the_summary_is_read_before_the_description(db, tmp_path, fields, abstract):
    run_import(write_event_folder(tmp_path, "conf", {"talk": a_video(**fields)}))

    talk = Talk.objects.get()
    assert (talk.abstract, talk.abstract_format) == (abstract, "rst")


def test_summary_and_description_are_restructuredtext_as_pyvideo_writes_them(db, tmp_path):
    summary = "Slides: `the deck <https://slides.example.org/1>`_"
    run_import(
        write_event_folder(
            tmp_path, "conf", {"talk": a_video(summary=summary, description="Plain words.")}
        )
    )

    talk = Talk.objects.get()
    assert (talk.abstract, talk.abstract_format) == (f"{summary}\n\nPlain words.", "rst")


def test_an_empty_speaker_name_is_no_speaker_with_a_line(db, tmp_path):
    videos = {"talk": a_video(title="Chat", speakers=["", "Ann Example", "  "])}

    output = run_import(write_event_folder(tmp_path, "conf", videos))

    assert [s.name for s in Talk.objects.get().ordered_speakers] == ["Ann Example"]
    assert (
        "talk.json “Chat”: speakers: 2 without a name left out (an empty entry is no speaker)"
    ) in output


def test_a_link_repeating_the_video_or_another_link_is_kept_once_with_a_line(db, tmp_path):
    video = "https://www.youtube.com/watch?v=abc"
    record = a_video(
        title="Again",
        videos=[{"type": "youtube", "url": video}, {"type": "youtube", "url": video}],
        related_urls=[
            {"label": "Slides", "url": "https://slides.example.org/1"},
            {"label": "Deck", "url": "https://slides.example.org/1"},
        ],
    )

    output = run_import(write_event_folder(tmp_path, "conf", {"talk": record}))

    talk = Talk.objects.get()
    assert talk.video_url == video
    assert [(link.title, link.url) for link in talk.links.all()] == [
        ("Slides", "https://slides.example.org/1")
    ]
    assert f"talk.json “Again”: link “{video}” is the talk's video link already, kept once" in (
        output
    )
    assert (
        "talk.json “Again”: link “https://slides.example.org/1” listed twice, kept once with "
        "its first title “Slides” (“Deck” left out)"
    ) in output


# --- Speaker slugs from pyvideo names --------------------------------------------------------


def test_speaker_slugs_are_readable_for_names_outside_ascii(db, tmp_path):
    names = ["Diogo Mónica", "Samuel Groß", "Valbjørn", "やまだ はなこ", "Иван Петров"]
    folder = write_event_folder(tmp_path, "conf", {"talk": a_video(speakers=names)})

    run_import(folder)

    assert [s.slug for s in Talk.objects.get().ordered_speakers] == [
        "diogo-monica",
        "samuel-gross",
        "valbjorn",
        "yamada-hanako",
        "ivan-petrov",
    ]


# --- A whole checkout ------------------------------------------------------------------------


def run_checkout_import(root, stdout=None):
    """Runs the command; returns (output, the CommandError it ended with or None)."""
    out = stdout or io.StringIO()
    try:
        call_command("import_pyvideo", str(root), stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def a_checkout(root):
    """Three event folders, the second one broken, and a folder that is not an event."""
    write_event_folder(
        root,
        "alpha-2020",
        {
            "alpha-2020-one": a_video(title="One", speakers=["Ann", "Bo"]),
            "alpha-2020-two": a_video(title="Two", speakers=["Bo"]),
        },
    )
    write_event_folder(
        root, "beta-2021", {"beta-2021-ok": a_video(), "beta-2021-bad": a_video(speakers="Cy")}
    )
    write_event_folder(root, "gamma-2022", {"gamma-2022-three": a_video(title="Three")})
    (root / "schemas").mkdir()
    (root / "schemas" / "video.json").write_text("{}", encoding="utf-8")
    # As in pyvideo's own checkout: the schema of category.json, but no videos folder.
    (root / "schemas" / "category.json").write_text("{}", encoding="utf-8")
    return root


def catalog_rows():
    return (
        sorted(Conference.objects.values_list("pk", "slug")),
        sorted(Talk.objects.values_list("pk", "conference__slug", "guid", "slug")),
        sorted(Speaker.objects.values_list("pk", "slug")),
        sorted(TalkLink.objects.values_list("pk", "url")),
    )


def test_a_checkout_imports_every_event_folder_and_lists_the_broken_one(db, tmp_path):
    output, failure = run_checkout_import(a_checkout(tmp_path))

    assert sorted(Conference.objects.values_list("slug", flat=True)) == [
        "alpha-2020",
        "gamma-2022",
    ]
    assert Talk.objects.count() == 3
    # The broken folder's transaction rolled back: not even its good talk is kept.
    assert not Talk.objects.filter(guid="beta-2021-ok").exists()
    assert sorted(Speaker.objects.values_list("name", flat=True)) == [
        "Alice Example",
        "Ann",
        "Bo",
    ]
    assert failure is not None  # the command exits with status 1
    assert "1 of 3 event folders were not imported" in str(failure)
    assert "beta-2021: " in str(failure)
    assert "beta-2021-bad.json: speakers: expected a list, not text" in str(failure)
    assert "Not event folders (no category.json and videos/), left alone: schemas" in output
    assert "Imported 2 of 3 conferences, 3 talks read." in output


def test_a_checkout_prints_a_line_per_folder(db, tmp_path):
    output, _ = run_checkout_import(a_checkout(tmp_path))

    assert "[1/3] alpha-2020: 2 talks" in output
    assert "[2/3] beta-2021: not imported: " in output
    assert "[3/3] gamma-2022: 1 talk\n" in output


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_progress_is_one_updating_bar(db, tmp_path):
    output, _ = run_checkout_import(a_checkout(tmp_path), stdout=Terminal())

    assert "\r[" + "#" * 10 + "." * 20 + "] 1/3 alpha-2020" in output
    assert "\r[" + "#" * 30 + "] 3/3 gamma-2022" in output
    # A broken folder still gets a line of its own, which stays on screen.
    assert "\n[2/3] beta-2021: not imported" not in output
    assert "[2/3] beta-2021: not imported: " in output


def test_a_checkout_imports_again_to_the_same_rows(db, tmp_path):
    root = a_checkout(tmp_path)
    run_checkout_import(root)
    before = catalog_rows()

    output, failure = run_checkout_import(root)

    assert catalog_rows() == before
    assert "talk: 0 created, 0 updated, 3 unchanged" in output
    assert "beta-2021" in str(failure)


def test_a_fixed_folder_joins_on_the_next_run(db, tmp_path):
    root = a_checkout(tmp_path)
    run_checkout_import(root)
    bad = root / "beta-2021" / "videos" / "beta-2021-bad.json"
    bad.write_text(json.dumps(a_video(speakers=["Cy"])), encoding="utf-8")

    output, failure = run_checkout_import(root)

    assert failure is None
    assert Conference.objects.count() == 3
    assert Talk.objects.filter(conference__slug="beta-2021").count() == 2
    assert "Imported 3 of 3 conferences, 5 talks read." in output


def test_a_folder_with_neither_events_nor_a_category_is_refused(db, tmp_path):
    (tmp_path / "schemas").mkdir()

    with pytest.raises(CommandError, match=r"nor a pyvideo data checkout"):
        run_import(tmp_path)


def test_the_benchmark_tree_imports_through_the_command(db, tmp_path):
    folders = write_tree(tmp_path, folders=3, talks=12)

    output, failure = run_checkout_import(tmp_path)

    assert failure is None
    assert Conference.objects.count() == 3
    # The tree's NO_PUBLISH.json withholds video 7, as pyvideo's withholds two of its own.
    assert Talk.objects.count() == 11
    assert "Imported 3 of 3 conferences, 12 talks read." in output
    records = [
        json.loads(path.read_text(encoding="utf-8"))
        for folder in folders
        for path in (folder / "videos").glob("*.json")
    ]
    names = {name for record in records if record["id"] != 7 for name in record["speakers"]}
    assert Speaker.objects.count() == len(names)
