"""Every response carries the strict Content-Security-Policy, the Permissions-Policy and the
other security headers; a deployment can add hosts to the policy, never loosen it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from conference.security_headers import content_security_policy

CONF = "/conferences/dockercon-2017"

RESPONSES = {
    "home": ("/", 200),
    "conference": (f"{CONF}/", 200),
    "talk list": (f"{CONF}/talks/", 200),
    "talk list, bad filter": (f"{CONF}/talks/?day=9", 400),
    "talk": (f"{CONF}/talks/day-1-keynote/", 200),
    "schedule": (f"{CONF}/schedule/", 200),
    "announcements": (f"{CONF}/announcements/", 200),
    "announcement": (f"{CONF}/announcements/moby-project/", 200),
    "speakers": ("/speakers/", 200),
    "speaker": ("/speakers/ben-golub/", 200),
    "my schedule": ("/my-schedule/", 200),
    "sitemap": ("/sitemap.xml", 200),
    "feed": (f"{CONF}/talks/feed/", 200),
    "export json": (f"{CONF}/schedule.json", 200),
    "export xml": (f"{CONF}/schedule.xml", 200),
    "export ical": (f"{CONF}/schedule.ics", 200),
    "admin login": ("/admin/login/", 200),
    "api root": ("/api/v1/", 200),
    "api list": ("/api/v1/talks/", 200),
    "api 404": ("/api/v1/talks/nothing-here/", 404),
    "api schema": ("/api/schema/", 200),
    "api docs": ("/api/docs/", 200),
    "api docs script": ("/api/docs/?script=", 200),
    "page 404": ("/no-such-page/", 404),
    "static file": ("/static/talks/site.css", 200),
    # Answered by middleware of their own, below the ones that set the headers.
    "health check": ("/healthz", 200),
}

# What a browser asks for: the API answers with its browsable HTML pages.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8"
# DRF's browsable pages style elements inline (talks/api/renderers.py): only they allow it.
BROWSABLE_API = {"api root", "api list"}


def policy(response):
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


@pytest.fixture(autouse=True)
def production_pages(settings):
    """Error pages as production serves them, not Django's debug pages."""
    settings.DEBUG = False


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_carries_the_strict_policies(client, dockercon, name):
    url, status = RESPONSES[name]
    response = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == status
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    if name in BROWSABLE_API:
        assert response["Content-Type"].startswith("text/html")
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    else:
        assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in " ".join(directives["script-src"] + directives["default-src"])
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
    assert features["autoplay"] == '(self "https://www.youtube-nocookie.com")'
    # The headers the site had before stay.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_health_check_over_plain_http_by_address_carries_them_too(client, db, settings):
    """A load balancer's probe: production settings, plain HTTP, the backend's IP address."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["talks.example.org"]
    for response in (
        client.get("/healthz", HTTP_HOST="10.0.0.7"),
        client.post("/healthz", HTTP_HOST="10.0.0.7"),
    ):
        assert response.status_code in {200, 405}
        assert policy(response)["default-src"] == ["'self'"]
        assert response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Every other path still goes to HTTPS first.
    assert client.get("/healthz/", HTTP_HOST="talks.example.org").status_code == 301


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/talks/", "/api/v1/talks/nothing-here/"])
def test_api_json_answers_allow_no_inline_style(client, dockercon, url):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response["Content-Type"] == "application/json"
    assert policy(response)["style-src"] == ["'self'"]


def test_api_docs_have_no_inline_script_or_style(client):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert 'src="/api/docs/?script="' in page
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def test_structured_data_needs_no_nonce(client, dockercon):
    """JSON-LD is data, which CSP does not run: it stays a plain block the policy leaves alone."""
    page = client.get(f"{CONF}/talks/day-1-keynote/").content.decode()
    assert '<script type="application/ld+json">' in page
    assert "nonce" not in page
    assert "nonce" not in client.get(f"{CONF}/").headers["Content-Security-Policy"]


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_policy_too(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert policy(response)["script-src"] == ["'self'"]
    assert response["Permissions-Policy"]


def test_a_deployment_adds_hosts_to_the_policy():
    directives = content_security_policy(
        "img-src https://cdn.example.org; connect-src https://stats.example.org "
        "*.example.net; frame-src https://player.vimeo.com"
    )["DIRECTIVES"]
    assert directives["img-src"] == ["'self'", "data:", "https://cdn.example.org"]
    # A directive the base policy leaves to default-src keeps the site's own origin.
    assert directives["connect-src"] == ["'self'", "https://stats.example.org", "*.example.net"]
    assert directives["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert directives["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("script-src 'unsafe-inline'", "script-src: \"'unsafe-inline'\" is not a host"),
        ("script-src *", "script-src: '*' is not a host"),
        ("img-src https:", "img-src: 'https:' is not a host"),
        ("frame-ancestors https://example.org", "'frame-ancestors' cannot be extended"),
        ("img-src", "img-src names no host"),
    ],
)
def test_a_deployment_cannot_loosen_the_policy(extra, message):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CSP_EXTRA_SOURCES") as refused:
        content_security_policy(extra)
    assert message in str(refused.value)
