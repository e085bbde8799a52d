"""load_catalog: full validation, one transaction, clear errors that name file, record, reason."""

import textwrap

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from talks.management.commands.load_catalog import Command as LoadCatalog
from talks.models import Conference, Speaker, Talk

CONFERENCE = """
- model: talks.conference
  fields: {slug: pycon-x, name: PyCon X, time_zone: Europe/Paris, start_date: 2024-05-06,
           end_date: 2024-05-07}
- model: talks.day
  fields: {conference: [pycon-x], number: 1, date: 2024-05-06}
- model: talks.track
  fields: {conference: [pycon-x], slug: main, name: Main}
- model: talks.speaker
  fields: {slug: ada-lovelace, name: Ada Lovelace}
- model: talks.talk
  fields: {conference: [pycon-x], slug: engines, title: Analytical Engines, kind: session,
           day: [pycon-x, 1], track: [pycon-x, main]}
- model: talks.talkspeaker
  fields: {talk: [pycon-x, engines], speaker: [ada-lovelace], position: 1}
"""


@pytest.fixture
def write(tmp_path):
    def write(text, name="catalog.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def snapshot():
    return {
        model._meta.label: sorted(model.objects.values_list(flat=False))
        for model in apps.get_app_config("talks").catalog_models()
    }


def load(*paths):
    return call_command("load_catalog", *[str(p) for p in paths])


def test_loads_and_reports_counts(db, write, capsys):
    load(write(CONFERENCE))
    out = capsys.readouterr().out
    assert "talks.talk: 1 created, 0 updated" in out
    assert "total: 6 created, 0 updated" in out
    talk = Talk.objects.get(slug="engines")
    assert talk.day.number == 1
    assert [s.slug for s in talk.ordered_speakers] == ["ada-lovelace"]


def test_loading_again_updates_instead_of_duplicating(db, write, capsys):
    path = write(CONFERENCE)
    load(path)
    before = snapshot()
    capsys.readouterr()
    load(path)
    assert "total: 0 created, 6 updated" in capsys.readouterr().out
    assert snapshot() == before


def test_changed_values_update_the_existing_row(db, write):
    load(write(CONFERENCE))
    load(write(CONFERENCE.replace("Analytical Engines", "Difference Engines"), "v2.yaml"))
    assert Talk.objects.get(slug="engines").title == "Difference Engines"
    assert Talk.objects.count() == 1


def test_the_shipped_fixture_loads_with_full_validation(db, capsys):
    load("fixtures/dockercon-2017.yaml")
    assert "total: 76 created, 0 updated" in capsys.readouterr().out
    load("fixtures/dockercon-2017.yaml")
    assert "total: 0 created, 76 updated" in capsys.readouterr().out


def assert_refused(path, *fragments):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        load(path)
    message = str(error.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert "Nothing was loaded" in message
    assert snapshot() == before
    return message


def test_malformed_yaml(db, write):
    path = write("- model: talks.speaker\n  fields: {slug: [unclosed\n")
    assert_refused(path, "malformed YAML", "line ")


def test_not_a_list_of_records(db, write):
    assert_refused(write("model: talks.speaker\n"), "expected a list of records")


def test_unknown_model(db, write):
    path = write(CONFERENCE + "- model: talks.poster\n  fields: {slug: x}\n")
    assert_refused(path, "record 7", "unknown model “talks.poster”")
    assert not Conference.objects.exists(), "the valid records before it were rolled back"


def test_unknown_field(db, write):
    path = write(CONFERENCE.replace("name: Ada Lovelace", "name: Ada Lovelace, shoe_size: 38"))
    assert_refused(path, "record 4", "talks.speaker", "shoe_size")


def test_reference_to_a_missing_speaker(db, write):
    path = write(CONFERENCE.replace("speaker: [ada-lovelace]", "speaker: [nobody]"))
    assert_refused(
        path, "record 6", "talks.talkspeaker", "speaker: no speaker with natural key ['nobody']"
    )


def test_record_breaking_a_model_rule(db, write):
    other = """
    - model: talks.conference
      fields: {slug: other, name: Other, time_zone: UTC}
    - model: talks.track
      fields: {conference: [other], slug: elsewhere, name: Elsewhere}
    """
    path = write(
        textwrap.dedent(CONFERENCE)
        + textwrap.dedent(other)
        + textwrap.dedent("""
        - model: talks.talk
          fields: {conference: [pycon-x], slug: misplaced, title: Misplaced,
                   track: [other, elsewhere]}
        """)
    )
    assert_refused(path, "record 9", "talks.talk pycon-x/misplaced", "track:", "belongs to Other")


def test_invalid_field_value(db, write):
    path = write(CONFERENCE.replace("time_zone: Europe/Paris", "time_zone: Mars/Olympus"))
    assert_refused(path, "record 1", "time_zone", "Mars/Olympus")


def test_record_with_a_primary_key_is_refused(db, write):
    path = write("- model: talks.speaker\n  pk: 7\n  fields: {slug: x, name: X}\n")
    assert_refused(path, "record 1", "remove 'pk'")


def test_a_bad_second_file_rolls_back_the_first(db, write):
    good = write(CONFERENCE, "good.yaml")
    bad = write("- model: talks.speaker\n  fields: {slug: '', name: Nameless}\n", "bad.yaml")
    before = snapshot()
    with pytest.raises(CommandError, match=r"bad\.yaml: record 1 .*slug"):
        load(good, bad)
    assert snapshot() == before


def test_missing_file(db, tmp_path):
    assert_refused(tmp_path / "absent.yaml", "cannot read the file")


@pytest.mark.django_db(transaction=True)
def test_command_line_exits_non_zero(write, capsys):
    path = write(CONFERENCE.replace("speaker: [ada-lovelace]", "speaker: [nobody]"))
    with pytest.raises(SystemExit) as exit_info:
        LoadCatalog().run_from_argv(["manage.py", "load_catalog", str(path)])
    assert exit_info.value.code == 1
    assert "record 6" in capsys.readouterr().err
    assert not Speaker.objects.exists()


def test_models_outside_the_catalog_are_refused(db, write):
    path = write(
        "- model: auth.user\n"
        "  fields: {username: intruder, is_superuser: true, is_staff: true, password: x}\n"
    )
    assert_refused(path, "record 1", "“auth.user” is not a catalog model")
    assert not User.objects.filter(username="intruder").exists()
