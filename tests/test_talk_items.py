"""The talk items of the talk list and the conference page, written in Python
(``talks/templatetags/talk_items.py``), show what the ``talks/_talk_item.html`` include shows,
for every kind of talk, escaped the same way."""

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
def test_talk_items_match_the_talk_item_include(django_assert_num_queries):
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
    # The items get the few columns they show; the include, whole rows.
    talks = list(Talk.objects.for_talk_items().order_by("pk"))
    whole_talks = list(Talk.objects.for_listing().order_by("pk"))

    for heading_level in (3, 4):
        with django_assert_num_queries(0):  # no deferred column is read row by row
            tag = Template("{% load talk_items %}{% talk_items talks heading_level %}").render(
                Context({"talks": talks, "heading_level": heading_level})
            )
        include = "".join(
            render_to_string(
                "talks/_talk_item.html", {"talk": talk, "heading_level": heading_level}
            )
            for talk in whole_talks
        )
        assert "<script>" not in tag
        assert tag.count('<li class="talk-item">') == 4
        assert rendered_text(tag) == rendered_text(include)
