"""Cases record the stage of migration (issue 21); figures by route (origin → destination)
and by stage on /metrics and the brand dashboard, small numbers hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.cases import corridors, demo, services, taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.reviews.choices import MigrationStage
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    PublishedReviewFactory,
    ReviewFactory,
    UserFactory,
    network_cso,
    referred,
)

AT_WORK, BEFORE = MigrationStage.AT_WORK, MigrationStage.BEFORE_LEAVING


def case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def last_month_days() -> int:
    """Days back to a day of last month: the figures count what came before this one."""
    return (today() - corridors.month_began()).days + 2


def shared_cases(employer, count: int, country: str | None, stage: str | None) -> None:
    """``count`` cases at ``employer`` referred to it last month."""
    for _ in range(count):
        referred(
            CaseFactory(organisation=employer, worker_country=country, migration_stage=stage),
            days_ago=last_month_days(),
        )


def published_reviews(org, count: int, country: str | None, stage: str | None) -> None:
    """``count`` reviews of ``org`` published last month."""
    for _ in range(count):
        PublishedReviewFactory(
            organisation=org, origin_country=country, migration_stage=stage,
            published_on=today() - timedelta(days=last_month_days()),
        )  # fmt: skip


# --- the case records the stage -----------------------------------------------------------


@pytest.fixture
def network(app):
    """The issues and the test network's CSO, which takes every case."""
    taxonomy.load()
    return network_cso()


def test_a_case_from_a_review_takes_its_origin_and_stage(network):
    review = ReviewFactory(
        organisation=OrganisationFactory(), origin_country="KH", migration_stage="in_transit"
    )
    moderator = UserFactory(role="moderator")
    case = services.open_from_review(review, moderator, ["FEE-01"], "low", 1)
    assert (case.worker_country, case.migration_stage) == ("KH", "in_transit")


def test_a_review_without_answers_opens_a_case_without_them(network):
    review = ReviewFactory(organisation=OrganisationFactory())
    case = services.open_from_review(review, UserFactory(role="moderator"), ["FEE-01"], "low", 1)
    assert case.worker_country is None and case.migration_stage is None


def test_a_caseworker_logs_the_stage(network, user_for):
    worker = user_for(Role.CASEWORKER)
    case = services.open_hotline_case(
        worker, OrganisationFactory(), "hotline", ["FEE-01"], "low", 1, "Owes a broker.", None,
        "MM", "my", "before_leaving",
    )  # fmt: skip
    assert case.migration_stage == "before_leaving"


@pytest.mark.parametrize("stage", ["home", "AT_WORK", "x" * 40])
def test_a_stage_outside_the_list_is_refused(network, user_for, stage):
    worker = user_for(Role.CASEWORKER)
    with pytest.raises(services.CaseError):
        services.open_hotline_case(
            worker, OrganisationFactory(), "hotline", ["FEE-01"], "low", 1, "Owes a broker.",
            None, "MM", "my", stage,
        )  # fmt: skip
    db.session.rollback()
    assert case_count() == 0


def test_the_new_case_form(network, client, login_as):
    login_as(Role.CASEWORKER)
    employer = OrganisationFactory()
    page = client.get("/cases/new").get_data(as_text=True)
    assert "When the problem happened" in page and 'value="on_return"' in page
    data = {
        "organisation_id": str(employer.id), "source": "hotline", "categories": ["FEE-01"],
        "severity": "low", "workers": "2", "summary": "Wages not paid for two months.",
        "worker_country": "LA", "worker_language": "lo", "migration_stage": "at_work",
    }  # fmt: skip
    response = client.post("/cases/new", data={**data, "migration_stage": "later"})
    assert response.status_code == 200 and case_count() == 0
    page = response.get_data(as_text=True)
    assert "Choose an answer from the list." in page
    assert "Wages not paid for two months." in page  # nothing lost
    assert client.post("/cases/new", data=data).status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert (case.worker_country, case.migration_stage) == ("LA", "at_work")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Laos" in page and "At work" in page


# --- the figures --------------------------------------------------------------------------


def test_small_numbers_are_hidden():
    review_rows = [
        ("MM", "TH", "at_work", 9), ("LA", "MY", None, 7), ("KH", "TH", "at_work", 1),
        ("NP", "MY", None, 5),
    ]  # fmt: skip
    case_rows = [("MM", "TH", "before_leaving", 2), (None, "TH", "at_work", 9)]
    tables = corridors._tables(review_rows, case_rows)
    routes = {row.key: (row.reviews, row.cases) for row in tables["by_route"]}
    # KH → TH (1) is hidden, so the smallest other (NP → MY) goes too: else 1 would be the
    # total less the lines shown. A line with nothing shown is left out.
    assert routes == {("LA", "MY"): (7, 0), ("MM", "TH"): (9, None)}
    stages = {row.key: (row.reviews, row.cases) for row in tables["by_stage"]}
    # Cases: 2 before leaving hidden, so the 9 at work too.
    assert stages == {"at_work": (10, None)}


