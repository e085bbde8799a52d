"""One person, one page (issue 18, point 7): names that differ only in case, spacing or quote
marks are one speaker on import, named by their most credited spelling; names that differ in
accents are listed by ``speaker_duplicates``; the admin merges speakers, their old addresses
redirect, and a later import does not split them again."""

import io

import pytest
from django.core.management import call_command

from talks.models import (
    Announcement,
    Speaker,
    SpeakerAlias,
    SpeakerLink,
    Talk,
    merge_speakers,
    name_key,
)
from tests.builders import make_conference, make_talk
from tests.test_import_pyvideo import a_video, run_import, write_event_folder


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Guido van Rossum", "Guido Van Rossum", "guido  van rossum "], "guido van rossum"),
        (["Albert O'Connor", "Albert O\u2019Connor", "Albert O\u02bcConnor"], "albert o'connor"),
        (["Andrea Crotti", "andrea crotti"], "andrea crotti"),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings, key):
    assert {name_key(spelling) for spelling in spellings} == {key}


def test_accents_are_not_folded():
    assert name_key("Adam Stevko") != name_key("Adam \u0160tevko")


def guido_folders(root):
    """Guido van Rossum, spelt one way in a first folder and mostly another in a second."""
    first = write_event_folder(
        root, "pycon-a", {f"a-{n}": a_video(speakers=["Guido Van Rossum"]) for n in range(2)}
    )
    second = write_event_folder(
        root,
        "pycon-b",
        {
            **{f"b-{n}": a_video(speakers=["Guido van Rossum"]) for n in range(3)},
            "b-quote": a_video(speakers=["Albert O\u2019Connor", "guido van rossum"]),
            "b-straight": a_video(speakers=["Albert O'Connor"]),
        },
    )
    return first, second


def test_an_import_keeps_one_speaker_named_as_most_talks_credit_him(db, tmp_path):
    first, second = guido_folders(tmp_path)
    run_import(first)
    assert Speaker.objects.get().name == "Guido Van Rossum"

    output = run_import(second)

    guido = Speaker.objects.get(name_key="guido van rossum")
    assert guido.name == "Guido van Rossum"
    assert guido.talks.count() == 6
    assert (
        "speaker “Guido Van Rossum” (guido-van-rossum) named “Guido van Rossum”, as 3 of their "
        "6 talks credit them"
    ) in output
    albert = Speaker.objects.get(name_key="albert o'connor")
    assert albert.talks.count() == 2
    assert Speaker.objects.count() == 2
    # The talk still says how its source credited him.
    assert list(
        Talk.objects.get(guid="b-quote").talk_speakers.values_list("credited_as", flat=True)
    ) == ["Albert O\u2019Connor", "guido van rossum"]


def test_an_editors_name_is_not_undone_by_an_import(db, tmp_path):
    first, _ = guido_folders(tmp_path)
    run_import(first)
    guido = Speaker.objects.get(slug="guido-van-rossum")
    guido.name = "Guido van Rossum (BDFL)"
    guido.save()  # as the admin saves it

    run_import(first)

    assert Speaker.objects.get().name == "Guido van Rossum (BDFL)"


@pytest.fixture
def twins(db):
    """One person entered twice: "Adam Stevko" with two talks, "Adam Števko" with one talk,
    a link and an announcement they presented."""
    conference = make_conference()
    plain = Speaker.objects.create(name="Adam Stevko", slug="adam-stevko")
    accented = Speaker.objects.create(
        name="Adam \u0160tevko", slug="adam-stevko-2", bio="Works on Python."
    )
    shared = make_talk(conference, title="Shared", speakers=[plain, accented])
    make_talk(conference, title="Plain", speakers=[plain])
    make_talk(conference, title="Accented", speakers=[accented])
    SpeakerLink.objects.create(speaker=accented, url="https://example.org/adam", title="Site")
    announcement = Announcement.objects.create(conference=conference, slug="x", title="X")
    announcement.presenters.set([accented])
    return plain, accented, shared


def test_speaker_duplicates_lists_names_apart_only_in_accents(twins):
    out = io.StringIO()
    call_command("speaker_duplicates", stdout=out)

    assert (
        "Adam Stevko (adam-stevko, 2 talks) · Adam \u0160tevko (adam-stevko-2, 2 talks)  "
        "[accents differ]"
    ) in out.getvalue()
    assert "1 group of possible duplicates among 2 speakers." in out.getvalue()
    assert Speaker.objects.count() == 2  # it changes nothing


def test_the_admin_merges_two_speakers_and_the_old_page_redirects(admin_client, client, twins):
    plain, accented, shared = twins
    response = admin_client.post(
        "/admin/talks/speaker/",
        {"action": "merge_selected_speakers", "_selected_action": [plain.pk, accented.pk]},
    )
    assert response.status_code == 302

    [kept] = Speaker.objects.all()
    assert kept.pk == plain.pk  # the first of equally busy speakers
    assert sorted(kept.talks.values_list("title", flat=True)) == ["Accented", "Plain", "Shared"]
    assert list(shared.talk_speakers.values_list("speaker_id", flat=True)) == [kept.pk]
    assert kept.bio == "Works on Python."  # filled from the merged speaker
    assert list(kept.links.values_list("url", flat=True)) == ["https://example.org/adam"]
    assert list(kept.announcements.values_list("slug", flat=True)) == ["x"]
    moved = client.get("/speakers/adam-stevko-2/?page=1")
    assert moved.status_code == 301
    assert moved["Location"] == "/speakers/adam-stevko/?page=1"
    assert "Accented" in client.get("/speakers/adam-stevko/").content.decode()


def test_an_import_does_not_split_a_merged_speaker(db, tmp_path, twins):
    plain, accented, _ = twins
    merge_speakers(plain, [accented])
    folder = write_event_folder(tmp_path, "con-c", {"c-1": a_video(speakers=["Adam \u0160tevko"])})

    run_import(folder)

    assert Speaker.objects.count() == 1
    assert Talk.objects.get(guid="c-1").speakers.get() == plain
    assert SpeakerAlias.objects.get().slug == "adam-stevko-2"
    # A new speaker never takes a merged speaker's address.
    assert Speaker.unique_slug_for("Adam Števko") == "adam-stevko-3"


def test_fixture_speakers_are_found_by_their_keys(dockercon):
    golub = Speaker.objects.get(slug="ben-golub")
    assert golub.name_key == "ben golub"


def test_backups_keep_merged_speakers_aliases_and_credits(twins, tmp_path, client):
    plain, accented, _ = twins
    merge_speakers(plain, [accented])
    backup = tmp_path / "backup.yaml"
    call_command("export_catalog", "--all", "-o", str(backup), stderr=io.StringIO())
    Speaker.objects.all().delete()

    call_command("load_catalog", str(backup), stdout=io.StringIO())

    assert SpeakerAlias.objects.get().speaker.slug == "adam-stevko"
    assert client.get("/speakers/adam-stevko-2/").status_code == 301
