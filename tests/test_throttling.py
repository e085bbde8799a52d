"""API rate limits: anonymous clients per address, authenticated ones per user, JSON 429s."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from access.models import ApiToken, TokenScope
from conference.settings import env_throttle_rate

URL = "/api/v1/conferences/"
ANON_RATE = 3
USER_RATE = 5


@pytest.fixture
def rates(db, settings):
    """Small rates, so that a test reaches them in a few requests."""

    def set_rates(anon=f"{ANON_RATE}/minute", user=f"{USER_RATE}/minute"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    set_rates()
    return set_rates


def token_client(scope=TokenScope.READ, username="reader"):
    user = User.objects.create_user(username)
    _, key = ApiToken.objects.issue(user, scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_request_past_the_anonymous_rate_is_a_json_429(rates, client):
    for _ in range(ANON_RATE):
        assert client.get(URL).status_code == 200
    assert_throttled(client.get(URL))


def test_answers_from_a_cache_count_too(rates, client):
    # A 304 to If-None-Match, like a stored response, is still a request the throttle sees.
    etag = client.get(URL)["ETag"]
    for _ in range(ANON_RATE - 1):
        assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert_throttled(client.get(URL, HTTP_IF_NONE_MATCH=etag))


def test_each_client_address_has_its_own_allowance(rates):
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(ANON_RATE):
        first.get(URL)
    assert first.get(URL).status_code == 429
    assert second.get(URL).status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(rates, client):
    for number in range(ANON_RATE):
        client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_proxy_the_address_it_appends_is_the_client(rates, settings):
    settings.CATALOG_NUM_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(ANON_RATE):
        proxy.get(URL, HTTP_X_FORWARDED_FOR="forged, 192.0.2.1")
    assert proxy.get(URL, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert proxy.get(URL, HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.2").status_code == 200


def test_an_authenticated_client_has_its_own_rate(rates, client):
    for _ in range(ANON_RATE):
        client.get(URL)
    assert client.get(URL).status_code == 429

    reader = token_client()  # from the same address
    for _ in range(USER_RATE):
        assert reader.get(URL).status_code == 200
    assert_throttled(reader.get(URL))


def test_off_disables_a_rate(rates, client):
    rates(anon=None)
    for _ in range(ANON_RATE * 3):
        assert client.get(URL).status_code == 200
    reader = token_client()
    for _ in range(USER_RATE):
        reader.get(URL)
    assert reader.get(URL).status_code == 429


@pytest.mark.parametrize(
    ("value", "rate"),
    [("", "60/minute"), ("off", None), ("OFF", None), ("100/hour", "100/hour"), ("2/s", "2/s")],
)
def test_rates_come_from_the_environment(monkeypatch, value, rate):
    monkeypatch.setenv("DJANGO_THROTTLE_ANON", value)
    assert env_throttle_rate("DJANGO_THROTTLE_ANON", "60/minute") == rate


@pytest.mark.parametrize("value", ["60", "60/fortnight", "sixty/minute", "60/minute/2"])
def test_a_malformed_rate_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("DJANGO_THROTTLE_USER", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_THROTTLE_USER"):
        env_throttle_rate("DJANGO_THROTTLE_USER", "600/minute")
