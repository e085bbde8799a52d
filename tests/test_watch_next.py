"""What to watch next (issue 18, point 6): a talk page suggests up to six talks, the same
speakers' first, then those sharing its topics, then the closest by text; never cancelled or
unpublished ones; bounded queries; a related talk's edit shows at once."""

import re

import pytest

from talks.models import TalkStatus, TalkTopic, Topic
from talks.related import related_talk_rows
from tests.builders import make_conference, make_speaker, make_talk


def suggested(client, talk):
    page = client.get(talk.get_absolute_url()).content.decode()
    section = re.search(r'<section class="watch-next".*?</section>', page, re.S)
    if section is None:
        return []
    return re.findall(r'class="talk-title"><a href="[^"]*">([^<]*)</a>', section.group(0))


@pytest.fixture
def catalog(db):
    conference = make_conference()
    grace = make_speaker("Grace Hopper")
    compilers = Topic.objects.create(name="Compilers", slug="compilers")
    talk = make_talk(conference, title="Compiling COBOL programs", speakers=[grace])
    TalkTopic.objects.create(talk=talk, topic=compilers)
    make_talk(conference, title="Nanoseconds explained", speakers=[grace])
    make_talk(conference, title="A cancelled one", speakers=[grace], status=TalkStatus.CANCELLED)
    hidden = make_talk(conference, title="A hidden one", speakers=[grace])
    hidden.published = False
    hidden.save()
    on_topic = make_talk(conference, title="Register allocation")
    TalkTopic.objects.create(talk=on_topic, topic=compilers)
    make_talk(conference, title="Modern COBOL programs in banks")
    make_talk(conference, title="Gardening for beginners")
    return talk


def test_a_talk_page_suggests_speakers_then_topics_then_text(client, catalog):
    assert suggested(client, catalog) == [
        "Nanoseconds explained",
        "Register allocation",
        "Modern COBOL programs in banks",
    ]


def test_at_most_six_and_never_itself(db):
    conference = make_conference()
    speaker = make_speaker("Busy Speaker")
    talks = [make_talk(conference, speakers=[speaker]) for _ in range(9)]

    rows = related_talk_rows(talks[0])

    assert len(rows) == 6
    assert talks[0].pk not in [talk_id for talk_id, _ in rows]


def test_a_related_talks_new_title_shows_at_once(client, catalog):
    assert "Nanoseconds explained" in suggested(client, catalog)  # the page is stored
    other = catalog.conference.talks.get(title="Nanoseconds explained")
    other.title = "Nanoseconds, explained again"
    other.save()

    assert "Nanoseconds, explained again" in suggested(client, catalog)


def test_a_talk_with_nothing_related_shows_no_section(client, db):
    lonely = make_talk(make_conference(), title="Xylophones")
    assert "watch-next" not in client.get(lonely.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_suggestions_cost_the_same_queries_whatever_the_catalog(
    client, db, django_assert_max_num_queries, size
):
    conference = make_conference()
    speaker = make_speaker("Prolific Speaker")
    topic = Topic.objects.create(name="Parsing", slug="parsing")
    talks = [
        make_talk(conference, title=f"Parsing trick {n}", speakers=[speaker]) for n in range(size)
    ]
    for talk in talks:
        TalkTopic.objects.create(talk=talk, topic=topic)
    # The page (about ten), and at most four searches of five queries when the speakers and
    # topics leave places: bounded, and run only when the talk's page is built again.
    with django_assert_max_num_queries(32):
        assert client.get(talks[0].get_absolute_url()).status_code == 200


def test_an_edit_elsewhere_leaves_the_page_stored(client, catalog, django_assert_max_num_queries):
    suggested(client, catalog)  # stored
    make_talk(make_conference(), title="Unrelated elsewhere")

    with django_assert_max_num_queries(1):  # the marks: the stored page is still current
        client.get(catalog.get_absolute_url())
