"""The one HTML cleaner: what editors write in Markdown comes out safe."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from goldendreams.core.sanitize import ALLOWED_TAGS, clean_html, markdown_to_html

#: Classic payloads, both as raw HTML in Markdown and as HTML given straight to the cleaner.
XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=x.swf></object><embed src=x.swf>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="x" onclick="alert(1)">x</a>',
    '<a href="x" onmouseover=alert(1)>x</a>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<<script>script>alert(1)<</script>/script>",
]
MARKDOWN_XSS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:alert(1))",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "<javascript:alert(1)>",
    '[x](https://example.org "title" onclick="alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
]


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert name in {"href", "title", "rel", "start"}, html
            if name == "href":
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in {"", "http", "https", "tel"}, html
                assert not value.strip().lower().startswith("//"), html


@pytest.mark.parametrize("payload", XSS)
def test_html_payloads_are_neutralised(payload):
    for html in (clean_html(payload), markdown_to_html(payload)):
        assert_safe(html)


@pytest.mark.parametrize("payload", MARKDOWN_XSS)
def test_markdown_payloads_are_neutralised(payload):
    assert_safe(markdown_to_html(payload))


def test_raw_html_in_markdown_is_shown_as_text():
    assert markdown_to_html("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_formatting_lists_headings_and_tables_survive():
    source = (
        "# Fees\n\n## Who pays\n\n**Bold**, *italic*, `code` and ~~old~~.\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> quote\n\n"
        "| Cost | Amount |\n|---|--:|\n| Visa | 500 |\n\n---\n"
    )
    html = markdown_to_html(source)
    for tag in ("h2", "h3", "strong", "em", "code", "s>", "ul", "ol", "li", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "hr"):  # fmt: skip
        assert f"<{tag}" in html, tag
    assert '<ol start="3">' in html
    assert "<h1" not in html  # the page title is the only h1
    assert "style=" not in html  # column alignment is dropped with every style attribute


@pytest.mark.parametrize(
    "link",
    ["https://example.org/a?b=c", "http://example.org", "tel:+6621234567", "tel:1506", "/help/"],
)
def test_http_tel_and_site_links_survive(link):
    html = markdown_to_html(f"[call]({link})")
    assert f'href="{link}"' in html.replace("&amp;", "&")
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("link", ["ftp://example.org/x", "mailto:a@example.org", "file:///etc"])
def test_other_link_schemes_are_dropped(link):
    html = markdown_to_html(f"[x]({link})")
    assert "href" not in html
    assert ">x<" in html or "[x]" in html  # the words stay


def test_text_in_every_script_is_kept():
    text = "ค่าจ้าง ဝန်ထမ်း ប្រាក់ខែ ຄ່າຈ້າງ तलब"
    assert text in markdown_to_html(text)


@pytest.mark.parametrize("link", ["//evil.example/x", " //evil.example", "\\\\evil.example"])
def test_links_to_other_hosts_without_a_scheme_are_dropped(link):
    assert "href" not in clean_html(f'<a href="{link}">x</a>')
    # In Markdown "\\\\" is an escaped backslash, which becomes a harmless %5C path.
    html = markdown_to_html(f"[x]({link})")
    assert 'href="//' not in html and 'href="\\' not in html


def test_markdown_as_plain_words_for_search_and_snippets():
    from goldendreams.core.sanitize import markdown_to_text

    text = markdown_to_text("## Rest\n\n- one **day** a [week](/help/)\n\n<b>x</b> &amp; 5 < 6")
    assert text == "Rest one day a week <b>x</b> & 5 < 6"
