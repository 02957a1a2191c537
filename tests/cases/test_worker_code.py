"""Every case can be confirmed by the worker: a case logged from a call gets a code the
caseworker reads out (only its hash is kept; a new one replaces the old), and a caseworker
records the worker's answer given on the phone, in person or in a message (who, how)."""

import re

import pytest
from sqlalchemy import select

from goldendreams.cases import confirmation, services, taxonomy
from goldendreams.cases.models import Case, CaseEvent
from goldendreams.core import tracking
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CsoFactory,
    UserFactory,
    referred,
)

CODE = re.compile(r'<p class="code" translate="no">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</p>')
READ_IT = (
    "Read this code to the worker. With it they can follow the case and say if it was fixed"
    " at Check with my code."
)
NOTE = "Ko Aung says two workers still wait for their wages"


@pytest.fixture(autouse=True)
def _taxonomy(app):
    taxonomy.load()


def fixed_case(**fields) -> Case:
    """A referred case whose organisation recorded a fix: the worker may answer."""
    case = referred(CaseFactory(**fields))
    CaseEventFactory(case=case, kind="remediation", shared=True, remediation_kind="back_pay")
    case.status = "in_remediation"
    db.session.commit()
    return case


def given_code(client, case) -> str:
    response = client.post(f"/cases/{case.id}/code")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert READ_IT in page
    return CODE.search(page)[1]


def audits(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).filter_by(action=action)))


# --- the code ---------------------------------------------------------------------------------


def test_a_code_read_out_opens_the_case_and_only_its_hash_is_kept(client, login_as):
    me = login_as(Role.CASEWORKER)
    case = CaseFactory(source="hotline")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Give the worker a code" in page and not CODE.search(page)

    code = given_code(client, case)
    db.session.expire_all()
    assert services.find_by_code(code).id == case.id
    assert services.find_by_code(code.lower().replace("-", " ")).id == case.id  # as typed
    stored = db.session.get(Case, case.id)
    assert stored.code_hash == tracking.code_hash(code)
    # Nowhere in the case's row, its events or the audit log: only the hash.
    row = db.session.execute(select(Case.__table__).where(Case.id == case.id)).one()
    canonical = tracking.canonical(code)
    assert not any(canonical in str(v) or code in str(v) for v in row)
    (entry,) = audits("case.worker_code")
    assert entry.actor_id == me.id and entry.target_id == case.id
    assert entry.detail == {"replaced": False}
    assert not any(e.text and canonical in e.text.replace("-", "") for e in stored.events)
    # Shown once: the page shows no code again, and says one was given.
    again = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert not CODE.search(again) and "The worker has a code for this case." in again
    assert "Give the worker a new code" in again


def test_a_new_code_replaces_the_old_one(client, login_as):
    login_as(Role.CASEWORKER)
    case = CaseFactory(source="outreach")
    old = given_code(client, case)
    new = given_code(client, case)
    assert old != new
    db.session.expire_all()
    assert services.find_by_code(old) is None  # the old code stops working
    assert services.find_by_code(new).id == case.id
    assert [e.detail for e in audits("case.worker_code")] == [
        {"replaced": False},
        {"replaced": True},
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("review", "The worker follows this case with the code of their review."),
        ("message", "The worker follows this case in their conversation with us."),
    ],
)
def test_review_and_conversation_cases_get_no_code_of_their_own(client, login_as, source, message):
    login_as(Role.CASEWORKER)
    case = CaseFactory(source=source)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert message in page and "Give the worker a code" not in page
    response = client.post(f"/cases/{case.id}/code", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert not CODE.search(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Case, case.id).code_hash is None
    assert audits("case.worker_code") == []


def test_a_closed_case_gets_no_code(client, login_as):
    login_as(Role.CASEWORKER)
    case = CaseFactory(status="closed", outcome="resolved_unconfirmed")
    assert "Give the worker a code" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/code", follow_redirects=True)
    assert "This case is closed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).code_hash is None


def test_another_csos_caseworker_and_other_roles_give_no_code(client, login_as):
    case = CaseFactory(source="hotline")
    login_as(Role.CASEWORKER, organisation=CsoFactory())
    assert client.post(f"/cases/{case.id}/code").status_code == 404  # not theirs to know
    client.post("/logout")
    login_as(Role.EMPLOYER_STAFF, organisation=case.organisation)
    assert client.post(f"/cases/{case.id}/code").status_code == 403
    db.session.expire_all()
    assert db.session.get(Case, case.id).code_hash is None
    assert audits("case.worker_code") == []
    with pytest.raises(services.CaseError):
        confirmation.give_worker_code(case, UserFactory(role="moderator"))


def test_an_admin_gives_a_code_to_any_csos_case(client, login_as):
    login_as(Role.ADMIN)
    case = CaseFactory(source="hotline", owner=CsoFactory())
    assert services.find_by_code(given_code(client, case)).id == case.id


# --- the worker's answer, recorded by a caseworker -----------------------------------------


def test_a_caseworker_records_the_workers_answer_given_on_the_phone(client, login_as):
    me = login_as(Role.CASEWORKER)
    case = fixed_case()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Record the worker's answer" in page
    data = {"answer": "partly", "method": "phone", "answer_note": NOTE}
    response = client.post(f"/cases/{case.id}/worker-answer", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.worker_answer, stored.worker_comment) == ("partly", NOTE)
    (event,) = [e for e in stored.events if e.kind == "validation"]
    assert not event.shared and event.actor_id == me.id and event.text == NOTE
    (entry,) = audits("case.worker_answer")
    assert entry.detail == {"answer": "partly", "method": "phone"}  # not what the worker said
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"Recorded by {me.email} (On the phone)" in page and NOTE in page
    assert "The worker answered" in page


def test_the_organisation_never_sees_the_recorded_answer(client, login_as):
    case = fixed_case()
    confirmation.record_worker_answer(case, UserFactory(role="caseworker"), "no", "in_person", NOTE)
    login_as(Role.EMPLOYER_STAFF, organisation=case.organisation)
    page = client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}")
    assert page.status_code == 200
    assert NOTE not in page.get_data(as_text=True)
    assert "Recorded by" not in page.get_data(as_text=True)


