"""Pages whose own part is a fragment: rendered once per version of what it shows, then only the
site's frame (base.html: header, navigation, footer) is rendered around it on each request.

A page template stays one whole template extending base.html; ``page_parts`` renders its own
blocks (title, description, robots, head, breadcrumbs, content) apart from the base, and
``framed`` puts them back in the base through ``talks/frame.html``. What the parts show is
in their fragment's key (``talks.fragments``), read before the data they are rendered from.
"""

from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, ExtendsNode
from django.utils.safestring import mark_safe

from ..fragments import fragments

PARTS = ("title", "description", "robots", "head", "breadcrumbs", "content")


def page_parts(request, template_name, context):
    """The blocks of ``template_name`` that make the page's own part, each rendered."""
    template = get_template(template_name).template
    extends = next(node for node in template.nodelist if isinstance(node, ExtendsNode))
    context = make_context(context, request, autoescape=template.engine.autoescape)
    with context.bind_template(template):
        blocks = BlockContext()
        blocks.add_blocks(extends.blocks)
        context.render_context[BLOCK_CONTEXT_KEY] = blocks
        return {
            name: mark_safe(extends.blocks[name].render(context))  # rendered, escaped
            for name in PARTS
            if name in extends.blocks
        }


def framed(request, key, build, after_content=None):
    """The page whose parts ``build()`` renders (a dict: ``parts`` from ``page_parts``, and
    ``status``), kept under ``key``; returns (response, what ``build()`` gave).
    ``after_content(page)``, when given, is markup kept apart (under keys of its own) and
    shown after the page's content."""
    page = fragments.render(key, build)
    context = {
        "parts": page["parts"],
        "after_content": after_content(page) if after_content else "",
    }
    response = render(request, "talks/frame.html", context, status=page["status"])
    return response, page
