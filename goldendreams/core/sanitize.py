"""Markdown written by staff → HTML that is safe to show: the one place HTML is cleaned.

markdown-it-py renders (raw HTML in the source is shown as text, not passed on), then nh3
keeps only text formatting, lists, headings, tables and http(s), tel or same-site links.
nh3 is the second wall: whatever the renderer lets through, no script, style, iframe, event
attribute or ``javascript:`` URL survives it.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "blockquote"),
        *("strong", "em", "b", "i", "code", "s", "del", "sub", "sup", "small", "mark"),
        *("ul", "ol", "li"),
        *("h2", "h3", "h4"),
        *("table", "thead", "tbody", "tr", "th", "td"),
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "tel"})

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table").enable("strikethrough")


def _no_other_hosts(tag: str, attribute: str, value: str) -> str | None:
    # "//host/path" has no scheme but leads off the site: a link to drop, like javascript:.
    if attribute == "href" and value.strip().replace("\\", "/").startswith("//"):
        return None
    return value


def clean_html(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of ``html``."""
    return nh3.clean(
        html,
        attribute_filter=_no_other_hosts,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def markdown_to_text(source: str) -> str:
    """The words of a Markdown text without its markup (for search and snippets)."""
    text = nh3.clean(_markdown.render(source or ""), tags=set())
    return " ".join(html.unescape(text).split())


def markdown_to_html(source: str) -> str:
    """Render Markdown to sanitised HTML. Headings move one level down (``#`` becomes
    ``<h2>``): the page's title is its only ``<h1>``."""
    tokens = _markdown.parse(source or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
    return clean_html(_markdown.renderer.render(tokens, _markdown.options, {}))
