"""The search page as a reader uses it."""

from __future__ import annotations

import pytest

from goldendreams.config import LOCALES
from tests.conftest import translated
from tests.factories import (
    ArticleTextFactory,
    JobFactory,
    JobTextFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    ReviewFactory,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_search_box_is_on_every_page(client):
    for path in ("/", "/jobs/", "/directory/", "/rights/", "/help/"):
        assert 'action="/search"' in text(client.get(path))


def test_results_are_grouped_by_type_with_the_words_marked(client):
    org = OrganisationFactory(name="Songkhla Seafood")
    job = JobFactory()
    JobTextFactory(job=job, title="Seafood packer in Songkhla")
    article = ArticleTextFactory(title="Seafood work: your rights", locale="en")
    review = PublishedReviewFactory(title="Seafood plant kept our pay")
    ReviewFactory(title="Seafood secret pending review")
    page = text(client.get("/search?q=seafood"))
    assert page.index("<h2>Jobs") < page.index("<h2>Employers and agencies")
    assert page.index("<h2>Employers and agencies") < page.index("<h2>Your rights")
    assert page.index("<h2>Your rights") < page.index("<h2>Reviews")
    assert f"/jobs/{job.id}" in page and f"/organisations/{org.id}" in page
    assert f"/rights/{article.article.slug}" in page
    assert f"/organisations/{review.organisation_id}/reviews" in page
    assert "<mark>Seafood</mark>" in page
    assert "secret pending" not in page


def test_thai_words_inside_a_sentence_are_found_and_marked(client):
    review = PublishedReviewFactory(title="นายจ้าง", body="นายจ้างค่าจ้างไม่ได้จ่ายสามเดือน")
    page = text(client.get("/search", query_string={"q": "จ่าย"}))
    assert f"/organisations/{review.organisation_id}/reviews" in page
    assert "<mark>จ่าย</mark>" in page


def test_a_zawgyi_query_finds_unicode_text(client):
    job = JobFactory()
    JobTextFactory(job=job, locale="my", title="ကျောင်း ဆရာ")
    assert f"/jobs/{job.id}" in text(client.get("/search", query_string={"q": "ေက်ာင္း"}))


def test_filters_and_pages(client, app):
    for n in range(25):
        OrganisationFactory(name=f"Rubber Estate {n}", country="MY" if n % 5 else "TH")
    everything = text(client.get("/search?q=rubber"))
    assert everything.count('class="card result-organisation"') == 5
    assert "type=organisation" in everything  # "see all"
    first = text(client.get("/search?q=rubber&type=organisation&country=MY"))
    assert first.count('class="card result-organisation"') == 20
    assert "Page 1 of 1" not in first
    thai = text(client.get("/search?q=rubber&type=organisation&country=TH"))
    assert thai.count('class="card result-organisation"') == 5
    assert client.get("/search?q=rubber&type=organisation&page=9").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 201},
        {"q": "rubber", "type": "passwords"},
        {"q": "rubber", "country": "<script>"},
        {"q": "<script>alert(1)</script>"},
        {"q": "' OR 1=1 --"},
        {"q": "\x00"},
        {"q": "rubber", "page": "-1"},
        {"q": "&|!():*"},
    ],
)
def test_hostile_queries_get_a_page_not_an_error(client, query):
    OrganisationFactory(name="Rubber Estate")
    response = client.get("/search", query_string=query)
    assert response.status_code in (200, 404)
    assert "<script>alert" not in text(response)


def test_the_page_is_translated(client):
    for locale in LOCALES:
        client.set_cookie("gd_lang", locale)
        page = text(client.get("/search?q=nothing-matches-this"))
        if locale != "en":
            assert translated(locale, "Nothing found. Try another word, or fewer filters.") in page
