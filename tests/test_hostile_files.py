"""Hostile files are refused in seconds with the database unchanged (issue 9, point 2):
size limits before parsing, alias bombs, deep nesting, duplicate keys, foreign tags, wrong
types and encodings. Each refusal names the file (and the record or element) and the reason."""

import io

import pytest
from django.core.management import CommandError, call_command

from talks.models import Conference, Speaker, Talk

CONFERENCE = (
    "- model: talks.conference\n"
    "  fields: {slug: tiny, name: Tiny, start_date: 2024-05-06, end_date: 2024-05-07}\n"
)


def rows():
    return [model.objects.count() for model in (Conference, Talk, Speaker)]


def refused(command, path, *args):
    before = rows()
    with pytest.raises(CommandError) as refusal:
        call_command(command, str(path), *args, stdout=io.StringIO())
    assert rows() == before
    message = str(refusal.value)
    assert str(path) in message
    return message


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def alias_bomb(levels=9):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return lines


# --- catalog YAML -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\n".join(alias_bomb()), "more than 20 aliases"),
        (
            "- model: talks.conference\n  fields:\n    slug: bomb\n"
            + "\n".join(f"    x{line}" for line in alias_bomb()),
            "more than 20 aliases",
        ),
        ("- &base {model: talks.conference}\n" + "- {<<: *base}\n" * 25, "more than 20 alias"),
        ("[" * 60 + "]" * 60, "nested deeper than 50 levels"),
        # libyaml refuses this depth while reading ahead, before the composer sees it.
        ("[" * 5000 + "]" * 5000, "exceeded maximum nesting depth"),
        (
            "- model: talks.conference\n  fields: {slug: a, slug: b}\n",
            "the key “slug” appears twice",
        ),
        ("- model: talks.conference\n  fields: {name: !!binary aGVsbG8=}\n", "is not plain data"),
        ("- !!python/object/apply:os.system [true]\n", "is not plain data"),
        ("- model: talks.conference\n  fields: !!set {a, b}\n", "is not plain data"),
        ("- model: talks.conference\n  fields: {name: !local x}\n", "is not plain data"),
    ],
)
def test_hostile_yaml_is_refused(db, tmp_path, text, reason):
    message = refused("load_catalog", write(tmp_path, "hostile.yaml", text))
    assert reason in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("model: talks.conference\n", "expected a list of records"),
        ("- [talks.conference]\n", "a record must be a mapping"),
        ("- {model: 7}\n", "a record must be a mapping with a 'model' key"),
        ("- {model: talks.conference, fields: [slug]}\n", "'fields' must be a mapping"),
        (
            "- {model: talks.conference, fields: {slug: x, name: [A, B]}}\n",
            "record 1 (talks.conference): name: expected a single value, found a list",
        ),
        (
            "- {model: talks.conference, fields: {slug: x, name: {en: A}}}\n",
            "name: expected a single value, found a mapping",
        ),
        (
            CONFERENCE + "- {model: talks.day, fields: {conference: {slug: tiny}, number: 1}}\n",
            "conference: expected a natural key (a list of values), found a mapping",
        ),
        (
            CONFERENCE
            + "- {model: talks.announcement, fields: {conference: [tiny], slug: a, title: A,"
            " presenters: ada}}\n",
            "presenters: expected a list, found a value",
        ),
        (
            "- {model: talks.conference, fields: {slug: x, name: X, start_date: 99999-01-01}}\n",
            "record 1 (talks.conference): start_date: “99999-01-01” value has an invalid date",
        ),
        (
            "- {model: talks.conference, fields: {slug: x, name: X, start_date: 2024-02-30}}\n",
            "a value in the YAML is impossible: day is out of range for month",
        ),
    ],
)
def test_wrong_types_at_every_level_of_yaml_are_refused(db, tmp_path, text, reason):
    assert reason in refused("load_catalog", write(tmp_path, "types.yaml", text))


def test_yaml_in_another_encoding_is_refused(db, tmp_path):
    path = write(tmp_path, "utf16.yaml", CONFERENCE.encode("utf-16"))
    assert "not UTF-8 text" in refused("load_catalog", path)


@pytest.mark.parametrize(
    ("command", "name", "text"),
    [
        ("load_catalog", "big.yaml", CONFERENCE),
        ("import_schedule", "big.json", '{"schedule": {}}' + " " * 2000),
        ("import_schedule", "big.xml", "<schedule/>" + " " * 2000),
    ],
)
def test_a_file_over_the_size_limit_is_refused_unread(db, tmp_path, command, name, text):
    path = write(tmp_path, name, text)
    message = refused(command, path, "--max-size", "0.0001")
    assert "over the limit of 104 (see --max-size)" in message


def test_the_size_limit_can_be_raised(db, tmp_path):
    path = write(tmp_path, "ok.yaml", CONFERENCE)
    call_command("load_catalog", str(path), "--max-size", "1", stdout=io.StringIO())
    assert Conference.objects.filter(slug="tiny").exists()


