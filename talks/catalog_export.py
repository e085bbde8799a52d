"""Catalog YAML out: one conference, or the whole catalog (a backup), in the format
``load_catalog`` reads (see ``catalog``).

Records come in dependency order (what a record refers to is written before it) and each
model's rows in natural-key order, so exporting the same data twice gives the same text.
Speakers, organizations and topics are global: a conference's export holds those it refers to; the
whole catalog's holds them all, speakers without talks included.
"""

from django.core import serializers
from django.db.models import Q

from .models import (
    Announcement,
    AnnouncementItem,
    AnnouncementLink,
    Conference,
    ConferenceLink,
    ConferenceSource,
    Day,
    Organization,
    Room,
    ScheduleSource,
    Speaker,
    SpeakerAlias,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    TalkTopic,
    Topic,
    TopicAlias,
    Track,
)

HEADER = "# Catalog YAML written by `manage.py export_catalog {what}`; load with load_catalog.\n"


# Each model's rows below a conference, in the order of their natural key.
NATURAL_ORDER = {
    ConferenceLink: ["url"],
    ConferenceSource: ["title"],
    ScheduleSource: ["location"],
    Day: ["number"],
    Track: ["slug"],
    Room: ["name"],
    Talk: ["slug"],
    TalkSpeaker: ["talk__slug", "position", "speaker__slug"],
    TalkLink: ["talk__slug", "url"],
    TalkTopic: ["talk__slug", "topic__slug"],
    Announcement: ["slug"],
    AnnouncementLink: ["announcement__slug", "url"],
    AnnouncementItem: ["announcement__slug", "name"],
}


def conference_records(conference):
    speakers = Speaker.objects.filter(
        Q(talk_roles__talk__conference=conference) | Q(announcements__conference=conference)
    ).distinct()
    organizations = Organization.objects.filter(
        Q(speakers__in=speakers) | Q(announcements__conference=conference)
    ).distinct()
    topics = Topic.objects.filter(topic_talks__talk__conference=conference).distinct()
    return _records(Conference.objects.filter(pk=conference.pk), speakers, organizations, topics)


def all_records():
    return _records(
        Conference.objects.all(),
        Speaker.objects.all(),
        Organization.objects.all(),
        Topic.objects.all(),
    )


def _records(conferences, speakers, organizations, topics):
    def below(model, parent=""):
        """``model``'s rows under ``conferences`` (through ``parent``), in natural-key order."""
        prefix = f"{parent}__" if parent else ""
        order = [f"{prefix}conference__slug", *NATURAL_ORDER[model]]
        return model._default_manager.filter(**{f"{prefix}conference__in": conferences}).order_by(
            *order
        )

    return [
        *organizations.order_by("slug"),
        *conferences.order_by("slug"),
        *below(ConferenceLink),
        *below(ConferenceSource),
        *below(ScheduleSource),
        *below(Day),
        *below(Track),
        *below(Room),
        *speakers.order_by("slug"),
        *SpeakerLink.objects.filter(speaker__in=speakers).order_by("speaker__slug", "url"),
        *SpeakerAlias.objects.filter(speaker__in=speakers).order_by("speaker__slug", "name_key"),
        *below(Talk),
        *below(TalkSpeaker, "talk"),
        *below(TalkLink, "talk"),
        *topics.order_by("slug"),
        *TopicAlias.objects.filter(topic__in=topics).order_by("key"),
        *below(TalkTopic, "talk"),
        *below(Announcement),
        *below(AnnouncementLink, "announcement"),
        *below(AnnouncementItem, "announcement"),
    ]


def catalog_yaml(records, what):
    body = serializers.serialize(
        "yaml",
        records,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        allow_unicode=True,
        sort_keys=False,
    )
    return HEADER.format(what=what) + body
