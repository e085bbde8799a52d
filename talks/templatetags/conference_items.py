"""A conference's dates and place, and the rows of the home page's list of conferences, written
in Python.

The home page lists 50 conferences, each through three includes and two ``{% url %}``: two
thirds of its time. Dates and place are defined here once, for every page that shows them;
links come from one ``reverse()`` per kind (``UrlPattern``); every value is escaped.
"""

from django import template
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe

from ..url_patterns import UrlPattern
from .schedule_rows import escape

register = template.Library()


def _date(day):
    return f'<time datetime="{day.isoformat()}">{escape(dateformat.format(day, "j F Y"))}</time>'


def dates(conference):
    start, end = conference.start_date, conference.end_date
    if not start:
        return "Dates not announced"
    return _date(start) + (f" \u2013 {_date(end)}" if end and end != start else "")


def place(conference):
    if not (conference.venue or conference.city):
        return "Place not announced"
    text = ", ".join(filter(None, [conference.venue, conference.city]))
    for part in (conference.region, conference.country):
        if part:
            text += f", {part}"
    return escape(text)


@register.simple_tag
def conference_dates(conference):
    """From start to end date, one date if it lasts a day, or "Dates not announced"."""
    return mark_safe(dates(conference))  # escaped above


@register.simple_tag
def conference_place(conference):
    """Venue, city, region and country, those known, or "Place not announced"."""
    return mark_safe(place(conference))  # escaped above


def talk_count(count):
    """ "12 talks", "1 talk" or "no talks", as ``talks/_talk_count.html`` says it."""
    return f"{count} talk{pluralize(count)}" if count else "no talks"


@register.simple_tag
def conference_items(conferences):
    """The <li> elements of the home page's list: each conference's name, dates, place and
    talk count (``Conference.objects.with_talk_count()``), linked to its page and talks."""
    page_url = UrlPattern(lambda slug: reverse("talks:conference-detail", args=[slug]))
    talks_url = UrlPattern(lambda slug: reverse("talks:talk-list", args=[slug]))
    return mark_safe(  # built from escaped values only
        "\n    ".join(
            f'<li><a href="{escape(page_url.fill(conference.slug))}">{escape(conference.name)}</a>'
            f' <span class="muted">· {"Series · " if conference.is_series else ""}'
            f"{dates(conference)} · {place(conference)} · "
            f'<a href="{escape(talks_url.fill(conference.slug))}">'
            f"{talk_count(conference.talk_count)}</a></span></li>"
            for conference in conferences
        )
    )
