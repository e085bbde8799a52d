"""One conference as catalog YAML: the format ``load_catalog`` reads (see ``catalog``).

Records come in dependency order (what a record refers to is written before it) and each
model's rows in natural-key order, so exporting the same data twice gives the same text.
Speakers and organizations are global: the export holds those the conference refers to.
"""

from django.core import serializers
from django.db.models import Q

from .models import (
    AnnouncementItem,
    AnnouncementLink,
    Organization,
    Speaker,
    SpeakerLink,
    TalkLink,
    TalkSpeaker,
)

HEADER = "# Catalog YAML written by `manage.py export_catalog {slug}`; load with load_catalog.\n"


def catalog_records(conference):
    speakers = (
        Speaker.objects.filter(
            Q(talk_roles__talk__conference=conference) | Q(announcements__conference=conference)
        )
        .distinct()
        .order_by("slug")
    )
    organizations = (
        Organization.objects.filter(
            Q(speakers__in=speakers) | Q(announcements__conference=conference)
        )
        .distinct()
        .order_by("slug")
    )
    announcements = conference.announcements.order_by("slug")
    return [
        *organizations,
        conference,
        *conference.links.order_by("url"),
        *conference.days.order_by("number"),
        *conference.tracks.order_by("slug"),
        *conference.rooms.order_by("name"),
        *speakers,
        *SpeakerLink.objects.filter(speaker__in=speakers).order_by("speaker__slug", "url"),
        *conference.talks.order_by("slug"),
        *TalkSpeaker.objects.filter(talk__conference=conference).order_by(
            "talk__slug", "position", "speaker__slug"
        ),
        *TalkLink.objects.filter(talk__conference=conference).order_by("talk__slug", "url"),
        *announcements,
        *AnnouncementLink.objects.filter(announcement__in=announcements).order_by(
            "announcement__slug", "url"
        ),
        *AnnouncementItem.objects.filter(announcement__in=announcements).order_by(
            "announcement__slug", "name"
        ),
    ]


def catalog_yaml(conference):
    body = serializers.serialize(
        "yaml",
        catalog_records(conference),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        allow_unicode=True,
        sort_keys=False,
    )
    return HEADER.format(slug=conference.slug) + body
