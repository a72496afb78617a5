"""Story bodies: Markdown to HTML that is safe to put on a page.

Two walls, so that neither alone has to be perfect:

1. Markdown's own raw-HTML handling is switched off, so ``<script>`` typed into a story becomes the
   text "<script>" rather than a tag (people who type angle brackets meant them as text).
2. The result goes through nh3 (the Rust ammonia sanitiser) with an explicit allow-list of tags and
   attributes, and links limited to http, https and mailto.
"""

from __future__ import annotations

import html as html_module
import xml.etree.ElementTree as etree  # noqa: S405 - builds our own tree, never parses input

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "code",
        "pre",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _allowed_href(value: str) -> bool:
    scheme, sep, _ = value.partition(":")
    # Only absolute links with a scheme on the list: relative links could point at the app's own
    # actions, and a story is read in other places (the feed, print) where they would break.
    return bool(sep) and scheme.strip().lower() in ALLOWED_URL_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not _allowed_href(value):
        return None
    return value


class _ShiftHeadings(Treeprocessor):
    """The story page has its own h1 (the title): a "# Heading" in a body becomes an h2."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class _SafeMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Raw HTML blocks and inline tags are not recognised: they stay as (escaped) text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 0)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML. The only way a story body becomes HTML."""
    html = markdown.markdown(text or "", extensions=[_SafeMarkdown()], output_format="html")
    return sanitise_html(html)


def plain_text(text: str) -> str:
    """The words of a Markdown text without any markup (for summaries and excerpts)."""
    html = markdown.markdown(text or "", extensions=[_SafeMarkdown()], output_format="html")
    # nh3 with no tags allowed keeps the text and drops every tag; then undo its entity escaping,
    # because the caller puts the result through Django's autoescape once more.
    return " ".join(html_module.unescape(nh3.clean(html, tags=set())).split())
