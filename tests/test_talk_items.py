"""The talk items of the talk lists (talk list, conference page, speaker page, My schedule),
written in Python (``talks/templatetags/talk_items.py``): what each shows, escaped, with the
day and times as the talk page's ``talks/_talk_when.html`` writes them."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from talks.models import Organization, Talk, TalkKind
from tests.builders import make_conference, make_day, make_speaker, make_talk, make_track

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def rendered_text(markup):
    # Runs of white space render as one space, and none at the end of a paragraph.
    return re.sub(r"\s+", " ", markup).replace(" </p>", "</p>")


@pytest.mark.django_db
def test_talk_items_show_each_value_escaped_and_the_talk_pages_times(django_assert_num_queries):
    conference = make_conference(name=HOSTILE, time_zone="America/New_York")
    day = make_day(conference, label=HOSTILE)
    undated_day = make_day(conference, number=2, date=None)
    track = make_track(conference, name=HOSTILE)
    organization = Organization.objects.create(slug="org", name=HOSTILE)
    speakers = [make_speaker(HOSTILE, organization=organization), make_speaker("Plain Name")]
    starts = datetime.datetime(2024, 5, 6, 13, 30, tzinfo=datetime.UTC)
    make_talk(
        conference,
        title=HOSTILE,
        speakers=speakers,
        kind=TalkKind.KEYNOTE,
        day=day,
        track=track,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=45),
    )
    make_talk(conference, day=day, starts_at=starts)  # no end, track or speakers
    make_talk(conference, day=undated_day)
    make_talk(conference)  # nothing scheduled
    # The items get the few columns they show; the talk page, whole rows.
    talks = list(Talk.objects.for_talk_items().order_by("pk"))
    whole_talks = list(Talk.objects.for_listing().order_by("pk"))
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;"
    base = f"/conferences/{conference.slug}"

    for heading_level in (3, 4):
        with django_assert_num_queries(0):  # no deferred column is read row by row
            tag = Template("{% load talk_items %}{% talk_items talks heading_level %}").render(
                Context({"talks": talks, "heading_level": heading_level})
            )
        assert "<script>" not in tag
        items = tag.split('<li class="talk-item">')[1:]
        assert len(items) == 4
        keynote = rendered_text(items[0])
        title = f'<a href="{base}/talks/{talks[0].slug}/">{escaped}</a>'
        assert f'<h{heading_level} class="talk-title">{title}</h{heading_level}>' in keynote
        assert '<span class="badge badge-keynote">Keynote</span>' in keynote
        assert f' · Track: <a href="{base}/talks/?track={track.slug}">{escaped}</a>' in keynote
        first, second = speakers
        assert (
            f'<p class="speakers">By <a href="/speakers/{first.slug}/">{escaped}</a> '
            f'<span class="org">({escaped})</span>, '
            f'<a href="/speakers/{second.slug}/">Plain Name</a></p>'
        ) in keynote
        for item in items[1:]:
            assert '<p class="speakers">' not in item  # no speakers, no "By"
            assert "Track:" not in item
            assert '<span class="badge badge-session">Session</span>' in item
        for item, talk in zip(items, whole_talks, strict=True):
            when = render_to_string("talks/_talk_when.html", {"talk": talk})
            assert rendered_text(when).strip() in rendered_text(item)
            star = render_to_string("talks/_star_button.html", {"talk": talk})
            assert rendered_text(star).strip() in rendered_text(item)
