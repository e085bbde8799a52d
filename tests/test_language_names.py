"""Languages by name (issue 18, point 5): whatever code a source used (ISO 639-1, 639-3, a
bibliographic 639-2 code, a tag with a region, a name), pages and the API say the name, and
the talk list and the API filter by language."""

import pytest

from talks.languages import language_code, language_names
from talks.models import Talk
from tests.builders import make_conference, make_talk
from tests.shared_files import shared_path
from tests.test_import_pyvideo import run_import


@pytest.mark.parametrize(
    ("written", "names", "code"),
    [
        ("eng", "English", "eng"),
        ("en", "English", "eng"),
        ("en-US", "English", "eng"),
        ("English", "English", "eng"),
        ("spa", "Spanish", "spa"),
        ("ger", "German", "deu"),
        ("de, en", "German, English", "deu"),
        ("Klingonish", "Klingonish", ""),
        ("", "", ""),
    ],
)
def test_a_language_reads_as_its_name_whatever_its_code(written, names, code):
    assert (language_names(written), language_code(written)) == (names, code)


def test_pyvideo_languages_show_by_name(client, db):
    run_import(shared_path("samples", "pyvideo", "pycon-italia-2018"))
    talk = Talk.objects.filter(language="ita").first() or Talk.objects.exclude(language="").first()

    page = client.get(talk.get_absolute_url()).content.decode()

    assert f"<dt>Language</dt><dd>{language_names(talk.language)}</dd>" in page
    assert f"<dd>{talk.language}</dd>" not in page
    assert client.get(f"/api/v1/talks/{talk.pk}/").json()["language_name"] in ("Italian", "English")


@pytest.fixture
def polyglot(db):
    conference = make_conference(slug="poly")
    make_talk(conference, title="In English", language="en")
    make_talk(conference, title="Also English", language="eng")
    make_talk(conference, title="En español", language="Spanish")
    return conference


@pytest.mark.parametrize("asked", ["en", "eng", "English"])
def test_the_talk_list_and_the_api_filter_by_language(client, polyglot, asked):
    page = client.get(f"/conferences/poly/talks/?language={asked}").content.decode()
    assert "In English" in page
    assert "Also English" in page
    assert "En español" not in page
    api = client.get(f"/api/v1/talks/?conference=poly&language={asked}").json()
    assert sorted(talk["title"] for talk in api["results"]) == ["Also English", "In English"]


def test_the_talk_list_offers_its_languages_by_name(client, polyglot):
    page = client.get("/conferences/poly/talks/").content.decode()
    assert '<option value="eng">English</option>' in page
    assert '<option value="spa">Spanish</option>' in page


def test_an_unknown_language_is_a_400_naming_it(client, polyglot):
    response = client.get("/api/v1/talks/?language=klingonish")
    assert response.status_code == 400
    assert "language" in response.json()
    page = client.get("/conferences/poly/talks/?language=klingonish")
    assert page.status_code == 400
    assert "No language “klingonish” is known." in page.content.decode()


def test_search_filters_by_language_and_offers_the_catalogs(client, polyglot):
    page = client.get("/search/?q=english&language=en").content.decode()
    assert '<option value="en" selected>English</option>' in page
    assert '<option value="spa">Spanish</option>' in page
    hits = client.get("/api/v1/search/?q=english&language=English").json()["results"]
    assert sorted(hit["title"] for hit in hits) == ["Also English", "In English"]
    assert not client.get("/api/v1/search/?q=english&language=spa").json()["results"]
    assert client.get("/api/v1/search/?q=english&language=klingonish").status_code == 400
