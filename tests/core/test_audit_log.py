"""The audit log is append-only: nothing in the application can change or remove an entry,
through the models or with UPDATE/DELETE statements, and no route offers to."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from goldendreams.core import audit
from goldendreams.core.audit import AuditLog, AuditLogIsAppendOnly
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.reviews.models import Review
from tests.factories import ReviewFactory


@pytest.fixture
def entry(app, user_for):
    entry = audit.record(user_for(Role.MODERATOR), "review.publish", "review", 1, reason="x")
    db.session.commit()
    return entry


def test_entries_are_added(entry):
    assert db.session.scalars(select(AuditLog)).one().action == "review.publish"


def test_an_entry_cannot_be_edited(entry):
    entry.action = "review.reject"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(AuditLog)).one().action == "review.publish"


def test_an_entry_cannot_be_deleted(entry):
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditLog.id)) == entry.id


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditLog).values(action="x"),
        delete(AuditLog),
        update(AuditLog.__table__).values(detail={}),
        delete(AuditLog.__table__).where(AuditLog.__table__.c.id > 0),
    ],
    ids=["orm-update", "orm-delete", "table-update", "table-delete"],
)
def test_bulk_statements_are_refused(entry, statement):
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalars(select(AuditLog)).one().action == "review.publish"


def test_other_tables_are_not_affected(entry):
    """The guard is on the audit log only: other tables take updates and deletes, by
    statement and through the models, and the audit entry is left as it was."""
    kept, removed, edited = ReviewFactory(), ReviewFactory(), ReviewFactory()
    db.session.execute(update(Review).where(Review.id == kept.id).values(title="changed"))
    db.session.execute(delete(Review).where(Review.id == removed.id))
    edited.title = "edited"
    db.session.commit()
    db.session.expire_all()
    titles = dict(db.session.execute(select(Review.id, Review.title)).all())
    assert titles == {kept.id: "changed", edited.id: "edited"}
    db.session.delete(db.session.get(Review, edited.id))
    db.session.commit()
    assert list(db.session.scalars(select(Review.id))) == [kept.id]
    assert db.session.scalars(select(AuditLog)).one().action == "review.publish"


def test_the_audit_log_is_only_read_on_the_web(app):
    """No page edits or deletes entries: the only routes that name the audit log are the
    admins' viewer and its export, which only read (GET)."""
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule or "audit" in rule.endpoint:
            assert rule.rule.startswith("/staff/audit/"), rule.rule
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_a_moderators_actions_leave_entries_that_stay(app, client, login_as):
    moderator = login_as(Role.MODERATOR)
    review = ReviewFactory()
    client.post(f"/moderation/reviews/{review.id}/publish")
    entries = list(db.session.scalars(select(AuditLog).filter_by(actor_id=moderator.id)))
    assert entries, "publishing was not audited"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditLog).where(AuditLog.actor_id == moderator.id))
