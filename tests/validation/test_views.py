"""The pages in a browser-like client: the organisation signs off with files, the
caseworker sees everything and verifies, brands see what was shared; files come back as
safe downloads; worker answers and notes reach no organisation or brand."""

from __future__ import annotations

import io

import pytest
from flask import request
from flask_login import login_user
from sqlalchemy import func, select

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.validation import evidence, queries, views
from goldendreams.validation.models import SignOff
from tests.conftest import login
from tests.factories import BuyerFactory, OrganisationLinkFactory, UserFactory
from tests.validation.factories import (
    FILENAME,
    PDF,
    PNG,
    STATEMENT,
    EvidenceFactory,
    SignOffFactory,
    VerificationFactory,
    brand_consent,
    remediated,
)

SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


@pytest.fixture
def case():
    case = remediated()
    case.worker_answer, case.worker_comment = "partly", "Only half zqworkerwords"
    db.session.commit()
    return case


def sign_off_url(case) -> str:
    return f"/portal/{case.organisation_id}/validation/{case.public_id}/sign-off"


def assert_safe_download(response, body: bytes) -> None:
    assert response.status_code == 200
    assert response.data == body
    for name, value in SAFE_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert FILENAME not in response.headers["Content-Disposition"]


def test_the_organisation_signs_off_with_files(client, case):
    staff = UserFactory(role=Role.EMPLOYER_STAFF, organisation=case.organisation)
    login(client, staff)
    portal = client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}")
    assert sign_off_url(case) in portal.get_data(as_text=True)
    page = client.get(sign_off_url(case))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text

    data = {
        "statement": STATEMENT, "signer_title": "HR manager",
        "files": [(io.BytesIO(PDF), FILENAME, "image/png"), (io.BytesIO(PNG), "list.png")],
    }  # fmt: skip
    response = client.post(sign_off_url(case), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    signoff = queries.latest_signoff(case)
    assert [e.content_type for e in signoff.evidence] == ["application/pdf", "image/png"]

    portal = client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}").text
    assert "HR manager" in portal and case.organisation.name in portal
    assert staff.email not in portal  # the organisation signs, never a person
    assert "zqworkerwords" not in portal
    first = signoff.evidence[0]
    url = f"/portal/{case.organisation_id}/validation/{case.public_id}/evidence/{first.public_id}"
    assert url in portal
    assert_safe_download(client.get(url), PDF)


