"""Case pages as each reader sees them: organisations never see the reporter or internals."""

import re

from sqlalchemy import select

from goldendreams.cases import services, taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.factories import (
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    ReviewFactory,
    UserFactory,
    consent_to_refer,
    network_cso,
    referred,
)

SECRET_REVIEW_TEXT = "Supervisor Somchai took my passport on the first day"


def referred_case_from_review():
    """A referred case from a review whose writer has answered, with every kind of secret."""
    from goldendreams.reviews import services as review_services
    from tests.reviews.test_services import GOOD

    taxonomy.load()
    network_cso()  # the routing rules' default takes the case
    fields = {**GOOD.__dict__, "body": SECRET_REVIEW_TEXT, "title": "Passport taken",
              "sub_ratings": {}}  # fmt: skip
    review, code = review_services.submit_review(OrganisationFactory(), GOOD.__class__(**fields))
    case = services.open_from_review(review, UserFactory(role="moderator"), ["ILO-07"], "high", 4)
    worker = UserFactory(role="caseworker")
    services.move(case, worker, "triaged")
    consent_to_refer(case)
    services.move(case, worker, "referred")
    services.record_remediation(case, worker, "documents_returned", None, None, 4, None)
    services.worker_answer(case, "partly", "Comment from Ma Hla: mine is still missing")
    case.summary, case.contact = "Internal summary: Ma Hla, line 3", "LINE ma.hla.private"
    CaseEventFactory(case=case, text="Internal: the worker is afraid.")
    db.session.commit()
    case.tracking_code = code
    return case, review


def secrets_of(case, review) -> tuple[str, ...]:
    return (SECRET_REVIEW_TEXT, "Passport taken", "Internal summary", "ma.hla.private",
            "the worker is afraid", "Comment from Ma Hla", case.tracking_code,
            f"/moderation/reviews/{review.id}")  # fmt: skip


def test_organisation_sees_only_shared_parts(client, login_as):
    case, review = referred_case_from_review()
    login_as(Role.EMPLOYER_STAFF, organisation=case.organisation)
    pages = [
        client.get(f"/portal/{case.organisation_id}/cases/").get_data(as_text=True),
        client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}").get_data(as_text=True),
    ]
    for page in pages:
        assert case.reference in page
        for secret in secrets_of(case, review):
            assert secret not in page
    assert client.get(f"/moderation/reviews/{review.id}").status_code == 403
    assert client.get("/cases/export.csv").status_code == 403


def test_organisations_do_not_see_cases_before_referral(client, login_as):
    taxonomy.load()
    case = CaseFactory(status="triaged")
    login_as(Role.EMPLOYER_STAFF, organisation=case.organisation)
    assert client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}").status_code == 404
    listing = client.get(f"/portal/{case.organisation_id}/cases/").get_data(as_text=True)
    assert case.reference not in listing


def test_other_organisations_get_nothing(client, login_as):
    case, _review = referred_case_from_review()
    other = OrganisationFactory()
    login_as(Role.EMPLOYER_STAFF, organisation=other)
    assert client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}").status_code == 403
    assert client.get(f"/portal/{other.id}/cases/{case.public_id}").status_code == 404


def test_organisation_records_a_fee_repayment(client, login_as):
    case, _review = referred_case_from_review()
    login_as(Role.EMPLOYER_STAFF, organisation=case.organisation)
    url = f"/portal/{case.organisation_id}/cases/{case.public_id}/remediation"
    client.post(url, data={"kind": "fee_repayment", "amount": "abc", "currency": "THB"})
    client.post(url, data={"kind": "fee_repayment", "amount": "20000", "currency": "THB",
                           "workers": "4", "text": "Paid back in cash"})  # fmt: skip
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    amounts = [e.amount for e in stored.events if e.kind == "remediation"]
    assert 20000 in amounts and stored.status == "in_remediation"  # the bad amount was refused
    assert len(amounts) == 2  # the one recorded by the caseworker, and the employer's


def test_caseworker_pages_and_csv(client, login_as):
    case, _review = referred_case_from_review()
    login_as(Role.CASEWORKER)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Internal summary" in page and "ma.hla.private" in page
    csv = client.get("/cases/export.csv").get_data(as_text=True)
    assert case.reference in csv and "Internal summary" in csv
    overdue = client.get("/cases/?show=overdue").get_data(as_text=True)
    assert case.reference not in overdue


def test_brand_dashboard_and_csv_show_shared_fields_only(client, login_as):
    case, review = referred_case_from_review()
    brand = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=case.organisation)
    for _ in range(2):  # three cases: enough for the bars to show
        referred(CaseFactory(organisation=case.organisation, status="referred"))
    login_as(Role.BRAND, organisation=brand)
    page = client.get("/brand/").get_data(as_text=True)
    assert case.reference in page and "<svg" in page
    csv = client.get("/brand/cases.csv").get_data(as_text=True)
    assert case.reference in csv
    for secret in secrets_of(case, review):
        assert secret not in page and secret not in csv


def test_worker_sees_the_case_and_answers_with_the_code(client):
    taxonomy.load()
    network_cso()
    from goldendreams.reviews import services as review_services
    from tests.reviews.test_services import GOOD

    review, code = review_services.submit_review(OrganisationFactory(), GOOD.__class__(
        **{**GOOD.__dict__, "sub_ratings": {}}))  # fmt: skip
    case = services.open_from_review(review, UserFactory(role="moderator"), ["FEE-01"], "low", 1)
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "We opened a case from your review." in page and "Was it fixed?" not in page
    case.status = "referred"
    db.session.commit()
    services.record_remediation(case, UserFactory(role="caseworker"), "fee_repayment",
                                None, None, None, None)  # fmt: skip
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "Was it fixed?" in page
    client.post("/check/answer", data={"code": code, "answer": "partly", "comment": "Half"})
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer == "partly"
    assert (
        client.post("/check/answer", data={"code": "2222-2222-2222", "answer": "yes"}).status_code
        == 400
    )


def test_public_metrics_page_suppresses_small_numbers(client):
    taxonomy.load()
    CaseFactory()
    page = client.get("/metrics").get_data(as_text=True)
    assert "fewer than 3" in page
    assert not re.search(r">\s*1\s*<", page)


def test_moderator_opens_a_case_from_the_review_page(client, login_as):
    taxonomy.load()
    network_cso()
    login_as(Role.MODERATOR)
    review = ReviewFactory(fees_paid="yes")
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="FEE-01"', page)  # suggested by the answers
    data = {"categories": ["FEE-01", "ILO-05"], "severity": "low", "workers": "2"}
    client.post(f"/moderation/reviews/{review.id}/case", data=data)
    case = db.session.scalars(select(Case)).one()
    assert case.severity == "urgent" and case.review_id == review.id


def test_acting_on_another_organisations_case_through_ones_own_address(client, login_as):
    case, _review = referred_case_from_review()
    other = OrganisationFactory()
    login_as(Role.EMPLOYER_STAFF, organisation=other)
    assert client.post(f"/portal/{other.id}/cases/{case.public_id}/acknowledge").status_code == 404
    db.session.expire_all()
    assert "acknowledged" not in [e.kind for e in db.session.get(Case, case.id).events]


def test_numbers_no_row_can_have_are_404(client, login_as):
    login_as(Role.CASEWORKER)
    for url in ("/cases/99999999999999999999", "/organisations/99999999999999999999"):
        assert client.get(url).status_code == 404
    case, _review = referred_case_from_review()
    response = client.post(f"/cases/{case.id}/assign", data={"assignee_id": "9" * 30})
    assert response.status_code == 302
