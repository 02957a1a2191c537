"""The worker's consent, recorded before anything about them is shared.

Safeguarding's rule: nothing about a worker goes to an organisation, another CSO, a
service, a government office or a brand before the worker agreed, and the record says what
may be shared and how they agreed. Features that share ask ``has_consent`` first (and
refuse with ``ConsentError``); the caseworker records it here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.cases.models import (
    ConsentItem,
    ConsentMethod,
    ConsentRecipient,
    ConsentRecord,
)
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db

NOTE_MAX = 500

#: A worker's own "yes" with their code is recorded by the site (ConsentMethod.WORKER_CODE);
#: a caseworker records the others.
RECORDED_BY_CASEWORKER = frozenset(
    {ConsentMethod.IN_PERSON, ConsentMethod.PHONE, ConsentMethod.MESSAGE}
)


class ConsentError(ValueError):
    """Consent is missing or malformed; ``str(error)`` is a message in the reader's language."""


def current(
    recipient: ConsentRecipient, *, case_id: int | None = None, conversation_id: int | None = None
) -> ConsentRecord | None:
    """The latest consent not taken back for this kind of recipient, or None."""
    if (case_id is None) == (conversation_id is None):
        raise ValueError("a case or a conversation")
    where = (
        ConsentRecord.case_id == case_id
        if case_id is not None
        else ConsentRecord.conversation_id == conversation_id
    )
    query = (
        select(ConsentRecord)
        .where(where, ConsentRecord.recipient == recipient, ConsentRecord.withdrawn_on.is_(None))
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def has_consent(
    recipient: ConsentRecipient,
    item: ConsentItem = ConsentItem.ISSUE,
    *,
    case_id: int | None = None,
    conversation_id: int | None = None,
) -> bool:
    """May ``item`` be shared with this kind of recipient?"""
    record = current(recipient, case_id=case_id, conversation_id=conversation_id)
    return record is not None and item in record.items


def require(
    recipient: ConsentRecipient,
    item: ConsentItem = ConsentItem.ISSUE,
    *,
    case_id: int | None = None,
    conversation_id: int | None = None,
) -> None:
    """Raise ConsentError unless the worker agreed to share ``item`` with ``recipient``."""
    if not has_consent(recipient, item, case_id=case_id, conversation_id=conversation_id):
        raise ConsentError(_l("Record the worker's consent first."))


def record(
    actor,
    recipient: str,
    items: list[str],
    method: str,
    note: str | None,
    *,
    case_id: int | None = None,
    conversation_id: int | None = None,
    commit: bool = True,
) -> ConsentRecord:
    """Record what the worker agreed may be shared with ``recipient`` and how they agreed.
    The caller has checked that ``actor`` runs the case or the conversation. Audited; one
    transaction unless ``commit=False`` (the caller shares in the same one)."""
    if (case_id is None) == (conversation_id is None):
        raise ValueError("a case or a conversation")
    if recipient not in set(ConsentRecipient):
        raise ConsentError(_l("Choose who may be told from the list."))
    chosen = sorted(set(items or ()))
    if not chosen or not set(chosen) <= set(ConsentItem):
        raise ConsentError(_l("Choose what may be shared."))
    if method not in set(ConsentMethod):
        raise ConsentError(_l("Say how the worker agreed."))
    text = normalise(note or "").text or None
    if text and len(text) > NOTE_MAX:
        raise ConsentError(_l("This is too long."))
    consent = ConsentRecord(
        case_id=case_id, conversation_id=conversation_id, recipient=recipient, items=chosen,
        method=method, note=text, recorded_by_id=getattr(actor, "id", None),
        recorded_on=today(),
    )  # fmt: skip
    db.session.add(consent)
    db.session.flush()
    target = ("case", case_id) if case_id is not None else ("conversation", conversation_id)
    audit.record(
        actor, "consent.record", target[0], target[1], recipient=recipient, items=chosen,
        method=method,
    )  # fmt: skip
    if commit:
        db.session.commit()
    return consent


def attach(
    recipient: str,
    items: list[str],
    method: str,
    note: str | None = None,
    *,
    on,
    case_id: int,
    actor=None,
) -> ConsentRecord:
    """Consent given with a step that is audited itself (a referral to a CSO or an office:
    its audit entry says how the worker agreed), or the worker's own "yes" on their code
    page (``actor`` None): neither audited here, and the worker's is dated by the day they
    were asked, not the day they answered (no trace of when the worker acted). The caller
    commits."""
    consent = ConsentRecord(
        case_id=case_id, recipient=recipient, items=sorted(set(items)), method=method,
        note=note, recorded_by_id=getattr(actor, "id", None), recorded_on=on,
    )  # fmt: skip
    db.session.add(consent)
    return consent


def withdraw(actor, consent: ConsentRecord) -> None:
    """The worker took their consent back: nothing more is shared on its strength."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = today()
        target = ("case", consent.case_id) if consent.case_id else (
            "conversation", consent.conversation_id
        )  # fmt: skip
        audit.record(actor, "consent.withdraw", target[0], target[1], recipient=consent.recipient)
        db.session.commit()
