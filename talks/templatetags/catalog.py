import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..languages import language_names
from ..lengths import length_text
from ..models import TextFormat
from ..text import as_html, as_plain_text
from ..video import embed_url

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a value would end or confuse the block: escape the
# characters that start them, as Django's json_script does (which cannot set the ld+json type).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def talk_length(talk):
    """``{{ talk|talk_length }}``: "28 min", or "" when its length is unknown."""
    return length_text(talk.length)


@register.filter(name="language_names")
def language_names_filter(value):
    """``{{ talk.language|language_names }}``: "eng" reads "English"."""
    return language_names(value)


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


@register.filter
def prose(text, text_format=TextFormat.PLAIN):
    """``{{ talk.abstract|prose:talk.abstract_format }}``: safe HTML in the text's format."""
    return as_html(text, text_format)


@register.filter
def plain_text(text, text_format=TextFormat.PLAIN):
    """The text without markup, e.g. for a meta description (autoescaping still applies)."""
    return as_plain_text(text, text_format)
