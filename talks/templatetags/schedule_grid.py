"""The rows of the schedule grid (talks/schedule.py ``DayGrid``), written in Python.

A busy day has a thousand cells of a dozen values each: through template tags and filters that
costs several hundred milliseconds, here a few dozen. Every value is escaped; the talk links
come from one ``reverse()`` (``UrlPattern``).
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..api.links import UrlPattern

register = template.Library()


EN_DASH = "\u2013"  # between a start and an end time


def _time(moment):
    return f'<time datetime="{moment.isoformat()}">{moment:%H:%M}</time>'


def _talk_cell(cell, talk_url):
    talk = cell.talk
    classes = "talk-cell" if cell.colour is None else f"talk-cell track-colour-{cell.colour}"
    rowspan = f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
    when = _time(cell.starts) + (f"{EN_DASH}{_time(cell.ends)}" if cell.ends else "")
    track = f" · {escape(talk.track.name)}" if talk.track else ""
    names = ", ".join(escape(speaker.name) for speaker in talk.ordered_speakers)
    speakers = f' <span class="cell-line">{names}</span>' if names else ""
    return (
        f'<td class="{classes}"{rowspan}><a href="{escape(talk_url.fill(talk.slug))}">'
        f'{escape(talk.title)}</a> <span class="cell-line">{when}{track}</span>{speakers}</td>'
    )


@register.simple_tag
def grid_rows(grid, conference):
    """The <tr> elements of ``grid``: a time header, then its talks and runs of free rooms."""
    talk_url = UrlPattern(lambda slug: reverse("talks:talk-detail", args=[conference.slug, slug]))
    rows = []
    for row in grid.rows:
        cells = [f'<tr><th scope="row">{_time(row.starts)}</th>']
        for cell in row.cells:
            if cell.is_talk:
                cells.append(_talk_cell(cell, talk_url))
            else:
                cells.append(
                    f'<td colspan="{cell.columns}"></td>' if cell.columns > 1 else "<td></td>"
                )
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))  # built above from escaped values only