def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, login_as):
    login_as(Role.CASEWORKER)
    case = fixed_case()
    response = client.post(
        f"/cases/{case.id}/worker-answer",
        data={"answer": "yes", "method": "fax", "answer_note": NOTE},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose an answer from the list." in page and NOTE in page
    assert re.search(r'<input checked[^>]*value="yes"', page)
    response = client.post(f"/cases/{case.id}/worker-answer", data={"answer": "yes"})
    assert "Say how the worker answered." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer is None
    assert db.session.scalar(select(CaseEvent).filter_by(kind="validation")) is None


def test_no_answer_before_a_fix_is_recorded_nor_once_closed(client, login_as):
    login_as(Role.CASEWORKER)
    waiting = referred(CaseFactory())
    closed = fixed_case(status="closed")
    closed.status = "closed"
    db.session.commit()
    for case in (waiting, closed):
        page = client.get(f"/cases/{case.id}").get_data(as_text=True)
        assert "Record the worker's answer" not in page
        data = {"answer": "yes", "method": "phone", "answer_note": NOTE}
        response = client.post(f"/cases/{case.id}/worker-answer", data=data)
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "The worker can answer once a fix is recorded" in page
        db.session.expire_all()
        assert db.session.get(Case, case.id).worker_answer is None
    assert audits("case.worker_answer") == []


def test_another_csos_caseworker_cannot_record_an_answer(client, login_as):
    case = fixed_case()
    login_as(Role.CASEWORKER, organisation=CsoFactory())
    data = {"answer": "yes", "method": "phone"}
    assert client.post(f"/cases/{case.id}/worker-answer", data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer is None
    with pytest.raises(services.CaseError, match="role"):
        confirmation.record_worker_answer(case, UserFactory(role="moderator"), "yes", "phone", None)
    with pytest.raises(services.CaseError):
        confirmation.record_worker_answer(
            case, UserFactory(role="caseworker"), "maybe", "phone", None
        )


def test_a_worker_with_a_read_out_code_is_asked_before_their_case_is_sent_on(client):
    from goldendreams.cases import referrals
    from goldendreams.cases.models import ReferralStatus
    from tests.factories import CsoFactory

    worker = UserFactory(role="caseworker")
    case = CaseFactory(owner=worker.organisation, source="hotline")
    other = CsoFactory()
    with pytest.raises(referrals.ReferralError, match="code"):  # no code yet: not on the site
        referrals.propose(case, worker, other, "Back home now.", "worker_code")
    code = confirmation.give_worker_code(case, worker)
    referral = referrals.propose(case, worker, other, "Back home now.", "worker_code")
    assert referral.status == ReferralStatus.ASKING_WORKER
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "Can we send your case on?" in page and other.name.replace("'", "&#39;") in page
    response = client.post("/check/referral", data={"code": code, "yes": "Yes, I agree"})
    assert response.status_code == 200
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.PROPOSED
