"""Saved answers: a CSO's caseworkers keep their CSO's, per language; every change audited;
another CSO's answer is not found."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import saved_answers, services
from goldendreams.inbox.models import SavedAnswer
from tests.factories import (
    CsoFactory,
    OrganisationFactory,
    SavedAnswerFactory,
    UserFactory,
    network_cso,
)


def answers() -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(select(SavedAnswer).order_by(SavedAnswer.id))
    return [(a.owner_id, a.language, a.title, a.body) for a in rows]


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_the_list_shows_the_csos_answers_by_language(client, login_as):
    SavedAnswerFactory(language="my", title="Passport rights")
    SavedAnswerFactory(language="th", title="Thai hotline")
    SavedAnswerFactory(owner_id=CsoFactory().id, title="Another CSO's answer")
    login_as(Role.CASEWORKER)
    page = client.get("/inbox/answers/").get_data(as_text=True)
    assert "Passport rights" in page and "Thai hotline" in page
    assert "Another CSO" not in page
    assert (
        page.index('<h3 lang="my">') < page.index("Passport rights") < page.index('<h3 lang="th">')
    )


def test_add_change_and_remove(client, login_as):
    user = login_as(Role.CASEWORKER)
    assert client.get("/inbox/answers/new").status_code == 200
    data = {"language": "my", "title": "Passport rights", "body": "Nobody may keep it."}
    assert client.post("/inbox/answers/new", data=data).status_code == 302
    assert answers() == [(user.organisation_id, "my", "Passport rights", "Nobody may keep it.")]
    answer = db.session.scalar(select(SavedAnswer))
    assert client.get(f"/inbox/answers/{answer.id}").status_code == 200
    data = {"language": "th", "title": "Passport rights (Thai)", "body": "Changed."}
    assert client.post(f"/inbox/answers/{answer.id}", data=data).status_code == 302
    assert answers() == [(user.organisation_id, "th", "Passport rights (Thai)", "Changed.")]
    assert client.post(f"/inbox/answers/{answer.id}/remove").status_code == 302
    assert answers() == []
    assert audit_actions() == ["saved_answer.add", "saved_answer.change", "saved_answer.remove"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"language": "xx", "title": "T", "body": "B"}, "Not a valid choice"),
        ({"language": "my", "title": "", "body": "B typed"}, "Write a title."),
        ({"language": "my", "title": "T" * 101, "body": "B typed"}, "at most 100 letters"),
        ({"language": "my", "title": "Typed title", "body": "  "}, "Please write something."),
        ({"language": "my", "title": "Typed title", "body": "B" * 5001}, "at most 5000 letters"),
    ],
)
def test_bad_input_is_refused_and_kept(client, login_as, data, error):
    login_as(Role.CASEWORKER)
    response = client.post("/inbox/answers/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error in page or "Choose an answer from the list." in page
    for value in (data["title"], data["body"]):
        if value.strip():
            assert value in page
    assert answers() == [] and audit_actions() == []


def test_another_csos_answer_is_not_found(client, login_as):
    theirs = SavedAnswerFactory(owner_id=CsoFactory().id, body="Their text")
    login_as(Role.CASEWORKER)
    data = {"language": "my", "title": "Mine now", "body": "Changed"}
    assert client.get(f"/inbox/answers/{theirs.id}").status_code == 404
    assert client.post(f"/inbox/answers/{theirs.id}", data=data).status_code == 404
    assert client.post(f"/inbox/answers/{theirs.id}/remove").status_code == 404
    assert answers() == [(theirs.owner_id, "my", "Passport rights", "Their text")]
    assert audit_actions() == []


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.AGENCY_STAFF, Role.BRAND, Role.MOBILIZER])
def test_other_roles_get_403(client, login_as, role):
    ours = SavedAnswerFactory()
    login_as(role)
    for url in ("/inbox/answers/", "/inbox/answers/new", f"/inbox/answers/{ours.id}"):
        assert client.get(url).status_code == 403
    assert client.post(f"/inbox/answers/{ours.id}/remove").status_code == 403
    assert len(answers()) == 1


def test_admins_keep_any_csos_answers(client, login_as):
    other = CsoFactory(name="Mekong Migrant Aid")
    SavedAnswerFactory(owner_id=other.id, title="Their answer")
    login_as(Role.ADMIN)
    page = client.get("/inbox/answers/").get_data(as_text=True)
    assert "Mekong Migrant Aid" in page and "Their answer" in page
    data = {"owner_id": other.id, "language": "km", "title": "Khmer hotline", "body": "Call."}
    assert client.post("/inbox/answers/new", data=data).status_code == 302
    assert answers()[-1] == (other.id, "km", "Khmer hotline", "Call.")
    employer = OrganisationFactory()  # not a CSO
    data["owner_id"] = employer.id
    assert client.post("/inbox/answers/new", data=data).status_code == 400


def test_the_service_checks_its_rules(app):
    caseworker = UserFactory(role="caseworker")
    with pytest.raises(services.InboxError):
        saved_answers.add_saved_answer(caseworker, CsoFactory(), "my", "T", "B")  # another CSO
    with pytest.raises(services.InboxError):
        saved_answers.add_saved_answer(caseworker, None, "my", "T", "B")
    with pytest.raises(services.InboxError):
        saved_answers.add_saved_answer(UserFactory(role="moderator"), network_cso(), "my", "T", "B")
    answer = saved_answers.add_saved_answer(caseworker, network_cso(), "my", " Title ", " Body ")
    assert (answer.title, answer.body) == ("Title", "Body")
    with pytest.raises(services.InboxError):
        saved_answers.change_saved_answer(answer, caseworker, "xx", "T", "B")
    other = UserFactory(role="caseworker", organisation=CsoFactory())
    with pytest.raises(services.InboxError):
        saved_answers.remove_saved_answer(answer, other)
    assert db.session.scalar(select(func.count(SavedAnswer.id))) == 1
    assert audit_actions() == ["saved_answer.add"]