def test_one_small_line_alone_is_hidden():
    tables = corridors._tables([("MM", "TH", "at_work", 2)], [])
    assert tables == {"by_route": [], "by_stage": []}


def test_an_agency_at_home_ends_its_route_unknown():
    tables = corridors._tables([("NP", "NP", None, 3), ("TH", "TH", None, 7)], [])
    assert [(row.key, row.reviews) for row in tables["by_route"]] == [(("NP", ""), 3)]


def test_public_figures_count_what_was_public_before_the_month_began(app):
    employer, agency = OrganisationFactory(country="TH"), AgencyFactory(country="MM")
    published_reviews(employer, 3, "MM", AT_WORK)
    published_reviews(agency, 4, "MM", BEFORE)
    # This month's: counted from next month (a day's change would tell who wrote it).
    PublishedReviewFactory(organisation=employer, origin_country="MM", published_on=today())
    PublishedReviewFactory(
        organisation=employer, origin_country="MM", published_on=corridors.month_began()
    )
    for _ in range(3):  # waiting for a moderator: never counted
        ReviewFactory(organisation=employer, origin_country="KH", migration_stage=AT_WORK)
    shared_cases(employer, 3, "KH", AT_WORK)
    for _ in range(5):  # not referred to the employer yet: not public
        CaseFactory(organisation=employer, worker_country="LA", migration_stage=AT_WORK)
    figures = corridors.public_corridors()
    routes = {row.key: (row.reviews, row.cases) for row in figures["by_route"]}
    assert routes == {("KH", "TH"): (0, 3), ("MM", ""): (4, 0), ("MM", "TH"): (3, 0)}
    stages = {row.key: (row.reviews, row.cases) for row in figures["by_stage"]}
    assert stages == {"before_leaving": (4, 0), "at_work": (3, 3)}


def test_metrics_show_the_table(client):
    employer = OrganisationFactory(country="MY")
    published_reviews(employer, 3, "NP", AT_WORK)
    shared_cases(employer, 4, "NP", AT_WORK)
    shared_cases(employer, 1, "MM", BEFORE)
    page = client.get("/metrics").get_data(as_text=True)
    assert "By route: from → to" in page
    assert "Nepal → Malaysia" in page
    assert "Myanmar" not in page  # one case: nothing shows


def _brand_with_staff(client, login_as):
    employer, brand = OrganisationFactory(country="TH"), BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=employer)
    login_as(Role.BRAND, brand)
    return employer, brand


def test_the_brand_dashboard_shows_its_supply_chain_by_route(client, login_as):
    employer, _brand = _brand_with_staff(client, login_as)
    shared_cases(employer, corridors.BRAND_MIN_TOTAL, "KH", AT_WORK)
    elsewhere = OrganisationFactory(country="TH")  # not the brand's supplier
    shared_cases(elsewhere, 5, "MM", AT_WORK)
    shared_cases(elsewhere, 1, "LA", BEFORE)
    page = client.get("/brand/").get_data(as_text=True)
    assert "By route: from → to" in page
    assert "Cambodia → Thailand" in page
    assert "Laos" not in page and "Myanmar" not in page
    panel = page[page.index('id="routes"') :]
    assert "10" in panel and "At work" in panel and "Before leaving" not in panel


def test_a_brand_with_few_reviews_sees_no_route(client, login_as):
    """Three reviews of its one supplier, all from Myanmar: one line would tell where each
    writer comes from. Under BRAND_MIN_TOTAL a column is hidden whole."""
    employer, _brand = _brand_with_staff(client, login_as)
    published_reviews(employer, 3, "MM", AT_WORK)
    shared_cases(employer, corridors.BRAND_MIN_TOTAL, "KH", AT_WORK)
    panel = client.get("/brand/").get_data(as_text=True)
    panel = panel[panel.index('id="routes"') :]
    assert "Cambodia → Thailand" in panel
    assert "Myanmar" not in panel


def test_the_brand_panel_is_for_the_brands_own_staff(app, client, login_as):
    _employer, brand = _brand_with_staff(client, login_as)
    from flask_login import current_user

    from goldendreams.brands.panels import corridor_panel

    with app.test_request_context():
        assert corridor_panel(None) is None
        assert current_user.is_anonymous and corridor_panel(brand) is None


def test_the_demo_gives_answers_once(app):
    employer = OrganisationFactory()
    review = PublishedReviewFactory(organisation=employer, title="They keep our passports")
    other = PublishedReviewFactory(organisation=employer, origin_country="NP")
    cases = [CaseFactory(organisation=employer, summary=demo.TRENDS_MARK) for _ in range(10)]
    demo.seed()
    demo.seed()
    assert (review.origin_country, review.migration_stage) == ("MM", "at_work")
    assert other.origin_country == "NP" and other.migration_stage is None
    assert {c.worker_country for c in cases} == {"MM", "KH", "LA"}
    assert all(c.migration_stage for c in cases)
    assert network_cso() is not None
