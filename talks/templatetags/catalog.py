import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from ..video import embed_url

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a value would end or confuse the block: escape the
# characters that start them, as Django's json_script does (which cannot set the ld+json type).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A schema.org dict as a <script type="application/ld+json"> block, safe for HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),
    )


@register.filter
def video_embed_url(video_url):
    return embed_url(video_url)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _inline(text):
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text)).replace("\n", "<br>")


@register.filter
def prose(text):
    """Catalog text as HTML: blank lines separate paragraphs, a block of "- " lines is a list,
    and `backticks` mark code. Everything else is escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = block.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif block:
            blocks.append(f"<p>{_inline(block)}</p>")
    return mark_safe("\n".join(blocks))  # every piece of text went through escape()
