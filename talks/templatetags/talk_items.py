"""The talks of the talk list and the conference page, written in Python: one <li> each, with
the same markup as ``talks/_talk_item.html``.

Through that include and the three it includes, a talk costs some fifty template nodes, a
``reverse()`` for each of its four links and a date format for each of its times: about 1 ms,
half of a talk list's time. Here every value is escaped as the template would; links come from
one ``reverse()`` per kind (``UrlPattern``), a day's and a time's markup are built once per page,
and the star button from one render of its partial (``Partial``).
"""

import zoneinfo

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe

from ..url_patterns import UrlPattern
from .schedule_rows import EN_DASH, KIND_LABELS, Partial, escape

register = template.Library()


class TalkItems:
    """The pieces of talk items, for talks of any conferences; times are in each talk's
    conference's time zone."""

    def __init__(self):
        self.talk_url = UrlPattern(
            lambda conference, talk: reverse("talks:talk-detail", args=[conference, talk]), 2
        )
        self.list_url = UrlPattern(lambda conference: reverse("talks:talk-list", args=[conference]))
        self.speaker_url = UrlPattern(lambda slug: reverse("talks:speaker-detail", args=[slug]))
        self.star_button = Partial("talks/_star_button.html", ["pk", "title"])
        self.zones = {}
        self.days = {}
        self.times = {}

    def day(self, talk):
        day = talk.day
        if day is None:
            return "Day not announced"
        markup = self.days.get(day.pk)
        if markup is None:
            url = f"{self.list_url.fill(talk.conference.slug)}?day={day.number}"
            markup = f'<a href="{escape(url)}">{escape(day.title)}</a>'
            if day.date:
                markup += (
                    f', <time datetime="{day.date.isoformat()}">'
                    f"{escape(dateformat.format(day.date, 'D j M Y'))}</time>"
                )
            self.days[day.pk] = markup
        return markup

    def time(self, moment):
        markup = self.times.get(moment)
        if markup is None:
            markup = self.times[moment] = (
                f'<time datetime="{moment.isoformat()}">{moment.hour:02}:{moment.minute:02}</time>'
            )
        return markup

    def when(self, talk):
        """The talk's day, then its local start and end times and time zone."""
        if talk.starts_at is None:
            return f"{self.day(talk)} · time not announced"
        time_zone = talk.conference.time_zone
        zone = self.zones.get(time_zone) or self.zones.setdefault(
            time_zone, zoneinfo.ZoneInfo(time_zone)
        )
        starts = talk.starts_at.astimezone(zone)
        ends = f"{EN_DASH}{self.time(talk.ends_at.astimezone(zone))}" if talk.ends_at else ""
        return f"{self.day(talk)} · {self.time(starts)}{ends} {escape(starts.tzname())}"

    def speakers(self, talk):
        names = []
        for speaker in talk.ordered_speakers:
            url = self.speaker_url.fill(speaker.slug)
            name = f'<a href="{escape(url)}">{escape(speaker.name)}</a>'
            if speaker.organization:
                name += f' <span class="org">({escape(speaker.organization.name)})</span>'
            names.append(name)
        return ", ".join(names)

    def item(self, talk, heading_level):
        conference = talk.conference.slug
        url = self.talk_url.fill(conference, talk.slug)
        label = KIND_LABELS.get(talk.kind, talk.kind)
        track = ""
        if talk.track:
            track_url = f"{self.list_url.fill(conference)}?track={talk.track.slug}"
            track = f' · Track: <a href="{escape(track_url)}">{escape(talk.track.name)}</a>'
        speakers = self.speakers(talk)
        if speakers:
            speakers = f'  <p class="speakers">By {speakers}</p>\n'
        return (
            '<li class="talk-item">\n'
            f'  <h{heading_level} class="talk-title"><a href="{escape(url)}">'
            f"{escape(talk.title)}</a></h{heading_level}>\n"
            '  <p class="meta">\n'
            f'    <span class="badge badge-{escape(talk.kind)}">{escape(label)}</span>\n'
            f"    {self.when(talk)}{track}\n"
            "  </p>\n"
            f"{speakers}"
            f"  {self.star_button.fill(talk)}"
            "</li>\n"
        )


@register.simple_tag(takes_context=True)
def talk_items(context, talks, heading_level=3):
    """The <li> elements of ``talks`` (with their conference, day, track and ordered speakers
    and their organizations, as ``TalkQuerySet.for_talk_items`` gives them)."""
    key = "talk-items"
    if key not in context.render_context:
        context.render_context[key] = TalkItems()
    items = context.render_context[key]
    return mark_safe("".join(items.item(talk, heading_level) for talk in talks))  # escaped above
