"""Rights pages as readers and editors use them: lists, the language fallback, hotlines, the
calculator, the offline worker and the editors' forms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from goldendreams.config import LOCALES
from goldendreams.core.auth import Role
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.extensions import db
from goldendreams.rights.models import Article, ArticleText, Hotline
from tests.conftest import translated
from tests.factories import (
    ArticleFactory,
    ArticleTextFactory,
    FeeLineFactory,
    HotlineFactory,
    JobFactory,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def article_with(*locales, **kwargs):
    article = ArticleFactory(**kwargs)
    for locale in locales:
        ArticleTextFactory(article=article, locale=locale, title=f"Title in {locale}")
    return article


# --- the list ---------------------------------------------------------------------------------


def test_list_groups_published_articles_by_topic_and_destination(client):
    everywhere = article_with("en", topic="documents")
    thailand = article_with("en", topic="wages_hours", countries=["TH"])
    malaysia = article_with("en", topic="wages_hours", countries=["MY"])
    draft = article_with("en", status="draft")
    ArticleFactory(slug="no-text-yet")
    page = text(client.get("/rights/"))
    for article in (everywhere, thailand, malaysia):
        assert f"/rights/{article.slug}" in page
    assert f"/rights/{draft.slug}" not in page and "/rights/no-text-yet" not in page
    assert page.index("Wages and hours") < page.index("Documents")  # topics in their order
    in_thailand = text(client.get("/rights/?country=TH"))
    assert f"/rights/{thailand.slug}" in in_thailand and f"/rights/{everywhere.slug}" in in_thailand
    assert f"/rights/{malaysia.slug}" not in in_thailand


def test_a_bad_filter_is_ignored(client):
    article_with("en")
    response = client.get("/rights/?country=%3Cscript%3E")
    assert response.status_code == 200 and "<script>" not in text(response)


# --- the language rule ------------------------------------------------------------------------


def test_the_reader_gets_their_language(client):
    article = article_with("en", "th")
    client.set_cookie("gd_lang", "th")
    page = text(client.get(f"/rights/{article.slug}"))
    assert "Title in th" in page and "Title in en" not in page
    assert translated("th", "This article is not written in %(language)s yet. Here it is in "
                      "%(other)s.").split("%")[0] not in page  # fmt: skip
    assert f'href="/rights/{article.slug}?lang=en"' in page


@pytest.mark.parametrize("reader", [code for code in LOCALES if code not in ("en", "th")])
def test_a_missing_language_falls_back_to_english_with_a_notice(client, reader):
    article = article_with("th", "en")
    client.set_cookie("gd_lang", reader)
    page = text(client.get(f"/rights/{article.slug}"))
    assert "Title in en" in page
    notice = translated(reader, "This article is not written in %(language)s yet. Here it is in "
                        "%(other)s.")  # fmt: skip
    expected = notice.replace("%(language)s", LANGUAGE_NAMES[reader]).replace(
        "%(other)s", LANGUAGE_NAMES["en"]
    )
    assert expected in page
    # ... and links to every other version.
    assert f'href="/rights/{article.slug}?lang=th"' in page


def test_without_english_another_version_is_shown(client):
    article = article_with("ne")
    client.set_cookie("gd_lang", "my")
    page = text(client.get(f"/rights/{article.slug}"))
    assert "Title in ne" in page and 'lang="ne"' in page


def test_a_reader_may_ask_for_another_version(client):
    article = article_with("en", "km", "lo")
    client.set_cookie("gd_lang", "km")
    page = text(client.get(f"/rights/{article.slug}?lang=lo"))
    assert "Title in lo" in page
    assert "not written in" not in page  # they chose it: no notice
    assert "Title in km" in text(client.get(f"/rights/{article.slug}?lang=fr"))


def test_drafts_and_unknown_articles_are_not_found(client):
    draft = article_with("en", status="draft")
    assert client.get(f"/rights/{draft.slug}").status_code == 404
    assert client.get("/rights/nothing-here").status_code == 404


def test_the_body_is_the_cleaned_html_and_sample_text_is_marked(client):
    article = article_with("en", demo=True)
    page = text(client.get(f"/rights/{article.slug}"))
    assert "You do <strong>not</strong> pay for your visa." in page
    assert "This is sample text." in page


# --- hotlines ---------------------------------------------------------------------------------


def test_help_is_linked_from_every_page(client):
    for path in ("/", "/jobs/", "/directory/", "/rights/"):
        assert 'href="/help/"' in text(client.get(path))


def test_hotlines_of_the_chosen_country_are_remembered(client):
    thai = HotlineFactory(country="TH", demo=True)
    malaysian = HotlineFactory(country="MY", phone="999", channels={})
    page = text(client.get("/help/"))
    assert thai.organisation in page and malaysian.organisation in page
    response = client.get("/help/?country=MY")
    assert "gd_country=MY" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    page = text(client.get("/help/"))  # the cookie now chooses
    assert malaysian.organisation in page and thai.organisation not in page
    assert 'href="tel:999"' in page


def test_a_hotline_shows_how_to_reach_it(client):
    HotlineFactory(
        country="TH",
        phone="+66 (0)2 123-4567",
        channels={"line": "https://line.me/R/ti/p/@help", "whatsapp": "https://wa.me/6621234567"},
        languages=["my", "km"],
        demo=True,
    )
    client.set_cookie("gd_lang", "my")
    page = text(client.get("/help/?country=TH"))
    assert 'href="tel:+6621234567"' in page
    assert 'href="https://line.me/R/ti/p/@help"' in page and ">WhatsApp<" in page
    assert "မြန်မာ" in page  # the languages spoken, in the reader's language
    assert translated("my", "not checked yet") in page


def test_every_country_again_after_choosing_one(client):
    thai = HotlineFactory(country="TH")
    malaysian = HotlineFactory(country="MY")
    client.get("/help/?country=TH")
    response = client.get("/help/?country=all")
    assert "gd_country=;" in response.headers["Set-Cookie"]  # forgotten
    page = text(response)
    assert thai.organisation in page and malaysian.organisation in page


def test_the_calculator_says_why_and_asks_the_rate_the_right_way_round(client):
    page = text(client.get(CALCULATE.replace("fee_currency=THB", "fee_currency=USD")))
    assert "How many USD make 1 THB?" in page
    assert "nothing is left to pay back" in text(client.get(CALCULATE + "&living=12000"))


def test_a_country_without_hotlines_says_so_and_a_bad_country_is_not_found(client):
    assert "We have no hotline for this country yet." in text(client.get("/help/?country=LA"))
    assert client.get("/help/?country=ZZ").status_code == 404


# --- the calculator ---------------------------------------------------------------------------

CALCULATE = "/rights/calculator?fee=30000&fee_currency=THB&wage=12000&wage_currency=THB"


def test_the_calculator_answers_and_warns(client):
    page = text(client.get(CALCULATE + "&living=7000&interest=5"))
    assert "About 8 months of work" in page
    assert "That is more than 3 months." in page
    assert "36,578.12" in page
    short = text(client.get(CALCULATE + "&living=0"))
    assert "About 3 months of work" in short and "That is more than" not in short


def test_the_calculator_links_to_the_fees_article(client):
    article_with("en", slug="recruitment-fees")
    assert 'href="/rights/recruitment-fees"' in text(client.get(CALCULATE))


def test_the_calculator_says_when_fees_cannot_be_paid_back(client):
    page = text(client.get(CALCULATE + "&living=12000"))
    assert "You cannot pay this back." in page


def test_different_money_needs_a_rate(client):
    asks = text(client.get(CALCULATE.replace("fee_currency=THB", "fee_currency=MMK")))
    assert "Enter the rate." in asks and "months of work" not in asks
    page = text(
        client.get(
            CALCULATE.replace("fee=30000", "fee=3000000").replace(
                "fee_currency=THB", "fee_currency=MMK"
            )
            + "&living=7000&rate=60"
        )
    )
    assert "About 10 months of work" in page


@pytest.mark.parametrize(
    "query",
    [
        "fee=abc&fee_currency=THB&wage=12000&wage_currency=THB",
        "fee=NaN&fee_currency=THB&wage=12000&wage_currency=THB",
        "fee=Infinity&fee_currency=THB&wage=12000&wage_currency=THB",
        "fee=-5&fee_currency=THB&wage=12000&wage_currency=THB",
        "fee=1e400&fee_currency=THB&wage=12000&wage_currency=THB",
        "fee=100&fee_currency=THB&wage=&wage_currency=THB",
        "fee=100&fee_currency=XXX&wage=100&wage_currency=THB",
        "fee=100&fee_currency=THB&wage=100&wage_currency=THB&interest=101",
        "fee=100&fee_currency=THB&wage=100&wage_currency=THB&living=%3Cscript%3E",
        "fee=" + "9" * 5000 + "&fee_currency=THB&wage=100&wage_currency=THB",
    ],
)
def test_bad_numbers_get_a_clear_error_in_the_readers_language(client, query):
    client.set_cookie("gd_lang", "lo")
    response = client.get(f"/rights/calculator?{query}")
    page = text(response)
    assert response.status_code == 200
    assert 'class="error"' in page and "<script>" not in page
    assert 'class="result"' not in page


def test_a_job_page_links_to_the_calculator_filled_in(client):
    job = JobFactory(employer_pays=False, monthly_salary=Decimal(12000), salary_currency="THB")
    FeeLineFactory(job=job, paid_by="worker", amount=Decimal(18000), currency="THB")
    page = text(client.get(f"/jobs/{job.id}"))
    link = re.search(r'href="(/rights/calculator\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "fee=18000" in link and "wage=12000" in link and "wage_currency=THB" in link
    assert "About 2 months of work" in text(client.get(link + "&living=0"))
    free = JobFactory(employer_pays=True)
    assert "/rights/calculator" not in text(client.get(f"/jobs/{free.id}"))


# --- offline reading --------------------------------------------------------------------------


def test_the_offline_worker_is_served_from_the_root_and_only_rights_pages_load_it(client):
    with client.get("/sw.js") as response:
        assert response.status_code == 200 and "javascript" in response.content_type
        assert response.headers["Cache-Control"] == "no-cache"
    article = article_with("en")
    for path in ("/rights/", f"/rights/{article.slug}", "/help/"):
        assert "/static/offline.js" in text(client.get(path))
    for path in ("/", "/jobs/", "/rights/calculator", "/check"):
        assert "offline.js" not in text(client.get(path))


# --- editors ----------------------------------------------------------------------------------


def test_a_moderator_writes_previews_and_publishes_an_article(client, login_as):
    login_as(Role.MODERATOR)
    response = client.post(
        "/staff/rights/new",
        data={
            "slug": "your-rest-day",
            "topic": "wages_hours",
            "countries": ["TH"],
            "status": "draft",
            "position": "1",
            "demo": "",
        },
    )
    article = db.session.scalar(select(Article).filter_by(slug="your-rest-day"))
    assert response.status_code == 302 and article.countries == ["TH"]
    body = "## Rest\n\nOne day a week. <script>alert(1)</script> [x](javascript:alert(1))"
    fields = {"title": "ວັນພັກ", "summary": "ສັ້ນໆ", "body_markdown": body}
    preview = client.post(f"/staff/rights/{article.id}/lo", data={**fields, "preview": "1"})
    page = text(preview)
    assert "<h3>Rest</h3>" in page and "<script>alert" not in page
    assert db.session.scalar(select(func.count(ArticleText.id))) == 0  # a preview saves nothing
    client.post(f"/staff/rights/{article.id}/lo", data={**fields, "submit": "1"})
    client.post(
        f"/staff/rights/{article.id}",
        data={"slug": "your-rest-day", "topic": "wages_hours", "status": "published"},
    )
    client.set_cookie("gd_lang", "lo")
    public = text(client.get("/rights/your-rest-day"))
    assert "ວັນພັກ" in public and "<h3>Rest</h3>" in public
    assert "<script>alert" not in public and 'href="javascript' not in public


def test_an_editor_sees_rule_errors_and_keeps_what_was_typed(client, login_as):
    login_as(Role.ADMIN)
    page = text(
        client.post(
            "/staff/rights/new",
            data={"slug": "Bad Address!", "topic": "fees", "status": "published"},
        )
    )
    assert "Use only small English letters" in page and 'value="Bad Address!"' in page
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_an_admin_adds_edits_and_deletes_a_hotline(client, login_as):
    login_as(Role.ADMIN)
    fields = {"country": "MY", "organisation": "Migrant Helpline", "phone": "+60 3 1234 5678",
              "whatsapp": "https://wa.me/60312345678", "languages": ["my", "ne"],
              "days": "every_day", "opens_at": "", "closes_at": ""}  # fmt: skip
    assert client.post("/staff/hotlines/new", data=fields).status_code == 302
    hotline = db.session.scalar(select(Hotline))
    assert hotline.channels == {"whatsapp": "https://wa.me/60312345678"} and hotline.always_open
    form = text(client.get(f"/staff/hotlines/{hotline.id}"))
    assert 'value="https://wa.me/60312345678"' in form
    bad = text(
        client.post(f"/staff/hotlines/{hotline.id}", data={**fields, "line": "https://x.example"})
    )
    assert "A chat link does not look right." in bad and 'value="https://x.example"' in bad
    client.post(f"/staff/hotlines/{hotline.id}/delete")
    assert db.session.scalar(select(func.count(Hotline.id))) == 0
