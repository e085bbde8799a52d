"""Topics across conferences (issue 18, point 4): pyvideo's tags folded into topics, a page
per topic gathering its talks from every conference, a ``topic`` filter on the talk list,
search and API, topics on talk pages and in JSON-LD, and merging in the admin."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command

from talks.models import Conference, Talk, TalkTopic, Topic, TopicAlias, merge_topics, topic_key
from tests.builders import make_conference, make_talk, make_track
from tests.shared_files import shared_path
from tests.test_import_pyvideo import a_video, run_import, write_event_folder


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (
            ["lightning talks", "Lightning-Talk", "lightning_talks", " LIGHTNING  TALKS "],
            "lightning talk",
        ),
        (["#Python", "python", "Python"], "python"),
        (["data-analysis", "Data Analysis"], "data analysis"),
        (["libraries", "Library"], "library"),
        (["aws"], "aws"),
        (["class"], "class"),
        (["status"], "status"),
        (["---"], ""),
    ],
)
def test_spellings_of_a_topic_share_its_key(spellings, key):
    assert {topic_key(spelling) for spelling in spellings} == {key}


def test_the_sample_tags_become_topics_and_import_again_unchanged(db):
    folder = shared_path("samples", "pyvideo", "djangocon-eu-2021")

    run_import(folder)
    again = run_import(folder)

    django = Topic.objects.get(slug="django")
    assert django.talks.count() == 39  # every talk of the folder carries it
    assert "talk: 0 created, 0 updated, 39 unchanged" in again
    assert f"topic: 0 created, 0 updated, {Topic.objects.count()} unchanged" in again


def test_spellings_across_conferences_are_one_topic(db, tmp_path):
    run_import(write_event_folder(tmp_path, "con-a", {"a-1": a_video(tags=["Lightning Talks"])}))
    run_import(
        write_event_folder(
            tmp_path,
            "con-b",
            {"b-1": a_video(recorded="2022-05-01", tags=["lightning-talk", "#Web"])},
        )
    )

    assert sorted(Topic.objects.values_list("slug", "name")) == [
        ("lightning-talk", "Lightning Talks"),
        ("web", "Web"),
    ]
    assert Topic.objects.get(slug="lightning-talk").talks.count() == 2


def test_a_reimport_follows_the_tags(db, tmp_path):
    folder = write_event_folder(tmp_path, "con-a", {"a-1": a_video(tags=["Django", "ORM"])})
    run_import(folder)
    (folder / "videos" / "a-1.json").write_text(json.dumps(a_video(tags=["Django"])))

    output = run_import(folder)

    assert list(Talk.objects.get().topics.values_list("slug", flat=True)) == ["django"]
    assert "talk: 0 created, 1 updated" in output


@pytest.fixture
def two_conferences(db):
    """Talks on "Testing" at an older and a newer conference, and one on another subject."""
    old = make_conference(
        slug="old", name="Old Con", start_date=datetime.date(2015, 5, 1), end_date=None
    )
    new = make_conference(
        slug="new", name="New Con", start_date=datetime.date(2023, 5, 1), end_date=None
    )
    testing = Topic.objects.create(name="Testing", slug="testing")
    other = Topic.objects.create(name="Packaging", slug="packaging")
    for conference, title in ((old, "Old tests"), (new, "New tests"), (new, "Hidden tests")):
        talk = make_talk(conference, title=title)
        TalkTopic.objects.create(talk=talk, topic=testing)
    TalkTopic.objects.create(talk=make_talk(new, title="Wheels"), topic=other)
    Talk.objects.filter(title="Hidden tests").update(published=False)
    return testing


def titles(page):
    return re.findall(r'class="talk-title"><a href="[^"]*">([^<]*)</a>', page)


def test_the_topic_list_counts_published_talks(client, two_conferences):
    page = client.get("/topics/").content.decode()

    assert '<a href="/topics/testing/">Testing</a> <span class="muted">(2 talks)</span>' in page
    assert '<a href="/topics/packaging/">Packaging</a>' in page
    assert '<a href="/topics/">Topics</a>' in page  # the header links it


def test_a_topic_page_gathers_its_talks_across_conferences_newest_first(client, two_conferences):
    page = client.get("/topics/testing/").content.decode()

    assert titles(page) == ["New tests", "Old tests"]
    assert page.index("New Con") < page.index("Old Con")
    filtered = client.get("/topics/testing/?conference=old").content.decode()
    assert titles(filtered) == ["Old tests"]
    refused = client.get("/topics/testing/?conference=nope")
    assert refused.status_code == 400
    assert "No conference with slug “nope”" in refused.content.decode()


def test_the_talk_list_and_the_api_filter_by_topic(client, two_conferences):
    page = client.get("/conferences/new/talks/?topic=testing").content.decode()
    assert titles(page) == ["New tests"]
    assert '<option value="testing" selected>Testing</option>' in page

    api = client.get("/api/v1/talks/?topic=packaging").json()
    assert [talk["title"] for talk in api["results"]] == ["Wheels"]
    assert api["results"][0]["topics"][0]["slug"] == "packaging"
    refused = client.get("/api/v1/talks/?topic=nope")
    assert refused.status_code == 400
    assert "topic" in refused.json()


def test_the_api_lists_topics_with_counts(client, two_conferences):
    topics = client.get("/api/v1/topics/").json()["results"]
    assert [(t["slug"], t["talk_count"]) for t in topics] == [("testing", 2), ("packaging", 1)]
    assert topics[0]["talks_url"].endswith("/api/v1/talks/?topic=testing")


def test_a_talk_page_links_its_topics_and_gives_them_as_keywords(client, two_conferences):
    talk = Talk.objects.get(title="Old tests")
    page = client.get(talk.get_absolute_url()).content.decode()

    assert '<a href="/topics/testing/" rel="tag">Testing</a>' in page
    [structured] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(structured)["keywords"] == "Testing"


def test_the_admin_merges_topics_and_the_old_address_redirects(
    admin_client, client, two_conferences
):
    packaging = Topic.objects.get(slug="packaging")
    response = admin_client.post(
        "/admin/talks/topic/",
        {"action": "merge_selected_topics", "_selected_action": [two_conferences.pk, packaging.pk]},
    )

    assert response.status_code == 302
    assert list(Topic.objects.values_list("slug", flat=True)) == ["testing"]
    assert two_conferences.talks.count() == 4
    moved = client.get("/topics/packaging/?page=1")
    assert moved.status_code == 301
    assert moved["Location"] == "/topics/testing/?page=1"


def test_an_import_does_not_split_a_merged_topic(db, tmp_path):
    folder = write_event_folder(
        tmp_path, "con-a", {"a-1": a_video(tags=["ML", "Machine Learning"])}
    )
    run_import(folder)
    machine_learning = Topic.objects.get(slug="machine-learning")
    Topic.objects.get(slug="ml")
    merge_topics(machine_learning, [Topic.objects.get(slug="ml")])
    (folder / "videos" / "a-2.json").write_text(json.dumps(a_video(title="More", tags=["ml"])))

    run_import(folder)

    assert list(Topic.objects.values_list("slug", flat=True)) == ["machine-learning"]
    assert TopicAlias.objects.get().slug == "ml"
    assert Talk.objects.get(title="More").topics.get() == machine_learning


def test_an_editor_cannot_give_a_topic_another_topics_name(admin_client, two_conferences):
    packaging = Topic.objects.get(slug="packaging")
    response = admin_client.post(
        f"/admin/talks/topic/{packaging.pk}/change/",
        {
            "name": "testing",
            "slug": "packaging",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "loaded_version": packaging.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "“Testing” is this topic already: merge the two instead." in response.content.decode()


@pytest.mark.parametrize("size", [5, 60])
def test_topic_pages_do_not_grow_in_queries_with_their_talks(
    client, db, django_assert_max_num_queries, size
):
    topic = Topic.objects.create(name="Scale", slug="scale")
    conferences = [make_conference() for _ in range(size // 10 + 1)]
    for n in range(size):
        TalkTopic.objects.create(talk=make_talk(conferences[n // 10]), topic=topic)
    with django_assert_max_num_queries(12):
        assert client.get("/topics/scale/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/topics/").status_code == 200


def test_backups_keep_topics_and_merged_spellings(two_conferences, tmp_path):
    merged = Topic.objects.create(name="Tests", slug="tests-old")
    TopicAlias.objects.create(topic=two_conferences, key="unit test", slug="unit-tests")
    backup = tmp_path / "backup.yaml"
    call_command("export_catalog", "--all", "-o", str(backup), stderr=io.StringIO())
    Topic.objects.all().delete()

    call_command("load_catalog", str(backup), stdout=io.StringIO())

    assert sorted(Topic.objects.values_list("slug", flat=True)) == [
        "packaging",
        "testing",
        merged.slug,
    ]
    assert TopicAlias.objects.get().topic.slug == "testing"
    assert Topic.objects.get(slug="testing").talks.count() == 3


def test_search_filters_by_topic_and_offers_choices(client, two_conferences):
    page = client.get("/search/?q=tests&topic=testing").content.decode()
    assert "Old tests" in re.sub(r"</?mark>", "", page)
    assert '<option value="testing" selected>Testing</option>' in page
    assert "Wheels" not in client.get("/search/?q=wheels&topic=testing").content.decode()
    refused = client.get("/search/?q=tests&topic=nope")
    assert refused.status_code == 400

    # The tracks are those of the conference chosen; without one, the field says so.
    assert "Choose a conference first" in page
    make_track(Conference.objects.get(slug="old"), slug="main", name="Main stage")
    chosen = client.get("/search/?q=tests&conference=old").content.decode()
    assert '<option value="main">Main stage</option>' in chosen
    api = client.get("/api/v1/search/?q=tests&topic=testing").json()
    assert sorted(hit["title"] for hit in api["results"]) == ["New tests", "Old tests"]


def test_a_topic_record_in_the_api(client, two_conferences):
    topic = client.get("/api/v1/topics/testing/")
    assert topic.status_code == 200
    assert topic.json()["talk_count"] == 2


def test_a_topic_of_unpublished_talks_alone_is_nowhere(client, two_conferences):
    secret = Topic.objects.create(name="Secret project", slug="secret-project")
    TalkTopic.objects.create(talk=Talk.everything.get(title="Hidden tests"), topic=secret)

    assert client.get("/topics/secret-project/").status_code == 404
    assert client.get("/api/v1/topics/secret-project/").status_code == 404
    assert "secret-project" not in client.get("/api/v1/topics/").content.decode()
    assert "Secret project" not in client.get("/topics/").content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/topics/?q=a%00b",
        "/search/?q=tests&conference=a%00b",
        "/search/?q=tests&topic=a%00b",
        "/search/?q=tests&language=a%00b",
    ],
)
def test_a_nul_in_the_address_is_no_500(client, two_conferences, address):
    assert client.get(address).status_code in (200, 400)
