"""The Content-Security-Policy and Permissions-Policy sent with every response.

Pages, admin, API docs and exports load scripts and stylesheets from the site itself only, so
neither inline script nor inline style is allowed anywhere (docs/decisions.md says why each
directive is what it is). The one outside host is the video player, framed after a click.
"""

import re

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from talks.video import EMBED_ORIGIN

CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "frame-src": [EMBED_ORIGIN],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

# Directives a deployment may add hosts to (DJANGO_CSP_EXTRA_SOURCES). A host source only:
# keywords such as 'unsafe-inline', bare schemes and "*" would undo the policy.
EXTENSIBLE_DIRECTIVES = {
    "connect-src",
    "font-src",
    "frame-src",
    "img-src",
    "media-src",
    "script-src",
    "style-src",
}
_HOST_SOURCE = re.compile(
    r"^(https?://)?(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+(:(\d{1,5}|\*))?(/[^\s;,']*)?$", re.IGNORECASE
)


def extra_sources(value):
    """Hosts to add per directive, from "img-src https://cdn.example.org; frame-src ..."."""
    extra = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        directive, *sources = part.split()
        if directive not in EXTENSIBLE_DIRECTIVES:
            raise ImproperlyConfigured(
                f"DJANGO_CSP_EXTRA_SOURCES: {directive!r} cannot be extended; "
                f"use one of {', '.join(sorted(EXTENSIBLE_DIRECTIVES))}"
            )
        if not sources:
            raise ImproperlyConfigured(f"DJANGO_CSP_EXTRA_SOURCES: {directive} names no host")
        for source in sources:
            if not _HOST_SOURCE.match(source):
                raise ImproperlyConfigured(
                    f"DJANGO_CSP_EXTRA_SOURCES: {directive}: {source!r} is not a host "
                    "(e.g. https://cdn.example.org)"
                )
        extra.setdefault(directive, []).extend(sources)
    return extra


def content_security_policy(extra=""):
    """django-csp's CONTENT_SECURITY_POLICY, with a deployment's extra hosts added."""
    directives = {name: list(sources) for name, sources in CSP_DIRECTIVES.items()}
    for directive, sources in extra_sources(extra).items():
        # A directive the base policy leaves out falls back to default-src: keep its 'self'.
        directives[directive] = [*directives.get(directive, [SELF]), *sources]
    return {"DIRECTIVES": directives}


# Features the site never uses are off for it and for any frame. The embedded player keeps the
# ones its iframe asks for (talks/static/talks/site.js): a feature the header limits to "self"
# could not be delegated to the player's origin.
_UNUSED_FEATURES = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
_PLAYER_FEATURES = ["autoplay", "encrypted-media", "fullscreen", "picture-in-picture"]

PERMISSIONS_POLICY = {
    **{feature: [] for feature in _UNUSED_FEATURES},
    **{feature: ["self", EMBED_ORIGIN] for feature in _PLAYER_FEATURES},
}
