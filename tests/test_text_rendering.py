"""Catalog text (abstracts, summaries, descriptions) rendered as escaped, structured HTML."""

from talks.templatetags.catalog import prose


def test_paragraphs_lists_and_code():
    html = prose("First line\nsecond line\n\n- one\n- two\n\nRun `docker build`.")
    assert html == (
        "<p>First line<br>second line</p>\n"
        "<ul><li>one</li><li>two</li></ul>\n"
        "<p>Run <code>docker build</code>.</p>"
    )


def test_markup_is_escaped_everywhere():
    html = prose("<script>alert(1)</script>\n\n- <b>x</b>\n\n`<img src=x>`")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<code>&lt;img src=x&gt;</code>" in html


def test_empty_text_renders_nothing():
    assert prose("") == ""
    assert prose(None) == ""


def test_the_day_1_keynote_principles_are_a_list(client, dockercon):
    page = client.get("/conferences/dockercon-2017/talks/day-1-keynote/").content.decode()
    assert "<li>Tools should get out of the way.</li>" in page
