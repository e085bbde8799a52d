"""reStructuredText, the format of pyvideo's descriptions and summaries, parsed safely.

docutils runs with everything that reads a file, passes raw HTML or could reach the network
turned off: no ``include`` or ``raw``, no file insertion (``csv-table :file:``), no
configuration files; ``image`` and ``figure`` keep only their alternative text (the
writer opens local image files to size them, and pages load nothing from other hosts).
Problems in a source are not reported into the page (a description with an unknown role is
still shown), and a source docutils cannot parse at all (``None``) is shown as plain text by
the caller. What it writes is cleaned by the same allowlist as HTML and Markdown
(``talks.text.markup``).
"""

import io
import re

from docutils import nodes
from docutils.core import publish_parts
from docutils.parsers.rst import Directive, directives

# The characters that open or close rST constructs, and the deepest indentation followed:
# docutils recurses once per nested block (200 levels exhaust Python's stack after a third of
# a second) and a grid table costs it the square of its cells (60 x 60 took 0.4 s).
RST_MARKUP_BUDGET = 5_000
_RST_SYNTAX = "*`|_:+\\\n"
RST_INDENT_BUDGET = 48
_LEADING_SPACE = re.compile(r"^[ \t]+", flags=re.MULTILINE)


class _AlternativeTextOnly(Directive):
    """``image`` and ``figure``: their ``:alt:`` text (or nothing), inline, so that a
    substitution made of one (pyvideo writes ``.. |demo_gif| image:: https://...``) still
    resolves instead of showing its ``|name|`` marker; there docutils gives the image its
    substitution's name as its alternative text."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = dict.fromkeys(
        (
            "alt",
            "height",
            "width",
            "scale",
            "align",
            "target",
            "class",
            "name",
            "loading",
            "figwidth",
            "figclass",
        ),
        directives.unchanged,
    )
    has_content = True  # a figure's caption, left out with it

    def run(self):
        return [nodes.inline(text=self.options.get("alt", ""))]


for _name in ("image", "figure"):
    directives.register_directive(_name, _AlternativeTextOnly)

_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,
    "input_encoding": "unicode",
    "syntax_highlight": "none",
    # Sections stay sections: the first heading is not the document's title.
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    # Never stop, never write a problem into the page.
    "report_level": 5,
    "halt_level": 5,
}


def rst_fits(text):
    """Whether an rST source has little enough markup, nested shallowly enough, to parse."""
    if sum(map(text.count, _RST_SYNTAX)) > RST_MARKUP_BUDGET:
        return False
    indents = (len(match.group().expandtabs(8)) for match in _LEADING_SPACE.finditer(text))
    return max(indents, default=0) <= RST_INDENT_BUDGET


def rst_html(text):
    """The rST source as (uncleaned) HTML, or None when docutils cannot parse it."""
    settings = {**_SETTINGS, "warning_stream": io.StringIO()}
    try:
        return publish_parts(text, writer="html5", settings_overrides=settings)["body"]
    except (Exception, RecursionError):  # a parser's failure shows the text as it is
        return None