# --- schedules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            "deep.xml",
            "<schedule>" + "<a>" * 10_000 + "</a>" * 10_000 + "</schedule>",
            "malformed XML",
        ),
        ("utf16.json", '{"schedule": {}}'.encode("utf-16"), "not UTF-8 text"),
        (
            "latin1.json",
            '{"schedule": {"conference": {"title": "Café"}}}'.encode("latin-1"),
            "not UTF-8",
        ),
        (
            "mislabelled.xml",
            '<?xml version="1.0" encoding="UTF-8"?><schedule><conference><title>Café'
            "</title></conference></schedule>".encode("latin-1"),
            "malformed XML",
        ),
        ("text.json", '"just text"', "expected an object with schedule.conference"),
        ("number.json", "42", "expected an object with schedule.conference"),
    ],
)
def test_hostile_schedules_are_refused(db, tmp_path, name, data, reason):
    assert reason in refused("import_schedule", write(tmp_path, name, data))


# --- pyvideo folders ----------------------------------------------------------------------------


def pyvideo_folder(tmp_path, video):
    folder = tmp_path / "tinycon-2024"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"title": "TinyCon 2024"}')
    (folder / "videos" / "talk.json").write_bytes(video.encode())
    return folder


@pytest.mark.parametrize(
    ("video", "args", "reason"),
    [
        ('{"title": "Talk"}' + " " * 2000, ["--max-size", "0.0001"], "over the limit of 104"),
        ("[" * 100_000 + "]" * 100_000, [], "nested too deeply"),
        ('{"title": "Caf\xe9"}', [], "not UTF-8"),
    ],
)
def test_hostile_pyvideo_files_are_refused(db, tmp_path, video, args, reason):
    folder = pyvideo_folder(tmp_path, video)
    if reason == "not UTF-8":
        (folder / "videos" / "talk.json").write_bytes(video.encode("latin-1"))
    message = refused("import_pyvideo", folder, *args)
    assert reason in message


def test_pyvideo_dry_run_writes_nothing(db, tmp_path):
    folder = pyvideo_folder(tmp_path, '{"title": "Talk", "description": "Read **this**"}')
    out = io.StringIO()
    call_command("import_pyvideo", str(folder), "--dry-run", stdout=out)
    assert "Dry run: 1 talks read, 1 talks written. Nothing was written." in out.getvalue()
    assert rows() == [0, 0, 0]


@pytest.mark.parametrize(
    "text",
    [
        "- {model: talks.talk, fields: {slug: t, title: T}}\n",
        "- {model: talks.day, fields: {conference: 999, number: 1}}\n",
        CONFERENCE + "- {model: talks.day, fields: {conference: [tiny], number: .inf}}\n",
        "- {model: talks.conference, fields: {slug: x, name: X, created_at: 5}}\n",
    ],
)
def test_records_no_field_can_hold_are_messages_not_tracebacks(db, tmp_path, text):
    assert "record" in refused("load_catalog", write(tmp_path, "odd.yaml", text))


def test_a_number_of_thousands_of_digits_in_a_schedule_is_a_message(db, tmp_path):
    path = write(tmp_path, "digits.json", '{"schedule": {"version": ' + "9" * 100_000 + "}}")
    assert "cannot be read" in refused("import_schedule", path)


# --- files of millions of tiny values (the limit is lowered here to keep the files small) -------

VALUES = 1000


def test_a_yaml_flow_list_of_too_many_nodes_is_refused(db, tmp_path):
    path = write(tmp_path, "ints.yaml", "[" + ",".join(["1"] * VALUES) + "]")
    message = refused("load_catalog", path, "--max-values", str(VALUES))
    assert f"{path}: the file has more than 1,000 nodes, the limit (see --max-values)" in message


@pytest.mark.parametrize("command", ["import_schedule", "import_pyvideo"])
def test_json_of_too_many_empty_objects_is_refused_unparsed(db, tmp_path, command):
    objects = "[" + ",".join(["{}"] * VALUES) + "]"
    if command == "import_schedule":
        path = source = write(tmp_path, "objects.json", objects)
    else:
        source = pyvideo_folder(tmp_path, objects)
        path = source / "videos" / "talk.json"
    message = refused(command, source, "--max-values", str(VALUES))
    assert (
        f"{path}: the file has more than 1,000 values (counted as its brackets and commas), "
        "the limit (see --max-values)"
    ) in message


@pytest.mark.parametrize("markup", ["<a/>" * VALUES, '<a b="" c="" d="" e=""/>' * (VALUES // 5)])
def test_xml_of_too_many_elements_or_attributes_is_refused_unparsed(db, tmp_path, markup):
    path = write(tmp_path, "elements.xml", f"<schedule>{markup}</schedule>")
    message = refused("import_schedule", path, "--max-values", str(VALUES))
    assert (
        f"{path}: the file has more than 1,000 elements and attributes "
        "(counted as its tags and = signs), the limit (see --max-values)"
    ) in message


def test_a_file_within_the_value_limit_is_read(db, tmp_path):
    path = write(tmp_path, "ok.yaml", CONFERENCE)
    # 14 nodes: the list, the record, its two keys, the model, the fields and their four
    # keys and four values.
    call_command("load_catalog", str(path), "--max-values", "14", stdout=io.StringIO())
    assert Conference.objects.filter(slug="tiny").exists()