def test_a_bad_file_gives_the_page_again_and_stores_nothing(client, case):
    login(client, UserFactory(role=Role.EMPLOYER_STAFF, organisation=case.organisation))
    data = {"statement": STATEMENT, "signer_title": "HR",
            "files": [(io.BytesIO(b"<script>alert(1)</script>"), "receipt.pdf")]}  # fmt: skip
    response = client.post(sign_off_url(case), data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Attach a PDF, a JPEG photo or a PNG picture." in response.text
    assert STATEMENT in response.text  # what was typed comes back
    empty = client.post(sign_off_url(case), data={}, content_type="multipart/form-data")
    assert empty.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


def test_an_upload_over_the_sites_body_limit_is_allowed_up_to_the_evidence_cap(app, client, case):
    login(client, UserFactory(role=Role.EMPLOYER_STAFF, organisation=case.organisation))
    # Smaller than in production (1 MB and 10 MB): the test client spools bodies over
    # 500 KB to a file it never closes.
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    big = PDF + b"0" * 300_000  # over the site's body limit, under the evidence cap
    data = {"statement": STATEMENT, "signer_title": "HR", "files": [(io.BytesIO(big), "a.pdf")]}
    response = client.post(sign_off_url(case), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    propose = f"/portal/{case.organisation_id}/cases/{case.public_id}/propose"
    assert client.post(propose, data={"text": "x" * 200_000}).status_code == 413  # elsewhere
    app.config["VALIDATION_EVIDENCE_MAX_BYTES"] = 200_000
    data["files"] = [(io.BytesIO(big), "a.pdf")]
    too_big = client.post(sign_off_url(case), data=data, content_type="multipart/form-data")
    assert too_big.status_code == 400 and "A file may be 1 MB at most." in too_big.text
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 1


def test_the_evidence_limit_is_raised_only_for_who_acts_for_the_organisation(app, case):
    """An anonymous POST, or one by another organisation's staff, keeps the site's small
    body limit: the server never reads 50 MB for someone who may not sign off."""
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    raised = views.FORM_OVERHEAD + evidence.max_bytes() * evidence.max_files()
    own = UserFactory(role=Role.EMPLOYER_STAFF, organisation=case.organisation)
    stranger = UserFactory(role=Role.EMPLOYER_STAFF)
    for user, limit in ((None, 100_000), (stranger, 100_000), (own, raised)):
        with app.test_request_context(sign_off_url(case), method="POST"):
            if user is not None:
                login_user(user)
            views.allow_evidence_uploads()
            assert request.max_content_length == limit


def test_an_anonymous_big_sign_off_post_is_refused_unread(app, client, case):
    app.config.update(MAX_CONTENT_LENGTH=100_000, WTF_CSRF_ENABLED=True)
    data = {"statement": STATEMENT, "files": [(io.BytesIO(PDF + b"0" * 300_000), "a.pdf")]}
    response = client.post(sign_off_url(case), data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


@pytest.mark.parametrize("locale", ["en", "my", "th"])
def test_the_caseworker_sees_answers_sign_off_and_verification(client, case, locale):
    evidence = EvidenceFactory(signoff=SignOffFactory(case=case))
    VerificationFactory(case=case)
    login(client, UserFactory(role=Role.CASEWORKER))
    page = client.get(f"/cases/{case.id}?lang={locale}")
    assert page.status_code == 200
    text = page.text
    assert 'id="validation"' in text
    assert STATEMENT in text and FILENAME in text and "zqverification" in text
    assert f"/cases/validation/case/{case.id}/verify" in text
    assert_safe_download(
        client.get(f"/cases/validation/case/{case.id}/evidence/{evidence.id}"), PDF
    )


def test_the_caseworker_verifies_through_the_page(client, case):
    login(client, UserFactory(role=Role.CASEWORKER))
    url = f"/cases/validation/case/{case.id}/verify"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"note": "Saw it", "verified_on": "2000-01-01"})
    assert bad.status_code == 400 and not queries.is_verified(case)
    response = client.post(
        url,
        data={"methods": ["documents", "site_visit"], "note": "Saw the payroll",
              "verified_on": case.opened_on.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302 and queries.is_verified(case)


def test_the_caseworker_shares_with_brands_only_with_consent(client, case):
    SignOffFactory(case=case)
    login(client, UserFactory(role=Role.CASEWORKER))
    url = f"/cases/validation/case/{case.id}/share"
    client.post(url, data={"shared": "y"})
    assert not queries.latest_signoff(case).shared_with_brands
    brand_consent(case)
    client.post(url, data={"shared": "y"})
    db.session.expire_all()
    assert queries.latest_signoff(case).shared_with_brands


def test_brands_see_a_shared_sign_off_of_a_supplier_only(client, case):
    signoff = SignOffFactory(case=case)
    evidence = EvidenceFactory(signoff=signoff)
    VerificationFactory(case=case)
    brand = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=case.organisation)
    login(client, UserFactory(role=Role.BRAND, organisation=brand))
    url = f"/brand/validation/{case.public_id}/evidence/{evidence.public_id}"
    page = f"/brand/cases/{case.public_id}"
    assert client.get(url).status_code == 404  # not shared
    assert STATEMENT not in client.get(page).text
    signoff.shared_with_brands = True
    db.session.commit()
    assert client.get(url).status_code == 404  # shared, but the worker has not agreed
    brand_consent(case)
    text = client.get(page).text
    assert STATEMENT in text and url in text
    for secret in (FILENAME, "zqverification", "zqworkerwords"):
        assert secret not in text
    assert_safe_download(client.get(url), PDF)

    other = BuyerFactory()
    client.post("/logout")
    login(client, UserFactory(role=Role.BRAND, organisation=other))
    assert client.get(url).status_code == 404


def test_a_collectives_case_page_counts_every_covered_worker(client):
    from tests.collective.factories import CollectiveFactory, MemberFactory

    collective = CollectiveFactory()
    cases = [remediated(MemberFactory(collective=collective).case) for _ in range(3)]
    for case, answer in zip(cases, ["yes", "no", "yes"], strict=True):
        case.worker_answer = answer
    db.session.commit()
    login(client, UserFactory(role=Role.CASEWORKER))
    text = client.get(f"/cases/{cases[0].id}").text
    assert "67%" in text and cases[1].reference in text
    staff = UserFactory(role=Role.EMPLOYER_STAFF, organisation=cases[0].organisation)
    client.post("/logout")
    login(client, staff)
    url = f"/portal/{cases[0].organisation_id}/cases/{cases[0].public_id}"
    portal = client.get(url).text
    # 2 of 3 said yes: any share would tell that one worker said no.
    assert "67%" not in portal and "70%" not in portal and "Workers who confirmed" not in portal
    for answer in ("yes", "yes", "no", "no"):
        remediated(MemberFactory(collective=collective).case).worker_answer = answer
    db.session.commit()
    portal = client.get(url).text
    assert "60%" in portal and "57%" not in portal  # 4 of 7, rounded


def test_nginx_lets_big_bodies_through_to_the_sign_off_url_only(app):
    """deploy/nginx.conf raises client_max_body_size for one location: its pattern matches
    the sign-off route and no other validation route (evidence, rule, brand pages)."""
    import re

    from goldendreams.config import PROJECT_ROOT

    conf = (PROJECT_ROOT / "deploy/nginx.conf").read_text()
    [pattern] = re.findall(r'location ~ "([^"]+)" \{\s*client_max_body_size 51m;', conf)
    sign_off = f"/portal/12/validation/{'a' * 16}/sign-off"
    assert re.search(pattern, sign_off)
    for other in (
        f"/portal/12/validation/{'a' * 16}/evidence/{'b' * 16}",
        f"/portal/12/validation/{'a' * 16}/sign-off/x",
        "/portal/12/validation/rule",
        "/cases/validation/rule",
        f"/portal/12/cases/{'a' * 16}/propose",
    ):
        assert not re.search(pattern, other), other
    assert any(
        str(rule) == "/portal/<int:org_id>/validation/<public_id:case_id>/sign-off"
        for rule in app.url_map.iter_rules()
    )
