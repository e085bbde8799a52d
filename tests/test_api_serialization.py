"""API lists build a fixed number of serializers per response, and fill their links in from
one reversed URL; what they send is what reverse() and get_absolute_url() give."""

from unittest import mock

import pytest
from django.urls import reverse
from rest_framework.serializers import BaseSerializer

from talks.models import Announcement, Organization, Talk
from talks.url_patterns import PLACEHOLDER, UrlPattern
from tests.builders import make_catalog

API = "/api/v1"


@pytest.fixture
def catalog(db):
    """60 talks with two speakers each, all in an organization, and announcements."""
    conference = make_catalog(60)
    organization = Organization.objects.create(slug="acme", name="Acme")
    for talk in Talk.objects.filter(conference=conference)[:30]:
        talk.speakers.update(organization=organization)
        announcement = Announcement.objects.create(
            conference=conference, slug=f"news-{talk.pk}", title="News", talk=talk
        )
        announcement.presenters.set(talk.speakers.all())
    return conference


def serializers_built(client, path, page_size):
    original = BaseSerializer.__init__
    with mock.patch.object(BaseSerializer, "__init__", autospec=True, side_effect=original) as init:
        response = client.get(f"{API}/{path}/", {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return init.call_count


@pytest.mark.parametrize(
    ("path", "few", "many"),
    [("talks", 5, 50), ("keynotes", 5, 50), ("speakers", 5, 50), ("announcements", 3, 30)],
)
def test_serializers_per_list_do_not_grow_with_rows(client, catalog, path, few, many):
    Talk.objects.update(kind="keynote")  # every talk listed under keynotes too
    client.get(f"{API}/")  # the API's modules load, declaring their serializers once
    assert serializers_built(client, path, few) == serializers_built(client, path, many)


def test_a_talk_list_builds_each_serializer_once(client, catalog):
    client.get(f"{API}/")
    # The list and its talk, one summary each for conference, day, track, speaker and a
    # speaker's organization, and the topics' list and summary.
    assert serializers_built(client, "talks", 50) == 9


@pytest.mark.parametrize(
    ("path", "suffix", "query"),
    [("talks/", "/", {}), ("talks/", "/", {"format": "json"}), ("talks.json", ".json", {})],
)
def test_filled_links_are_the_reversed_ones(client, catalog, path, suffix, query):
    talks = client.get(f"{API}/{path}", {"page_size": 50, **query}).json()["results"]
    extra = "?format=json" if query else ""
    for shown in talks:
        talk = Talk.objects.get(pk=shown["id"])
        assert shown["url"] == f"http://testserver/api/v1/talks/{talk.pk}{suffix}{extra}"
        assert shown["html_url"] == f"http://testserver{talk.get_absolute_url()}"
        conference = reverse("api:conference-detail", args=[talk.conference.slug])
        assert shown["conference"]["url"].startswith(f"http://testserver{conference[:-1]}")
        for speaker in shown["speakers"]:
            path = reverse("api:speaker-detail", args=[speaker["slug"]])[:-1]
            assert speaker["url"] == f"http://testserver{path}{suffix}{extra}"


def test_a_key_a_url_would_encode_is_reversed():
    calls = []

    def build(key):
        calls.append(key)
        return f"/speakers/{key}/"

    pattern = UrlPattern(build)
    assert pattern.fill("ada") == "/speakers/ada/"
    assert pattern.fill("née") == "/speakers/née/"
    assert calls == [PLACEHOLDER, "née"]


def test_a_url_holding_the_placeholder_elsewhere_is_always_reversed():
    pattern = UrlPattern(lambda key: f"http://{PLACEHOLDER}.example/{key}/")
    assert not pattern.usable
    assert pattern.fill("ada") == f"http://{PLACEHOLDER}.example/ada/"
