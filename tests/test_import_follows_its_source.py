"""Re-imports follow their source (issue 17, point 1): a talk the source no longer lists is
marked cancelled (or deleted with --prune) and named, one that comes back is restored, a value
the source cleared is cleared, and talks added by hand or by another source are never
touched. Every report names what it changed."""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from talks.models import ScheduleSource, Talk, TalkStatus
from tests.builders import make_talk
from tests.schedule_files import json_event, json_schedule
from tests.shared_files import shared_path

KEYNOTE = json_event(guid="g-keynote", id=1, title="Keynote", subtitle="Opening")
TALK = json_event(guid="g-talk", id=2, title="Containers", start="11:00")
DEMO = json_event(guid="g-demo", id=3, title="Live demo", start="12:00")


def run(*args, verbosity=1):
    out = io.StringIO()
    call_command(*map(str, args), stdout=out, verbosity=verbosity)
    return out.getvalue()


@pytest.fixture
def schedule(tmp_path):
    """A schedule file, written with the events given, returning its path."""
    path = tmp_path / "tiny.json"

    def write(*events):
        path.write_text(json_schedule(list(events)))
        return path

    return write


def status(guid):
    return Talk.objects.get(guid=guid).status


def test_a_talk_the_source_withdrew_is_cancelled_named_and_kept(db, schedule):
    run("import_schedule", schedule(KEYNOTE, TALK, DEMO))

    report = run("import_schedule", schedule(KEYNOTE, TALK))

    demo = Talk.objects.get(guid="g-demo")
    assert demo.status == TalkStatus.CANCELLED
    assert demo.withdrawn
    assert demo.cancelled_at is not None
    assert "talk: 0 created, 0 updated, 2 unchanged, 1 cancelled" in report
    assert "no longer in the file, marked cancelled: “Live demo” (live-demo)" in report
    assert Talk.objects.count() == 3
    # Nothing new: nothing changes, and nothing is named again.
    again = run("import_schedule", schedule(KEYNOTE, TALK))
    assert "cancelled" not in again
    assert Talk.objects.get(guid="g-demo").cancelled_at == demo.cancelled_at


def test_a_talk_that_comes_back_is_restored(db, schedule):
    run("import_schedule", schedule(KEYNOTE, DEMO))
    run("import_schedule", schedule(KEYNOTE))

    report = run("import_schedule", schedule(KEYNOTE, DEMO))

    demo = Talk.objects.get(guid="g-demo")
    assert (demo.status, demo.withdrawn, demo.cancelled_at) == (TalkStatus.SCHEDULED, False, None)
    assert "back in the file, restored: “Live demo” (live-demo)" in report


def test_prune_deletes_what_the_source_withdrew(db, schedule):
    run("import_schedule", schedule(KEYNOTE, TALK, DEMO))
    run("import_schedule", schedule(KEYNOTE, TALK))  # the demo is cancelled first

    report = run("import_schedule", schedule(KEYNOTE), "--prune")

    assert list(Talk.objects.values_list("guid", flat=True)) == ["g-keynote"]
    assert "no longer in the file, deleted (--prune): “Containers” (containers)" in report
    assert "no longer in the file, deleted (--prune): “Live demo” (live-demo)" in report


def test_talks_added_by_hand_or_by_another_source_are_never_touched(db, schedule, tmp_path):
    run("import_schedule", schedule(KEYNOTE, TALK))
    conference = Talk.objects.get(guid="g-talk").conference
    by_hand = make_talk(conference, title="Added by an editor")
    other_file = tmp_path / "workshops.json"
    other_file.write_text(json_schedule([json_event(guid="g-workshop", title="Workshop")]))
    run("import_schedule", other_file, "--conference", conference.slug)

    run("import_schedule", schedule(KEYNOTE), "--prune")
    run("import_schedule", schedule(), "--conference", conference.slug)

    assert status("g-workshop") == TalkStatus.SCHEDULED
    by_hand.refresh_from_db()
    assert by_hand.status == TalkStatus.SCHEDULED
    assert by_hand.source is None
    assert ScheduleSource.objects.filter(conference=conference).count() == 2


def test_a_talk_an_editor_cancelled_stays_cancelled_while_the_source_lists_it(db, schedule):
    run("import_schedule", schedule(KEYNOTE, TALK))
    talk = Talk.objects.get(guid="g-talk")
    talk.status = TalkStatus.CANCELLED
    talk.save()

    run("import_schedule", schedule(KEYNOTE, TALK))

    assert status("g-talk") == TalkStatus.CANCELLED


def test_values_the_source_cleared_are_cleared(db, schedule):
    run("import_schedule", schedule(KEYNOTE))
    cleared = {key: value for key, value in KEYNOTE.items() if key != "subtitle"}

    report = run("import_schedule", schedule(cleared), verbosity=2)

    assert Talk.objects.get(guid="g-keynote").subtitle == ""
    assert "updated: “Keynote” (keynote)" in report


def test_a_pyvideo_folder_imported_again_follows_its_files(db, tmp_path):
    folder = tmp_path / "djangocon-eu-2021"
    shutil.copytree(shared_path("samples", "pyvideo", "djangocon-eu-2021"), folder)
    run("import_pyvideo", folder)
    first, second, *_ = sorted((folder / "videos").glob("*.json"))
    withdrawn = json.loads(first.read_text())["title"]
    first.unlink()
    video = json.loads(second.read_text())
    video["videos"] = []
    second.write_text(json.dumps(video))

    report = run("import_pyvideo", folder)

    assert f"no longer in the file, marked cancelled: “{withdrawn}”" in report
    assert Talk.objects.get(title=withdrawn).status == TalkStatus.CANCELLED
    assert Talk.objects.get(title=video["title"]).video_url == ""


def test_a_dry_run_names_every_talk_and_changes_nothing(db, schedule):
    run("import_schedule", schedule(KEYNOTE, TALK))

    report = run("import_schedule", schedule(KEYNOTE, DEMO), "--dry-run")

    assert "created: “Live demo” (live-demo)" in report
    assert "no longer in the file, marked cancelled: “Containers” (containers)" in report
    assert status("g-talk") == TalkStatus.SCHEDULED
    assert not Talk.objects.filter(guid="g-demo").exists()


def test_created_and_updated_talks_are_named_at_verbosity_2_only(db, schedule):
    quiet = run("import_schedule", schedule(KEYNOTE))
    named = run("import_schedule", schedule(KEYNOTE, TALK), verbosity=2)

    assert "created: “Keynote”" not in quiet
    assert "created: “Containers” (containers)" in named


def test_with_events_left_out_nothing_is_cancelled_on_a_guess(db, schedule):
    run("import_schedule", schedule(KEYNOTE, TALK))
    broken = json_event(guid="g-talk", id=2, title="Containers", duration="forever")

    report = run("import_schedule", schedule(KEYNOTE, broken), "--skip-invalid")

    assert status("g-talk") == TalkStatus.SCHEDULED
    assert (
        "1 events were left out, so the talks this file may no longer list were left as they "
        "are: “Containers” (containers)"
    ) in report
