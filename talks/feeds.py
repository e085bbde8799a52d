"""Atom feeds: announcements (all, and per conference), talks per conference (with the talk
filters, e.g. ``?track=black-belt``) and talks per speaker.

An entry's <updated> is when its record last changed (its ``updated_at``), and the feed's own
<updated>, also sent as Last-Modified, is the newest of those; a feed with no entries takes the
last change of what it belongs to (the conference, the speaker, the catalog). <published> is
the event's own date where the catalog knows one: a talk's start, or for an announcement the
start of the talk it was made in; without one there is no <published>, none is invented.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .caching import shows, shows_conference
from .exports.identity import talk_guid
from .freshness import catalog_last_change, speaker_scopes
from .models import Announcement, Conference, ScheduleVersion, Speaker, Talk
from .models.base import writable_text
from .text import as_plain_text
from .url_patterns import UrlPattern
from .views.export_selection import InvalidFilters, requested_talks

# The catalog-wide announcements feed shows the newest ones; per-conference feeds show all.
LATEST_ANNOUNCEMENTS = 100
# A speaker's feed, like the catalog-wide one, shows the newest: a speaker has no end.
LATEST_SPEAKER_TALKS = 50


@dataclass
class TalkSelection:
    title: str
    link: str
    talks: QuerySet | list
    owner: Conference | Speaker


def _writable(value):
    """A feed's or entry's value (text, or a list of texts such as categories) without the
    characters XML cannot carry (``writable_text``)."""
    if isinstance(value, list | tuple):
        return type(value)(_writable(item) for item in value)
    return writable_text(value)


class WritableAtomFeed(Atom1Feed):
    """An Atom feed that drops what XML cannot carry from its texts instead of failing."""

    def __init__(self, *args, **kwargs):
        args = [_writable(value) for value in args]
        super().__init__(*args, **{name: _writable(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        args = [_writable(value) for value in args]
        super().add_item(*args, **{name: _writable(value) for name, value in kwargs.items()})


class LastChangeAtomFeed(WritableAtomFeed):
    """The feed's <updated> is its newest entry's <updated>. Django's default also counts the
    entries' <published> (a talk's start may lie in the future) and, for an empty feed, takes
    the current time, which would claim a change on every request; an empty feed takes its
    owner's last change (``owner_last_change``, called once) instead."""

    def latest_post_date(self):
        changes = [item["updateddate"] for item in self.items if item["updateddate"]]
        if changes:
            return max(changes)
        # None only for an empty catalog, which has nothing to date: Django's default then.
        return self.feed["owner_last_change"]() or super().latest_post_date()


class PlainTextSummaryAtomFeed(LastChangeAtomFeed):
    """Entry summaries are plain text (``type="text"``). Django declares every summary HTML,
    which would make readers parse a "<" in an abstract as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CatalogFeed(Feed):
    feed_type = PlainTextSummaryAtomFeed

    def item_updateddate(self, item):
        return item.updated_at

    def owner_last_change(self, obj):
        """When what the feed belongs to last changed: the date of an empty feed."""
        return catalog_last_change()

    def feed_extra_kwargs(self, obj):
        return {"owner_last_change": cache(lambda: self.owner_last_change(obj))}

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except InvalidFilters as exc:
            return exc.response()
        # The feed writer hands the response its XML in thousands of small pieces (8,000 for
        # 200 talks), and a WSGI server such as gunicorn sends each with a system call of its
        # own: a feed served from the server cache was twenty times slower than the other
        # exports. Reading ``content`` joins the pieces; setting it back keeps the one.
        response.content = response.content
        return response


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


class OfConference:
    """A feed of one conference's records: it finds the conference, shows what it holds
    (``talks.caching``), and dates an empty feed by the conference's own change."""

    def get_object(self, request, conference):
        conference = get_object_or_404(Conference, slug=conference)
        shows_conference(conference.pk)
        return conference

    def owner_last_change(self, conference):
        return conference.updated_at


class ConferenceAnnouncementsFeed(OfConference, AnnouncementsFeed):
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
        # Each talk's link filled in from one reverse() per feed rather than reversed per talk
        # (talks.url_patterns), for item_link().
        pages = UrlPattern(
            lambda conference, talk: reverse("talks:talk-detail", args=[conference, talk]), arity=2
        )
        talks = list(selection.talks)
        for talk in talks:
            talk.feed_link = pages.fill(talk.conference.slug, talk.slug)
        return talks

    def item_link(self, talk):
        return talk.feed_link

    def owner_last_change(self, selection):
        return selection.owner.updated_at

    def item_title(self, talk):
        return f"Cancelled: {talk.title}" if talk.is_cancelled else talk.title

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
        shows_conference(conference.pk)
        return TalkSelection(
            title=f"{conference.name}: talks",
            link=conference.get_absolute_url(),
            talks=requested_talks(request, conference, Talk.objects.for_calendar()),
            owner=conference,
        )


class SpeakerTalksFeed(TalksFeed):
    def get_object(self, request, slug):
        speaker = get_object_or_404(Speaker, slug=slug)
        talks = list(
            Talk.objects.for_calendar()
            .filter(talk_speakers__speaker=speaker)
            .order_by(F("conference__start_date").desc(nulls_last=True), "starts_at", "title")[
                :LATEST_SPEAKER_TALKS
            ]
        )
        shows(*speaker_scopes(speaker.pk, talks))
        return TalkSelection(
            title=f"Talks by {speaker.name}",
            link=speaker.get_absolute_url(),
            talks=talks,
            owner=speaker,
        )

    def item_title(self, talk):
        return f"{talk.title} ({talk.conference.name})"


# Versions the changes feed holds, the newest: older ones are on the changes page.
VERSIONS_IN_FEED = 30


class ScheduleChangesFeed(OfConference, CatalogFeed):
    """A conference's schedule changes, an entry per version (``talks.changelog``)."""

    def title(self, conference):
        return f"{conference.name}: schedule changes"

    def subtitle(self, conference):
        return f"New, cancelled, moved and retitled talks of {conference.name}."

    def link(self, conference):
        return reverse("talks:schedule-changes", args=[conference.slug])

    def items(self, conference):
        versions = ScheduleVersion.objects.filter(conference=conference).with_changes()
        return versions.select_related("conference")[:VERSIONS_IN_FEED]

    def item_title(self, version):
        return version.title

    def item_description(self, version):
        return "\n".join(
            f"{change.get_kind_display()}: {change.talk_title}"
            + (f" ({change.before} → {change.after})" if change.before and change.after else "")
            for change in version.changes.all()
        )

    def item_link(self, version):
        return f"{self.link(version.conference)}#version-{version.pk}"

    def item_pubdate(self, version):
        return version.created_at

    def item_updateddate(self, version):
        return version.created_at
