"""Abstracts written in Markdown or HTML: cleaned HTML on pages, plain text in text outputs."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from lxml import etree
from lxml import html as lxml_html

from talks.models import Talk, TextFormat
from talks.text import as_html, as_plain_text, detect_format
from tests.builders import (
    make_catalog,
    make_conference,
    make_day,
    make_speaker,
    make_talk,
    token_header,
)
from tests.shared_files import shared_path

ATOM = "{http://www.w3.org/2005/Atom}"

# As FOSDEM's Pentabarf files carry them once the XML is read: HTML with encoded entities.
FOSDEM_STYLE = (
    "<p>You&#39;ve had an idea for a Q&amp;A tool.</p>\n"
    "<p>We show <em>how</em> it ships:</p>\n"
    '<ul><li>a <a href="https://example.org/tool">repository</a></li><li>a demo</li></ul>'
)
FOSDEM_STYLE_TEXT = (
    "You've had an idea for a Q&A tool.\n\n"
    "We show how it ships:\n\n"
    "- a repository (https://example.org/tool)\n"
    "- a demo"
)
MARKDOWN = (
    "# Why\n\n"
    "Some **bold** claims about [Gluon](https://gluon.readthedocs.io/) & friends.\n\n"
    "* first\n* second\n\n"
    "```\nmake <target>\n```"
)
MARKDOWN_TEXT = (
    "Why\n\n"
    "Some bold claims about Gluon (https://gluon.readthedocs.io/) & friends.\n\n"
    "- first\n- second\n\n"
    "make <target>"
)
HOSTILE = {
    TextFormat.HTML: (
        "<p onclick=\"alert('click')\">Hello</p>"
        "<script>alert('script')</script>"
        "<style>body { display: none }</style>"
        "<a href=\"javascript:alert('link')\">a link</a> "
        '<a href="//elsewhere.example/page">relative</a> '
        "<img src=//elsewhere.example/pixel.png onerror=\"alert('image')\">"
        '<iframe src="https://elsewhere.example/"></iframe>'
    ),
    TextFormat.MARKDOWN: (
        "Hello [a link](javascript:alert('link')) and ![pixel](//elsewhere.example/pixel.png)\n\n"
        "<script>alert('script')</script>\n\n"
        "<style>body { display: none }</style>\n\n"
        "<img src=//elsewhere.example/pixel.png onerror=\"alert('image')\">\n\n"
        "<p onclick=\"alert('click')\">raw</p>"
    ),
}


def scheduled_talk(abstract, text_format, **fields):
    """A talk every export includes: it has a day and a start."""
    conference = make_conference(slug="markup-2024")
    day = make_day(conference, 1)
    starts_at = timezone.make_aware(datetime.datetime(2024, 5, 6, 10), conference.tzinfo)
    return make_talk(
        conference,
        title="Shipping ideas",
        slug="shipping-ideas",
        day=day,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=30),
        speakers=[make_speaker("Ada Lovelace")],
        abstract=abstract,
        abstract_format=text_format,
        **fields,
    )


def talk_page(client, talk):
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def abstract_section(page):
    return lxml_html.fromstring(page).get_element_by_id("abstract").getparent()


def structured_data(page):
    (script,) = lxml_html.fromstring(page).xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def meta_description(page):
    (meta,) = lxml_html.fromstring(page).xpath('//meta[@name="description"]')
    return meta.get("content")


# --- Pages ----------------------------------------------------------------------------------


def test_html_abstract_shows_as_paragraphs_and_a_list(client, db):
    talk = scheduled_talk(FOSDEM_STYLE, TextFormat.HTML)

    page = talk_page(client, talk)

    assert "&lt;p&gt;" not in page
    assert "&amp;#39;" not in page
    section = abstract_section(page)
    paragraphs = [p.text_content() for p in section.iter("p")]
    assert paragraphs == ["You've had an idea for a Q&A tool.", "We show how it ships:"]
    assert [li.text_content() for li in section.iter("li")] == ["a repository", "a demo"]
    (link,) = section.iter("a")
    assert link.get("href") == "https://example.org/tool"
    assert link.get("rel") == "nofollow noopener noreferrer"


def test_markdown_abstract_is_rendered(client, db):
    talk = scheduled_talk(MARKDOWN, TextFormat.MARKDOWN)

    section = abstract_section(talk_page(client, talk))

    assert [s.text_content() for s in section.iter("strong")] == ["Why", "bold"]
    assert [li.text_content() for li in section.iter("li")] == ["first", "second"]
    assert section.find(".//pre/code").text == "make <target>\n"
    (link,) = section.iter("a")
    assert link.get("href") == "https://gluon.readthedocs.io/"
    # The Markdown heading is a bold paragraph: headings below the page's own would mislead.
    assert not section.xpath(".//h1 | .//h3 | .//h4")


def test_a_markdown_link_with_a_title_is_a_link_on_the_page(client, db):
    source = 'Read [the paper](https://papers.example/42 "PDF, 2 MB") **first**.'
    talk = scheduled_talk(source, detect_format(source))

    section = abstract_section(talk_page(client, talk))

    (link,) = section.iter("a")
    assert (link.get("href"), link.text_content()) == ("https://papers.example/42", "the paper")
    assert "PDF, 2 MB" not in section.text_content()


def test_plain_abstract_keeps_the_catalog_conventions_and_escapes_markup(client, db):
    talk = scheduled_talk("First <b>bold?</b>\n\n- one\n- two", TextFormat.PLAIN)

    page = talk_page(client, talk)

    assert "<p>First &lt;b&gt;bold?&lt;/b&gt;</p>\n<ul><li>one</li><li>two</li></ul>" in page


@pytest.mark.parametrize("text_format", [TextFormat.HTML, TextFormat.MARKDOWN])
def test_hostile_abstract_leaves_nothing_active_on_the_page(client, db, text_format):
    talk = scheduled_talk(HOSTILE[text_format], text_format)

    page = talk_page(client, talk)

    tree = lxml_html.fromstring(page)
    section = abstract_section(page)
    assert "Hello" in section.text_content()
    assert not section.xpath(".//script | .//style | .//img | .//iframe")
    for element in tree.iter(etree.Element):
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        for name in ("href", "src"):
            value = element.get(name, "")
            assert not value.lower().startswith("javascript:")
            assert "elsewhere.example" not in value
    # Every script on the page is the catalog's own: a static file, or JSON-LD data in which
    # the abstract's text cannot close the script block.
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            assert "<" not in script.text
        else:
            assert script.get("src")


def test_markdown_source_shows_raw_html_as_text(client, db):
    """Raw HTML is off in Markdown: a tag typed in a Markdown abstract is shown, escaped."""
    talk = scheduled_talk(HOSTILE[TextFormat.MARKDOWN], TextFormat.MARKDOWN)

    page = talk_page(client, talk)

    assert "&lt;script&gt;alert(&#x27;script&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


# --- Text outputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text_format", "text"),
    [
        (FOSDEM_STYLE, TextFormat.HTML, FOSDEM_STYLE_TEXT),
        (MARKDOWN, TextFormat.MARKDOWN, MARKDOWN_TEXT),
    ],
)
def test_meta_description_and_json_ld_carry_plain_text(client, db, source, text_format, text):
    talk = scheduled_talk(source, text_format)

    page = talk_page(client, talk)

    assert structured_data(page)["description"] == text
    description = meta_description(page)
    assert description.startswith("Session at Conference")
    assert " ".join(text.split()[:10]) in description
    assert "<" not in description.replace("<target>", "")


def test_calendar_description_is_plain_text(client, db):
    talk = scheduled_talk(FOSDEM_STYLE, TextFormat.HTML)

    response = client.get(f"/conferences/{talk.conference.slug}/schedule.ics")

    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert f"Speakers: Ada Lovelace\n\n{FOSDEM_STYLE_TEXT}\n\nhttp" in description


def test_atom_summary_is_plain_text(client, db):
    talk = scheduled_talk(MARKDOWN, TextFormat.MARKDOWN)

    response = client.get(f"/conferences/{talk.conference.slug}/talks/feed/")

    summary = etree.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == MARKDOWN_TEXT


def test_frab_xml_and_json_abstracts_are_plain_text(client, db):
    talk = scheduled_talk(FOSDEM_STYLE, TextFormat.HTML)
    base = f"/conferences/{talk.conference.slug}/schedule"

    xml = etree.fromstring(client.get(f"{base}.xml").content)
    schedule = client.get(f"{base}.json").json()

    assert xml.findtext(".//event/abstract") == FOSDEM_STYLE_TEXT
    days = schedule["schedule"]["conference"]["days"]
    (event,) = [event for day in days for events in day["rooms"].values() for event in events]
    assert event["abstract"] == FOSDEM_STYLE_TEXT


def test_text_outputs_cost_no_queries_for_markup(client, db):
    conference = make_catalog(talk_count=12)
    urls = [
        f"/conferences/{conference.slug}/schedule.{extension}" for extension in ("ics", "xml")
    ] + [f"/conferences/{conference.slug}/talks/feed/"]

    def query_counts():
        cache.clear()  # the pages are cached: each round must build them
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    Talk.objects.update(abstract="plain words", abstract_format=TextFormat.PLAIN)
    plain = query_counts()
    Talk.objects.update(abstract=FOSDEM_STYLE, abstract_format=TextFormat.HTML)
    assert query_counts() == plain


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def writer_client(db, client):
    user = User.objects.create_user("writer")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    client.defaults["HTTP_AUTHORIZATION"] = token_header(user)
    return client


def test_api_returns_the_source_abstract_and_its_format(client, db):
    talk = scheduled_talk(FOSDEM_STYLE, TextFormat.HTML)

    data = client.get(f"/api/v1/talks/{talk.pk}/").json()

    assert data["abstract"] == FOSDEM_STYLE
    assert data["abstract_format"] == "html"


def test_api_writes_the_format_and_refuses_an_unknown_one(writer_client):
    talk = scheduled_talk("Plain words", TextFormat.PLAIN)
    url = f"/api/v1/talks/{talk.pk}/"

    changed = writer_client.patch(
        url, {"abstract": MARKDOWN, "abstract_format": "markdown"}, content_type="application/json"
    )
    refused = writer_client.patch(url, {"abstract_format": "rtf"}, content_type="application/json")

    assert changed.status_code == 200
    assert changed.json()["abstract_format"] == "markdown"
    assert refused.status_code == 400
    assert "abstract_format" in refused.json()
    talk.refresh_from_db()
    assert (talk.abstract, talk.abstract_format) == (MARKDOWN, TextFormat.MARKDOWN)


# --- Admin ----------------------------------------------------------------------------------


def test_admin_edits_the_format_next_to_the_abstract(admin_client):
    talk = scheduled_talk("Plain words", TextFormat.PLAIN)

    page = admin_client.get(f"/admin/talks/talk/{talk.pk}/change/").content.decode()

    fields = lxml_html.fromstring(page).xpath("//*[@name='abstract' or @name='abstract_format']")
    assert [field.get("name") for field in fields] == ["abstract", "abstract_format"]
    options = fields[1].xpath("./option/@value")
    assert options == ["plain", "markdown", "html", "rst"]


# --- The text module ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>FOSDEM welcome and opening talk.</p>", TextFormat.HTML),
        ('See <a href="https://festi.info/boxes.py/">Boxes.py</a>.', TextFormat.HTML),
        ("Line one<br>line two", TextFormat.HTML),
        ("In particular <ul> <li>IBM i</li> </ul>", TextFormat.HTML),
        ("Based on [Gluon](https://gluon.readthedocs.io/).", TextFormat.MARKDOWN),
        ('Slides: [deck](https://x.example/deck "Our slides").', TextFormat.MARKDOWN),
        ("Slides: [deck](https://x.example/deck 'Our slides').", TextFormat.MARKDOWN),
        ("Slides: [deck](https://x.example/deck (Our slides) ).", TextFormat.MARKDOWN),
        ("Footnote [1] (see page 2), and [a](b c) is no link.", TextFormat.PLAIN),
        ("A **strong** claim.", TextFormat.MARKDOWN),
        ("# Outline\n\nText.", TextFormat.MARKDOWN),
        ("Setup:\n\n```\npip install x\n```", TextFormat.MARKDOWN),
        ("Topics:\n\n* one\n* two", TextFormat.MARKDOWN),
        ("Plain words, a #hashtag, 2 * 3 and a_b_c.", TextFormat.PLAIN),
        ("Principles:\n\n- one\n- two\n\nRun `docker build`.", TextFormat.PLAIN),
        ("Compare a < b and b > c, or <stdio.h>.", TextFormat.PLAIN),
        ("", TextFormat.PLAIN),
    ],
)
def test_detect_format(text, expected):
    assert detect_format(text) == expected


def test_html_with_blank_lines_but_no_blocks_keeps_its_paragraphs():
    source = 'Since <a href="https://example.org/">DPRIVE</a> began.\r\n\r\nTwo protocols.'

    assert str(as_html(source, TextFormat.HTML)).count("<p>") == 2
    assert as_plain_text(source, TextFormat.HTML) == (
        "Since DPRIVE (https://example.org/) began.\n\nTwo protocols."
    )


def test_plain_text_keeps_breaks_code_and_nested_lists():
    source = (
        "<div>Intro<br>line two</div><h2>Plan</h2>"
        "<ol><li>first<ul><li>detail</li></ul></li><li>second</li></ol>"
        "<pre><code>indented\n    code</code></pre><p>  spaced   out  </p>"
    )

    assert as_plain_text(source, TextFormat.HTML) == (
        "Intro\nline two\n\nPlan\n\n1. first\n  - detail\n2. second\n\n"
        "indented\n    code\n\nspaced out"
    )


def test_plain_text_of_a_plain_abstract_is_the_abstract():
    assert (
        as_plain_text("  Keep <b>this</b>\r\n\r\n- as it is  ") == "Keep <b>this</b>\n\n- as it is"
    )


def test_unknown_format_is_escaped_as_plain_text():
    assert str(as_html("<b>x</b>", "rtf")) == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_every_fosdem_2021_abstract_renders_and_strips_cleanly():
    tree = etree.parse(str(shared_path("samples", "schedules", "giggity-fosdem_2021.xml")))
    abstracts = [text for text in tree.xpath("//event/abstract/text()") if text.strip()]
    assert len(abstracts) > 500

    for abstract in abstracts:
        text_format = detect_format(abstract)
        html = str(as_html(abstract, text_format))
        text = as_plain_text(abstract, text_format)
        assert "&lt;p&gt;" not in html
        assert "&amp;amp;" not in html
        for leftover in ("<p>", "</p>", "<br", "<a ", "&amp;", "&#39;"):
            assert leftover not in text, (leftover, abstract)
