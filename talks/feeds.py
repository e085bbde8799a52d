"""Atom feeds: announcements (all, and per conference), talks per conference (with the talk
filters, e.g. ``?track=black-belt``) and talks per speaker.

Entries carry a date only where the catalog knows one: a talk's start, or for an announcement
the start of the talk it was made in. An entry without a known time has no <published> date,
and its required <updated> is the Unix epoch, which says "unknown", rather than an invented
date.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .exports.identity import talk_guid
from .exports.selection import InvalidFilters, requested_talks
from .models import Announcement, Conference, Speaker, Talk
from .text import as_plain_text

# The catalog-wide announcements feed shows the newest ones; per-conference feeds show all.
LATEST_ANNOUNCEMENTS = 100


@dataclass
class TalkSelection:
    title: str
    link: str
    talks: QuerySet


class UndatedAwareAtomFeed(Atom1Feed):
    """Atom needs a feed-level <updated>. Django falls back to the current time when no entry
    has a date, which would claim a change on every request and defeat ETag revalidation; the
    Unix epoch says "unknown" instead, and stays stable."""

    UNKNOWN = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    def latest_post_date(self):
        if any(item["pubdate"] or item["updateddate"] for item in self.items):
            return super().latest_post_date()
        return self.UNKNOWN


class PlainTextSummaryAtomFeed(UndatedAwareAtomFeed):
    """Entry summaries are plain text (``type="text"``). Django declares every summary HTML,
    which would make readers parse a "<" in an abstract as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CatalogFeed(Feed):
    feed_type = PlainTextSummaryAtomFeed

    def item_updateddate(self, item):
        # Atom requires <updated> in every entry; the catalog keeps no edit times, so it is the
        # entry's date where known and the "unknown" epoch otherwise, never the current time.
        return self._get_dynamic_attr("item_pubdate", item) or UndatedAwareAtomFeed.UNKNOWN

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as exc:
            return exc.response()


class AnnouncementsFeed(CatalogFeed):
    title = "Announcements"
    subtitle = "Announcements made at the conferences of the catalog."

    def link(self):
        return reverse("talks:home")

    def items(self):
        return Announcement.objects.for_listing().order_by(
            F("conference__start_date").desc(nulls_last=True), "position", "title"
        )[:LATEST_ANNOUNCEMENTS]

    def item_title(self, item):
        return f"{item.title} ({item.conference.name})"

    def item_description(self, item):
        return as_plain_text(item.summary)

    def item_pubdate(self, item):
        return item.talk.starts_at if item.talk else None

    def item_categories(self, item):
        return [item.conference.name]


class ConferenceAnnouncementsFeed(AnnouncementsFeed):
    def get_object(self, request, conference):
        return get_object_or_404(Conference, slug=conference)

    def title(self, conference):
        return f"{conference.name}: announcements"

    def subtitle(self, conference):
        return f"Announcements made at {conference.name}."

    def link(self, conference):
        return conference.get_absolute_url()

    def items(self, conference):
        return conference.announcements.for_listing().order_by("position", "title")

    def item_title(self, item):
        return item.title


class TalksFeed(CatalogFeed):
    """Talks in schedule order; each entry names its speakers, kind and track."""

    def title(self, selection):
        return selection.title

    def link(self, selection):
        return selection.link

    def items(self, selection):
        return selection.talks

    def item_title(self, talk):
        return talk.title

    def item_description(self, talk):
        return as_plain_text(talk.abstract, talk.abstract_format)

    def item_guid(self, talk):
        return f"urn:uuid:{talk_guid(talk)}"

    item_guid_is_permalink = False

    def item_author_name(self, talk):
        return ", ".join(speaker.name for speaker in talk.ordered_speakers) or None

    def item_pubdate(self, talk):
        return talk.starts_at

    def item_categories(self, talk):
        return [
            label for label in (talk.get_kind_display(), talk.track and talk.track.name) if label
        ]


class ConferenceTalksFeed(TalksFeed):
    def get_object(self, request, conference):
        conference = get_object_or_404(Conference, slug=conference)
        return TalkSelection(
            title=f"{conference.name}: talks",
            link=conference.get_absolute_url(),
            talks=requested_talks(request, conference),
        )


class SpeakerTalksFeed(TalksFeed):
    def get_object(self, request, slug):
        speaker = get_object_or_404(Speaker, slug=slug)
        talks = (
            Talk.objects.for_export()
            .filter(talk_speakers__speaker=speaker)
            .order_by(F("conference__start_date").desc(nulls_last=True), "starts_at", "title")
        )
        return TalkSelection(
            title=f"Talks by {speaker.name}", link=speaker.get_absolute_url(), talks=talks
        )

    def item_title(self, talk):
        return f"{talk.title} ({talk.conference.name})"
