"""The charts on the pages: drawn on the server, valid SVG, small, accessible, in every
language; the public page shows public figures only."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from babel.dates import format_skeleton
from flask import render_template

from goldendreams.core.auth import Role
from goldendreams.trends import sections
from tests.factories import BuyerFactory, OrganisationFactory, OrganisationLinkFactory
from tests.trends.factories import case_at, cases_at, last_quarter, paid, problem_review

LOCALES = ("en", "my", "km", "th", "lo", "ne")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
#: Each chart's SVG stays small (a page has up to six or seven).
BUDGET = 2048


def busy(org):
    """Every figure of the last quarter shown: 4 reviews with a problem, 6 cases opened
    and fixed (3 confirmed by the workers), money paid back in two currencies."""
    quarter = last_quarter()
    day = quarter.first + timedelta(days=3)
    fixed = day + timedelta(days=20)
    for _ in range(4):
        problem_review(org, day)
    done = cases_at(org, 3, day, resolved=fixed, outcome="resolved_confirmed")
    others = cases_at(org, 3, day, resolved=fixed, outcome="resolved_unconfirmed")
    for case in done:  # 125,100: shown as 125,000
        paid(case, "41700", "THB", fixed)
    for case, amount in zip(others, ("1400", "1400", "1300"), strict=True):
        paid(case, amount, "MYR", fixed)
    return quarter


def quarter_label_in(locale: str) -> str:
    """How the last quarter is written in ``locale`` (CLDR's "yQQQ" skeleton)."""
    return format_skeleton("yQQQ", last_quarter().first, locale=locale)


def svgs(html: str) -> list[ET.Element]:
    found = SVG.findall(html)
    for svg in found:
        assert len(svg.encode()) <= BUDGET, len(svg.encode())
    return [ET.fromstring(svg) for svg in found]  # noqa: S314 - our own page


@pytest.mark.parametrize("locale", LOCALES)
def test_the_public_page_draws_valid_small_accessible_charts(app, client, locale):
    org = OrganisationFactory()
    busy(org)
    html = client.get(f"/organisations/{org.id}", headers={"Accept-Language": locale}).get_data(
        as_text=True
    )
    assert f'<html lang="{locale}"' in html
    assert quarter_label_in(locale) in html
    charts = svgs(html)
    assert len(charts) == 7  # issues, opened, fixed, days, share, THB, MYR
    ns = "{http://www.w3.org/2000/svg}"
    for svg in charts:
        assert svg.get("role") == "img"
        title = svg.find(f"{ns}title")
        assert title is not None and title.text
        assert svg.get("aria-labelledby") == title.get("id")
        assert svg.get("viewBox").startswith("0 0 320 ")
        assert svg.get("width") == "100%"
        assert svg.findall(f"{ns}rect")  # bars drawn
    assert "<table" in html  # the same figures as a table for screen readers


def test_figures_are_formatted_in_the_readers_language(app, client):
    org = OrganisationFactory()
    busy(org)
    page = client.get(f"/organisations/{org.id}", headers={"Accept-Language": "en"})
    english = page.get_data(as_text=True)
    assert "THB125,000" in english and "MYR4,100" in english and "50%" in english
    page = client.get(f"/organisations/{org.id}", headers={"Accept-Language": "th"})
    assert "ไตรมาส" in page.get_data(as_text=True)  # "quarter", as CLDR writes it in Thai


def test_two_cases_draw_nothing_three_draw_a_bar(app, client):
    quarter = last_quarter()
    org = OrganisationFactory()
    cases_at(org, 2, quarter.first + timedelta(days=1))
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert not SVG.findall(html)
    assert "Too few reports to show trends yet." in html
    case_at(org, quarter.first + timedelta(days=1))
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    (opened,) = svgs(html)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(opened.findall(f"{ns}rect")) == 1  # one quarter with 3: one bar
    assert "fewer than 3" in SVG.findall(html)[0]  # the other quarters say so


def test_the_public_page_does_not_count_cases_the_organisation_was_not_told_of(app, client):
    quarter = last_quarter()
    org = OrganisationFactory()
    cases_at(org, 5, quarter.first + timedelta(days=1), shared=False)
    cases_at(org, 3, quarter.first + timedelta(days=1))
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    (opened,) = svgs(html)
    texts = [t.text for t in opened.iter("{http://www.w3.org/2000/svg}text")]
    assert "3" in texts and "8" not in texts and "5" not in texts


def test_the_public_page_is_the_same_for_every_reader(app, client, login_as):
    org = OrganisationFactory(kind="employer")
    busy(org)
    anonymous = SVG.findall(client.get(f"/organisations/{org.id}").get_data(as_text=True))
    login_as(Role.EMPLOYER_STAFF, org)
    staff = SVG.findall(client.get(f"/organisations/{org.id}").get_data(as_text=True))
    assert anonymous == staff


def test_a_cso_page_has_no_trends(app, client):
    from tests.factories import CsoFactory

    cso = CsoFactory()
    html = client.get(f"/organisations/{cso.id}").get_data(as_text=True)
    assert "Trends by quarter" not in html


@pytest.mark.parametrize("locale", LOCALES)
def test_the_portal_shows_its_own_trends(app, client, login_as, locale):
    org = OrganisationFactory(kind="employer")
    busy(org)
    case_at(org, last_quarter().first)  # today counts here, and the portal's own cases
    login_as(Role.EMPLOYER_STAFF, org)
    html = client.get(f"/portal/{org.id}/cases/", headers={"Accept-Language": locale})
    html = html.get_data(as_text=True)
    assert quarter_label_in(locale) in html
    assert len(svgs(html)) == 7


def test_another_organisations_staff_do_not_see_the_portal_trends(app, user_for):
    org = OrganisationFactory(kind="employer")
    other = user_for(Role.EMPLOYER_STAFF)
    with app.test_request_context():
        from flask_login import login_user

        login_user(other)
        assert sections.portal_cases(org=org) is None


@pytest.mark.parametrize("locale", LOCALES)
def test_the_brand_section_renders(app, user_for, locale):
    brand = BuyerFactory()
    supplier = OrganisationFactory()
    OrganisationLinkFactory(source=brand, target=supplier, kind="buys_from")
    busy(supplier)
    user = user_for(Role.BRAND, brand)
    assert sections.brand_context(user_for(Role.BRAND), brand) is None  # another brand
    with app.test_request_context("/", headers={"Accept-Language": locale}):
        extra = sections.brand_context(user, brand)
        html = render_template("trends/_brand.html", **extra)
    assert len(svgs(html)) == 7
    assert quarter_label_in(locale) in html
    assert supplier.name in html


def test_the_compare_partial_draws_the_chain_from_its_figures(app, user_for):
    """As the brand dashboard includes it: comparison and the quarterly figures."""
    from goldendreams.trends import queries

    brand = BuyerFactory()
    supplier = OrganisationFactory()
    OrganisationLinkFactory(source=brand, target=supplier, kind="buys_from")
    busy(supplier)
    with app.test_request_context("/"):
        html = render_template(
            "trends/_compare.html",
            comparison=queries.supplier_comparison(brand.id),
            trends=queries.brand_trends(brand.id),
        )
        alone = render_template(
            "trends/_compare.html", comparison=queries.supplier_comparison(brand.id)
        )
    assert len(svgs(html)) == 7 and supplier.name in html
    assert not svgs(alone) and supplier.name in alone
