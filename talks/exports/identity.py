"""Identities the exports share: the frab acronym, a talk's event guid and absolute links."""

import re
import uuid

from django.urls import reverse

from ..url_patterns import UrlPattern

# Talks imported with a UUID guid keep it. The others get a stable UUIDv5: from their source
# identity (a non-UUID guid or an event id) when they were imported, else from their slugs, so
# calendar UIDs and schedule guids survive re-exports (but not a conference slug change).
TALK_GUID_NAMESPACE = uuid.UUID("3b7e3f0e-8f5e-4c55-9c4b-0d6f1a2c7d41")

ACRONYM_MIN_LENGTH = 4


def conference_acronym(conference):
    """The slug without anything the c3voc acronym patterns refuse: ``dockercon-2017`` becomes
    ``dockercon2017``, ``djangocon-eu-2021`` becomes ``djangoconeu2021``. A result shorter than
    the schemas' four characters is padded with underscores."""
    acronym = re.sub(r"[^a-z0-9_]", "", conference.slug.lower())
    return acronym.ljust(ACRONYM_MIN_LENGTH, "_")


def talk_guid(talk):
    """A UUID for the talk: its source guid when that is one, else derived (see above)."""
    if talk.guid:
        try:
            return uuid.UUID(talk.guid)
        except ValueError:
            return uuid.uuid5(TALK_GUID_NAMESPACE, f"{talk.conference.slug}/source/{talk.guid}")
    return uuid.uuid5(TALK_GUID_NAMESPACE, f"{talk.conference.slug}/{talk.slug}")


def absolute(base_url, path):
    return f"{base_url.rstrip('/')}{path}"


def talk_pages(conference, base_url):
    """The absolute URLs of the talk pages of ``conference``: ``.fill(slug)`` gives one,
    reversed once per export rather than once per talk."""
    return UrlPattern(
        lambda slug: absolute(base_url, reverse("talks:talk-detail", args=[conference.slug, slug]))
    )
