"""Identities the exports share: the frab acronym, a talk's event guid and absolute links."""

import re
import uuid

# Talks imported from a frab schedule keep its event guid; every other talk gets this stable
# derivation, so its calendar UID and schedule guid survive re-exports (but not a slug change).
TALK_GUID_NAMESPACE = uuid.UUID("3b7e3f0e-8f5e-4c55-9c4b-0d6f1a2c7d41")

ACRONYM_MIN_LENGTH = 4


def conference_acronym(conference):
    """The slug without anything the c3voc acronym patterns refuse: ``dockercon-2017`` becomes
    ``dockercon2017``, ``djangocon-eu-2021`` becomes ``djangoconeu2021``. A result shorter than
    the schemas' four characters is padded with underscores."""
    acronym = re.sub(r"[^a-z0-9_]", "", conference.slug.lower())
    return acronym.ljust(ACRONYM_MIN_LENGTH, "_")


def talk_guid(talk):
    """The talk's own guid, or one derived from its conference and talk slugs."""
    if talk.guid:
        return talk.guid
    return uuid.uuid5(TALK_GUID_NAMESPACE, f"{talk.conference.slug}/{talk.slug}")


def absolute(base_url, path):
    return f"{base_url.rstrip('/')}{path}"
