"""The items of the talk lists (speaker page, talk list, conference page, my schedule) and
of the speaker list, written in Python.

Each item is a dozen values, three links and a date and time: through an include with nested
includes, filters and ``{% url %}`` tags a page of 50 costs 70% of its time (the busiest
speaker page of the load test: 80 ms). Here the links come from one ``reverse()`` each
(``UrlPattern``), days and time zones are formatted once per day and conference, the star
button is its partial rendered once (``Partial``), and every value is escaped.
"""

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import mark_safe

from ..lengths import length_text
from ..url_patterns import UrlPattern
from .schedule_rows import (
    EN_DASH,
    KIND_LABELS,
    Partial,
    cancelled_badge,
    escape,
    item_class,
    time_element,
)

register = template.Library()


def day_date(date):
    """``date`` as the ``date`` filter writes "D j M Y", from the same translated names: the
    filter's general formatter costs more than the rest of the item (a busy speaker's talks
    are on a different day each)."""
    return (
        f"{WEEKDAYS_ABBR[date.weekday()]} {date.day} {MONTHS_3[date.month].title()} {date.year:04}"
    )


class TalkItems:
    """The markup of talks from any conferences; what several talks share is built once."""

    def __init__(self):
        self.talk_url = UrlPattern(
            lambda conference, slug: reverse("talks:talk-detail", args=[conference, slug]),
            arity=2,
        )
        self.talk_list_url = UrlPattern(lambda slug: reverse("talks:talk-list", args=[slug]))
        self.speaker_url = UrlPattern(lambda slug: reverse("talks:speaker-detail", args=[slug]))
        self.still_url = UrlPattern(lambda name: reverse("talks:still", args=[name]))
        self.star_button = Partial("talks/_star_button.html", ["pk", "title"])
        self.days = {}
        self.time_zones = {}

    def item(self, talk, heading_level):
        conference = talk.conference
        heading = f"h{heading_level}"
        track = (
            f' · Track: <a href="{escape(self.talk_list_url.fill(conference.slug))}?track='
            f'{escape(talk.track.slug)}">{escape(talk.track.name)}</a>'
            if talk.track
            else ""
        )
        speakers = talk.ordered_speakers
        by = f'<p class="speakers">By {self.speaker_names(speakers)}\n</p>' if speakers else ""
        return (
            f"<li{item_class(talk, 'talk-item')}>\n  {self.still(talk)}"
            f'<{heading} class="talk-title"><a href="'
            f'{escape(self.talk_url.fill(conference.slug, talk.slug))}">{escape(talk.title)}</a>'
            f'</{heading}>\n  <p class="meta">\n    {cancelled_badge(talk)}<span class="badge '
            f'badge-{escape(talk.kind)}">'
            f"{escape(KIND_LABELS.get(talk.kind, talk.kind))}</span>\n    {self.when(talk)}"
            f"{self.length(talk)}\n"
            f"    {track}\n    \n  </p>\n  {by}\n  {self.star_button.fill(talk)}\n</li>\n"
        )

    def when(self, talk):
        """As talks/_talk_when.html: the day, linked to its talks, and the local times."""
        day = self.day(talk) if talk.day else "Day not announced"
        if talk.starts_at is None:
            return f"{day} · time not announced\n"
        tzinfo = self.time_zone(talk.conference)
        starts = talk.starts_at.astimezone(tzinfo)
        ends = talk.ends_at.astimezone(tzinfo) if talk.ends_at else None
        until = f"{EN_DASH}{time_element(ends)}" if ends else ""
        return f"{day} · {time_element(starts)}{until} {escape(starts.tzname())}\n"

    def still(self, talk):
        """Our copy of the video's still, sized and lazy, or nothing (the list stays text)."""
        if not talk.thumbnail:
            return ""
        name = talk.thumbnail.name.rsplit("/", 1)[-1]
        return (
            f'<img class="still" src="{escape(self.still_url.fill(name))}" '
            f'width="{talk.thumbnail_width}" height="{talk.thumbnail_height}" '
            f'alt="Still from the video of “{escape(talk.title)}”" loading="lazy" '
            'decoding="async">'
        )

    @staticmethod
    def length(talk):
        length = length_text(talk.length)
        return f' · <span class="length">{length}</span>\n' if length else ""

    def day(self, talk):
        markup = self.days.get(talk.day_id)
        if markup is None:
            day = talk.day
            url = f"{self.talk_list_url.fill(talk.conference.slug)}?day={day.number}"
            date = (
                f', <time datetime="{day.date.isoformat()}">{escape(day_date(day.date))}</time>'
                if day.date
                else ""
            )
            markup = self.days[talk.day_id] = (
                f'<a href="{escape(url)}">{escape(day.title)}</a>{date}'
            )
        return markup

    def time_zone(self, conference):
        tzinfo = self.time_zones.get(conference.time_zone)
        if tzinfo is None:
            tzinfo = self.time_zones[conference.time_zone] = conference.tzinfo
        return tzinfo

    def speaker_names(self, speakers):
        """The speakers' names linked to their pages, each with their organization."""
        return ", ".join(
            f'<a href="{escape(self.speaker_url.fill(speaker.slug))}">{escape(speaker.name)}</a>'
            + (
                f' <span class="org">({escape(speaker.organization.name)})</span>'
                if speaker.organization
                else ""
            )
            for speaker in speakers
        )

    def speaker(self, speaker):
        """A speaker of the speaker list, with their newest talks (``Speaker.objects.for_listing``)
        and a link to all of them when there are more."""
        url = escape(self.speaker_url.fill(speaker.slug))
        name = escape(speaker.name)
        about = ""
        if speaker.role or speaker.organization:
            comma = ", " if speaker.role and speaker.organization else ""
            organization = escape(speaker.organization.name) if speaker.organization else ""
            about = f'<span class="muted">, {escape(speaker.role)}{comma}{organization}</span>'
        talks = ""
        if speaker.recent_talks:
            links = "".join(
                f'<li><a href="{escape(self.talk_url.fill(talk.conference.slug, talk.slug))}">'
                f'{escape(talk.title)}</a> <span class="muted">({escape(talk.conference.name)})'
                "</span></li>"
                for talk in speaker.recent_talks
            )
            more = (
                f'<li><a href="{url}">All {speaker.talk_count} talks by {name}</a></li>'
                if speaker.talk_count > len(speaker.recent_talks)
                else ""
            )
            talks = f'<ul class="compact">{links}\n      {more}</ul>'
        return f'\n  <li>\n    <a href="{url}">{name}</a>{about}\n    {talks}\n  </li>\n  '


def _items(context):
    """The template's one TalkItems, whatever number of tags use it."""
    if "talk-items" not in context.render_context:
        context.render_context["talk-items"] = TalkItems()
    return context.render_context["talk-items"]


@register.simple_tag(takes_context=True)
def talk_items(context, talks, heading_level=3):
    """The <li class="talk-item"> elements of ``talks`` (each with its conference, day,
    track and ordered speakers fetched: ``TalkQuerySet.for_listing``)."""
    items = _items(context)
    return mark_safe(  # built from escaped values only
        "".join(items.item(talk, heading_level) for talk in talks)
    )


@register.simple_tag(takes_context=True)
def speaker_items(context, speakers):
    """The <li> elements of the speaker list."""
    items = _items(context)
    return mark_safe("".join(items.speaker(speaker) for speaker in speakers))  # escaped values
