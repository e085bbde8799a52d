"""The rows of the schedule page, written in Python: the grid's (talks/schedule.py ``DayGrid``)
and the list's for narrow screens.

A busy day has a thousand talks of a dozen values each: through template tags, filters and
includes that costs several hundred milliseconds, here a few dozen. Every value is escaped;
the talk links come from one ``reverse()`` (``UrlPattern``), and the star button from one
render of its partial (``Partial``), so that template stays the one definition of its markup.
"""

import html
import re

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from ..models import TalkKind
from ..url_patterns import UrlPattern

register = template.Library()


EN_DASH = "\u2013"  # between a start and an end time
KIND_LABELS = dict(TalkKind.choices)


def escape(value):
    """As Django's ``escape``, which calls ``html.escape``, without its lazy-string wrapper and
    safe string: ten thousand values a page. The rows are marked safe once, whole."""
    return html.escape(str(value))


# Said in words as well as struck through: a line through a title is no message to a screen
# reader, and none to someone who does not know the convention.
CANCELLED_BADGE = '<span class="badge badge-cancelled">Cancelled</span> '


def cancelled_badge(talk):
    return CANCELLED_BADGE if talk.is_cancelled else ""


def item_class(talk, *classes):
    """The ``class`` attribute of a talk's list item: ``cancelled`` strikes its title."""
    names = " ".join([*classes, "cancelled"] if talk.is_cancelled else classes)
    return f' class="{names}"' if names else ""


def time_element(moment):
    """A local time as the pages show it: HH:MM, with the full instant in ``datetime``."""
    return f'<time datetime="{moment.isoformat()}">{moment.hour:02}:{moment.minute:02}</time>'


class Partial:
    """A talk's partial template rendered once, each of the talk's ``fields`` standing in as a
    placeholder, then filled in with each talk's values, escaped as the template would."""

    def __init__(self, template_name, fields):
        marks = {f"placeholder-{field}-7306149218503": field for field in fields}
        talk = {field: mark for mark, field in marks.items()}
        rendered = render_to_string(template_name, {"talk": talk})
        # Split on the placeholders: text, field, text, field, ... text.
        self.parts = [marks.get(part, part) for part in re.split(f"({'|'.join(marks)})", rendered)]

    def fill(self, talk):
        return "".join(
            escape(getattr(talk, part)) if index % 2 else part
            for index, part in enumerate(self.parts)
        )


class TalkMarkup:
    """The pieces of a talk both views show, for the talks of one conference; times are in
    its time zone."""

    def __init__(self, conference):
        self.tzinfo = conference.tzinfo
        self.url = UrlPattern(
            lambda slug: reverse("talks:talk-detail", args=[conference.slug, slug])
        )
        self.times = {}  # a busy day has few distinct times and many talks
        self.links = {}  # the grid and the list both show each talk of the day

    @cached_property
    def star_button(self):
        return Partial("talks/_star_button.html", ["pk", "title"])

    def link(self, talk):
        markup = self.links.get(talk.pk)
        if markup is None:
            markup = self.links[talk.pk] = (
                f'<a href="{escape(self.url.fill(talk.slug))}">{escape(talk.title)}</a>'
            )
        return markup

    def time(self, moment):
        markup = self.times.get(moment)
        if markup is None:
            markup = self.times[moment] = time_element(moment)
        return markup

    def when(self, starts, ends):
        """The local start and end (if known) as times; ``starts`` is not None."""
        return self.time(starts) + (f"{EN_DASH}{self.time(ends)}" if ends else "")

    def talk_when(self, talk):
        if talk.starts_at is None:
            return "time not announced"
        ends = talk.ends_at.astimezone(self.tzinfo) if talk.ends_at else None
        return self.when(talk.starts_at.astimezone(self.tzinfo), ends)

    @staticmethod
    def speakers(talk):
        return ", ".join(escape(name) for name in talk.speaker_names)


def talk_markup(context, conference):
    """The template's one TalkMarkup: the list's tag is called once for each track."""
    key = ("talk-markup", conference.pk)
    if key not in context.render_context:
        context.render_context[key] = TalkMarkup(conference)
    return context.render_context[key]


# --- The grid ------------------------------------------------------------------------------


def _talk_cell(cell, markup):
    talk = cell.talk
    classes = "talk-cell" if cell.colour is None else f"talk-cell track-colour-{cell.colour}"
    rowspan = f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
    track = f" · {escape(talk.track.name)}" if talk.track else ""
    names = markup.speakers(talk)
    speakers = f' <span class="cell-line">{names}</span>' if names else ""
    return (
        f'<td class="{classes}"{rowspan}>{markup.link(talk)} '
        f'<span class="cell-line">{markup.when(cell.starts, cell.ends)}{track}</span>'
        f"{speakers}</td>"
    )


@register.simple_tag(takes_context=True)
def grid_rows(context, grid, conference):
    """The <tr> elements of ``grid``: a time header, then its talks and runs of free rooms."""
    markup = talk_markup(context, conference)
    rows = []
    for row in grid.rows:
        cells = [f'<tr><th scope="row">{markup.time(row.starts)}</th>']
        for cell in row.cells:
            if cell.is_talk:
                cells.append(_talk_cell(cell, markup))
            else:
                cells.append(
                    f'<td colspan="{cell.columns}"></td>' if cell.columns > 1 else "<td></td>"
                )
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))  # built above from escaped values only


@register.simple_tag(takes_context=True)
def grid_list_items(context, talks, conference):
    """The <li> elements of the talks listed under the grid: without a place in it, or of no
    day, each with its time, room and track."""
    markup = talk_markup(context, conference)
    items = []
    for talk in talks:
        room = escape(talk.room.name) if talk.room else "room not announced"
        track = f" · {escape(talk.track.name)}" if talk.track else ""
        items.append(
            f"<li{item_class(talk)}>{cancelled_badge(talk)}{markup.link(talk)} "
            f'<span class="muted">· {markup.talk_when(talk)} · {room}{track}</span></li>'
        )
    return mark_safe("\n".join(items))  # built above from escaped values only


# --- The list, for narrow screens ------------------------------------------------------------


@register.simple_tag(takes_context=True)
def list_items(context, talks, conference):
    """The <li> elements of a track's talks in the list: time, title, kind, star button,
    speakers and room."""
    markup = talk_markup(context, conference)
    star = markup.star_button
    items = []
    for talk in talks:
        label = KIND_LABELS.get(talk.kind, talk.kind)
        badge = f'<span class="badge badge-{escape(talk.kind)}">{escape(label)}</span>'
        names = markup.speakers(talk)
        speakers = f'<br><span class="muted">{names}</span>' if names else ""
        room = f'<br><span class="muted">Room: {escape(talk.room.name)}</span>' if talk.room else ""
        items.append(
            f'<li{item_class(talk)}><span class="time">{markup.talk_when(talk)}</span> '
            f'<span class="what">{cancelled_badge(talk)}{markup.link(talk)} {badge} '
            f"{star.fill(talk)}{speakers}{room}</span></li>"
        )
    return mark_safe("\n".join(items))  # built above from escaped values only
