"""Clean HTML written out as plain text: blocks become paragraphs, list items lines, links keep
their address, entities are decoded and whitespace is tidied as a browser would show it.

It also reads an HTML source too deeply nested to be cleaned (``markup.markup_fits``): the
content of scripts, styles and embedded documents is left out there as the cleaner would."""

import re
from html.parser import HTMLParser

from .markup import CODE_CONTENT_TAGS, DIVISIONS, HEADINGS

_PARAGRAPH_BLOCKS = frozenset({"p", "blockquote", "pre"}) | HEADINGS | DIVISIONS
_LISTS = frozenset({"ul", "ol"})
_SPACES = re.compile(r"\s+")
_TRAILING_SPACES = re.compile(r"[ \t]+\n")
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.pending_newlines = 0
        self.at_line_start = True
        self.in_pre = 0
        self.in_code_content = 0
        self.lists = []  # per open list: the next number, or None for bullets
        self.links = []  # per open link: its address and where its text starts in ``out``

    def handle_starttag(self, tag, attrs):
        if tag in CODE_CONTENT_TAGS:
            self.in_code_content += 1
        elif tag in _PARAGRAPH_BLOCKS:
            self._break(2)
            if tag == "pre":
                self.in_pre += 1
        elif tag in _LISTS:
            self._break(1 if self.lists else 2)
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._break(1)
            self._write(f"{'  ' * max(len(self.lists) - 1, 0)}{self._marker()} ")
            self.at_line_start = True
        elif tag == "br":
            self.out.append("\n")
            self.at_line_start = True
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.out)))

    def handle_endtag(self, tag):
        if tag in CODE_CONTENT_TAGS:
            self.in_code_content = max(self.in_code_content - 1, 0)
        elif tag in _PARAGRAPH_BLOCKS:
            self._break(2)
            if tag == "pre" and self.in_pre:
                self.in_pre -= 1
        elif tag in _LISTS and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if href and href not in "".join(self.out[start:]):
                self._write(f" ({href})")

    def handle_data(self, data):
        if self.in_code_content:
            return
        if not self.in_pre:
            data = _SPACES.sub(" ", data)
            if self.at_line_start:
                data = data.lstrip(" ")
        if data:
            self._write(data)
            self.at_line_start = data.endswith("\n")

    def _marker(self):
        if not self.lists or self.lists[-1] is None:
            return "-"
        number = self.lists[-1]
        self.lists[-1] += 1
        return f"{number}."

    def _break(self, newlines):
        self.pending_newlines = max(self.pending_newlines, newlines)
        self.at_line_start = True

    def _write(self, text):
        if self.pending_newlines and self.out:
            self.out.append("\n" * self.pending_newlines)
        self.pending_newlines = 0
        self.out.append(text)

    def text(self):
        self.close()
        text = _TRAILING_SPACES.sub("\n", "".join(self.out))
        return _EXTRA_BLANK_LINES.sub("\n\n", text).strip()


def html_to_text(html):
    writer = _TextWriter()
    writer.feed(html)
    return writer.text()
