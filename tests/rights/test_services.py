"""Writing articles and hotlines: the rules, sanitising, audit, and the shipped samples."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from goldendreams.config import LOCALES
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.rights import seed, services
from goldendreams.rights.models import Article, ArticleText, Hotline
from goldendreams.rights.services import RightsError
from tests.factories import ArticleFactory, ArticleTextFactory, HotlineFactory

ARTICLE = {"slug": "your-pay", "topic": "wages_hours", "countries": ["TH"], "status": "draft"}
HOTLINE = {
    "country": "TH",
    "organisation": "Workers' Helpline",
    "phone": "+66 2 123 4567",
    "channels": {"line": "https://line.me/R/ti/p/@helpline", "viber": ""},
    "languages": ["my", "th"],
    "days": "mon_fri",
    "opens_at": time(8, 30),
    "closes_at": time(17, 0),
}


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_an_article_is_written_then_published_and_audited(app, user_for):
    editor = user_for(Role.MODERATOR)
    article = services.save_article(editor, **ARTICLE)
    with pytest.raises(RightsError):  # nothing to read yet
        services.save_article(editor, article, **{**ARTICLE, "status": "published"})
    services.save_text(
        editor, article, locale="my", title=" လစာ ", summary="အတိုချုပ်", body_markdown="**ရေး**"
    )
    services.save_article(editor, article, **{**ARTICLE, "status": "published"})
    assert article.status == "published" and article.texts[0].title == "လစာ"
    assert article.texts[0].body_html == "<p><strong>ရေး</strong></p>\n"
    assert audit_actions() == ["article.create", "article.text", "article.update"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "Your Pay"}, "small English letters"),
        ({"slug": "pay/../admin"}, "small English letters"),
        ({"slug": "calculator"}, "already has this address"),
        ({"slug": "x" * 81}, "small English letters"),
        ({"topic": "gossip"}, "topic"),
        ({"countries": ["MM"]}, "countries"),
        ({"status": "secret"}, "draft or published"),
    ],
)
def test_bad_article_settings_are_refused(app, change, message):
    with pytest.raises(RightsError, match=message):
        services.save_article(None, **{**ARTICLE, **change})
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_two_articles_cannot_share_an_address(app):
    ArticleFactory(slug="your-pay")
    with pytest.raises(RightsError, match="already has this address"):
        services.save_article(None, **ARTICLE)


def test_text_is_normalised_and_its_html_cleaned(app):
    article = ArticleFactory(status="draft")
    zawgyi = "ေက်ာင္း"  # "school" typed in Zawgyi
    text = services.save_text(
        None,
        article,
        locale="my",
        title=zawgyi,
        summary="x",
        body_markdown="<script>alert(1)</script> [call](tel:1506) [x](javascript:alert(1))",
    )
    assert text.title == "ကျောင်း"
    assert "<script" not in text.body_html and "&lt;script&gt;" in text.body_html
    assert (
        '<a href="tel:1506"' in text.body_html
        and "javascript" not in text.body_html.split("</a>")[0]
    )


@pytest.mark.parametrize(
    "change",
    [
        {"locale": "fr"},
        {"title": "  "},
        {"summary": ""},
        {"body_markdown": "\u200b"},
        {"title": "x" * 201},
        {"body_markdown": "x" * (services.MAX_BODY + 1)},
    ],
)
def test_bad_texts_are_refused_and_nothing_is_stored(app, change):
    article = ArticleFactory(status="draft")
    values = {"locale": "en", "title": "T", "summary": "S", "body_markdown": "B"} | change
    with pytest.raises(RightsError):
        services.save_text(None, article, **values)
    assert db.session.scalar(select(func.count(ArticleText.id))) == 0


def test_a_published_article_keeps_its_last_language(app):
    text = ArticleTextFactory(locale="en")
    ArticleTextFactory(article=text.article, locale="th")
    services.delete_text(None, text.article, "th")
    with pytest.raises(RightsError, match="at least one language"):
        services.delete_text(None, text.article, "en")
    assert [t.locale for t in text.article.texts] == ["en"]


def test_a_hotline_is_saved_with_its_channels(app, user_for):
    admin = user_for(Role.ADMIN)
    hotline = services.save_hotline(admin, **HOTLINE)
    assert hotline.channels == {"line": "https://line.me/R/ti/p/@helpline"}
    assert hotline.tel == "+6621234567"
    assert not hotline.always_open
    services.delete_hotline(admin, hotline)
    assert db.session.scalar(select(func.count(Hotline.id))) == 0
    assert audit_actions() == ["hotline.create", "hotline.delete"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "FR"}, "country"),
        ({"organisation": " "}, "name"),
        ({"phone": "call 1506"}, "numbers only"),
        ({"phone": "1506; DROP TABLE"}, "numbers only"),
        ({"channels": {"line": "https://evil.example/line.me/"}}, "chat link"),
        ({"channels": {"whatsapp": "javascript:alert(1)//https://wa.me/"}}, "chat link"),
        ({"channels": {"skype": "https://wa.me/1"}}, "chat link"),
        ({"phone": "", "channels": {}}, "phone number or a chat link"),
        ({"languages": ["fr"]}, "languages"),
        ({"days": "weekends"}, "days"),
        ({"closes_at": None}, "both opening and closing"),
    ],
)
def test_bad_hotlines_are_refused(app, change, message):
    with pytest.raises(RightsError, match=message):
        services.save_hotline(None, **{**HOTLINE, **change})
    assert db.session.scalar(select(func.count(Hotline.id))) == 0


def test_a_hotline_open_all_day(app):
    hotline = HotlineFactory(opens_at=None, closes_at=None)
    assert hotline.always_open


def test_the_samples_cover_every_topic_in_six_languages_and_load_once(app):
    assert seed.load_articles() >= 12
    assert seed.load_hotlines() >= 5
    articles = db.session.scalars(select(Article)).all()
    assert {a.topic for a in articles} == {
        "before_you_go", "fees", "contracts", "wages_hours", "documents", "safety_health",
        "getting_help",
    }  # fmt: skip
    assert {"TH", "MY"} <= {c for a in articles for c in a.countries}
    for article in articles:
        assert article.demo and article.status == "published"
        assert sorted(t.locale for t in article.texts) == sorted(LOCALES), article.slug
        for text in article.texts:
            assert text.title and text.summary and "<p>" in text.body_html
            # Every link kept by the cleaner is one of the site's pages or a phone number.
            assert "javascript" not in text.body_html
    assert all(h.demo for h in db.session.scalars(select(Hotline)))
    assert (seed.load_articles(), seed.load_hotlines()) == (0, 0)


def test_every_sample_file_has_the_links_of_the_english_one():
    import re

    for folder in sorted((seed.DATA / "articles").iterdir()):
        english = re.findall(r"\]\(([^)]+)\)", (folder / "en.md").read_text())
        for locale in LOCALES:
            parsed = seed.read_article_file(folder / f"{locale}.md")
            links = re.findall(r"\]\(([^)]+)\)", parsed["body_markdown"])
            assert sorted(links) == sorted(english), (folder.name, locale)


def test_a_local_name_too_long_once_normalised_is_refused(app):
    # Each of these letters becomes two characters in NFC.
    with pytest.raises(RightsError, match="too long"):
        services.save_hotline(None, **{**HOTLINE, "organisation_local": "\u0958" * 200})


def test_two_editors_taking_the_same_address_get_a_clear_error(app, monkeypatch):
    ArticleFactory(slug="your-pay")
    # The check before saving saw the address free (another editor saved it since).
    monkeypatch.setattr(services.db.session, "scalar", lambda *args, **kwargs: None)
    with pytest.raises(RightsError, match="already has this address"):
        services.save_article(None, **ARTICLE)
