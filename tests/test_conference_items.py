"""A conference's dates and place and the home page's rows, written in Python
(``talks/templatetags/conference_items.py``): what the templates said, every value escaped."""

import datetime

import pytest

from tests.builders import make_conference, make_talk

HOSTILE = '<b>"x"</b> & co'
ESCAPED = "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; co"


@pytest.mark.django_db
def test_home_rows_show_dates_place_and_talk_count_escaped(client):
    one_day = make_conference(
        name=HOSTILE,
        venue=HOSTILE,
        city="Paris",
        country="France",
        start_date=datetime.date(2020, 5, 6),
        end_date=datetime.date(2020, 5, 6),
    )
    make_talk(one_day)
    make_conference(
        name="Long",
        city="Lyon",
        region="Rhône",
        start_date=datetime.date(2021, 1, 2),
        end_date=datetime.date(2021, 1, 4),
    )
    make_conference(name="Vague", start_date=None, end_date=None)

    html = client.get("/").content.decode()

    assert "<b>" not in html
    assert (
        f'<li><a href="/conferences/{one_day.slug}/">{ESCAPED}</a> <span class="muted">· '
        '<time datetime="2020-05-06">6 May 2020</time> · '
        f'{ESCAPED}, Paris, France · <a href="/conferences/{one_day.slug}/talks/">1 talk</a>'
    ) in html
    assert (
        '<time datetime="2021-01-02">2 January 2021</time> \u2013 '
        '<time datetime="2021-01-04">4 January 2021</time> · Lyon, Rhône · '
    ) in html
    assert "Dates not announced · Place not announced · " in html
    assert ">no talks</a>" in html
