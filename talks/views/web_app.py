"""The web app manifest: the catalog's name, icon and colours for "Add to home screen"."""

from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse

from ..caching import public_export

SITE_NAME = "Conference Talks Catalog"


@public_export
def manifest(request):
    data = {
        "name": SITE_NAME,
        "short_name": "Talks",
        "description": "An open catalog of conference talks, speakers and announcements.",
        "start_url": reverse("talks:home"),
        "scope": reverse("talks:home"),
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [{"src": static("talks/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")
