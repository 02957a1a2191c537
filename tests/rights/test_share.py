"""Share links for rights articles: who gets the page, and links that survive any title."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from goldendreams.core.auth import Role
from goldendreams.rights import share_views
from goldendreams.rights.permissions import may_share_articles
from tests.factories import ArticleFactory, ArticleTextFactory, UserFactory

TITLE = "Fees & visas: who pays? #1 ပွဲခ"


def links_of(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def test_share_links_encode_the_title_and_the_link(app):
    link = "https://goldendreams.example/rights/fees?lang=my"
    links = {share.app: share.href for share in share_views.share_links(TITLE, link)}
    assert set(links) == {"WhatsApp", "Telegram", "LINE", "Viber", "Messenger"}
    message = quote(f"{TITLE} {link}", safe="")
    assert links["WhatsApp"] == f"https://wa.me/?text={message}"
    assert links["LINE"] == f"https://line.me/R/msg/text/?{message}"
    assert links["Viber"] == f"viber://forward?text={message}"
    assert links["Messenger"] == f"fb-messenger://share/?link={quote(link, safe='')}"
    telegram = parse_qs(urlsplit(links["Telegram"]).query)
    assert telegram == {"url": [link], "text": [TITLE]}
    for href in links.values():
        query = href.split("?", 1)[1]
        # Nothing of the message breaks out: no raw space, "&", "#" or "?" of the title.
        assert " " not in query and "#" not in query and "?" not in query
        assert "ပ" not in query
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {"text": [f"{TITLE} {link}"]}
    assert unquote(links["LINE"].split("?", 1)[1]) == f"{TITLE} {link}"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("mobilizer", True), ("caseworker", True), ("admin", True), ("moderator", False),
     ("agency_staff", False), ("employer_staff", False), ("brand", False),
     ("government", False), ("association", False)],
)  # fmt: skip
def test_who_may_share(app, role, allowed):
    assert may_share_articles(UserFactory(role=role)) is allowed


def test_an_inactive_mobilizer_may_not_share(app):
    assert not may_share_articles(UserFactory(role="mobilizer", active=False))


@pytest.mark.parametrize("role", [Role.MOBILIZER, Role.CASEWORKER, Role.ADMIN])
def test_the_page_lists_published_articles_with_share_links(client, login_as, role):
    article = ArticleFactory(slug="recruitment-fees")
    ArticleTextFactory(article=article, locale="en", title=TITLE)
    ArticleTextFactory(article=article, locale="my", title="ပွဲခ ဘယ်သူပေးရမလဲ")
    draft = ArticleFactory(slug="not-yet", status="draft")
    ArticleTextFactory(article=draft, title="Draft article")
    login_as(role)
    response = client.get("/staff/share")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert html.escape(TITLE) in page and "Draft article" not in page
    public = "http://127.0.0.1:5000/rights/recruitment-fees?lang=en"
    assert f'value="{public}"' in page
    hrefs = links_of(page)
    assert f"https://wa.me/?text={quote(f'{TITLE} {public}', safe='')}" in hrefs
    assert f"fb-messenger://share/?link={quote(public, safe='')}" in hrefs
    assert any(href.startswith("https://t.me/share/url?url=") for href in hrefs)
    assert any(href.startswith("https://line.me/R/msg/text/?") for href in hrefs)
    assert any(href.startswith("viber://forward?text=") for href in hrefs)
    assert "<script" not in page.split("<body", 1)[1]


def test_the_page_shares_in_the_language_asked(client, login_as):
    article = ArticleFactory(slug="contracts")
    ArticleTextFactory(article=article, locale="en", title="Your contract")
    ArticleTextFactory(article=article, locale="my", title="သင့်စာချုပ်")
    only_english = ArticleFactory(slug="passports")
    ArticleTextFactory(article=only_english, locale="en", title="Your passport")
    login_as(Role.MOBILIZER)
    page = client.get("/staff/share?lang=my").get_data(as_text=True)
    assert "သင့်စာချုပ်" in page and "/rights/contracts?lang=my" in page
    assert "/rights/passports?lang=en" in page  # no Burmese version: the English one
    page = client.get("/staff/share?lang=xx").get_data(as_text=True)
    assert "/rights/contracts?lang=en" in page  # an unknown language: the reader's


def test_the_shared_link_opens_the_article(client, login_as):
    article = ArticleFactory(slug="wages")
    ArticleTextFactory(article=article, locale="my", title="လုပ်ခ")
    assert client.get("/rights/wages?lang=my").status_code == 200


@pytest.mark.parametrize(
    "role",
    [Role.MODERATOR, Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND, Role.GOVERNMENT,
     Role.ASSOCIATION],
)  # fmt: skip
def test_other_roles_are_turned_away(client, login_as, role):
    login_as(role)
    assert client.get("/staff/share").status_code == 403


def test_anonymous_readers_are_sent_to_log_in(client):
    response = client.get("/staff/share")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_staff_home_links_it_only_for_those_who_may_share(client, login_as):
    login_as(Role.MODERATOR)
    assert "/staff/share" not in client.get("/staff/").get_data(as_text=True)
