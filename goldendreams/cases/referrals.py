"""Referrals: the CSO that runs a case offers it to another CSO of the network (which,
once it accepts, owns the case) or to a government office (which, once it accepts, may act
on it; the case stays with its CSO).

The worker agrees first: asked through their private code, or the caseworker records how
they agreed. One transaction per call; every staff step is audited. The worker's own answer
is neither audited nor dated (no trace of when the worker acted), like their answer to
"Was it fixed?" (services.worker_answer).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from goldendreams.agencies.models import CSO_KINDS, Organisation, OrgKind
from goldendreams.cases import consent, notices, permissions
from goldendreams.cases.models import (
    Case,
    CaseEvent,
    CaseReferral,
    ConsentItem,
    ConsentMethod,
    ConsentRecipient,
    ReferralStatus,
)
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db

NOTE_MAX = 5000
#: How the worker agreed, in the caseworker's words ("on the phone, in Burmese").
CONSENT_NOTE_MAX = 500
REASON_MAX = 2000
#: Who may receive a referral: another CSO of the network, or a government office.
RECEIVER_KINDS = (*CSO_KINDS, OrgKind.GOVERNMENT)


class ReferralError(ValueError):
    """A referral rule was broken; ``str(error)`` is a message in the reader's language."""


def _text(value: str | None, limit: int, missing) -> str:
    text = normalise(value or "").text
    if not text:
        raise ReferralError(missing)
    if len(text) > limit:
        raise ReferralError(_l("This is too long."))
    return text


def receivers(case: Case) -> list[Organisation]:
    """Where a case may be sent: the other CSOs of the network and the government offices,
    by name."""
    query = (
        select(Organisation)
        .where(Organisation.kind.in_([str(kind) for kind in RECEIVER_KINDS]))
        .where(Organisation.id != case.owner_id)
        .order_by(Organisation.sort_name)
    )
    return list(db.session.scalars(query))


def propose(
    case: Case,
    actor,
    to_org: Organisation | None,
    note: str | None,
    consent_method: str | None,
    consent_note: str | None = None,
) -> CaseReferral:
    """A caseworker of the CSO that runs an open case offers it to ``to_org``. With
    ``WORKER_CODE`` the worker is asked on their code page first (``Case.worker_has_code``);
    with any other method the caseworker records how the worker agreed, and
    the receiver hears of it at once."""
    if not permissions.may_run_case(actor, case):
        raise ReferralError(_l("Your role cannot make this step."))
    if not case.is_open:
        raise ReferralError(_l("This case is closed."))
    if permissions.open_referral(case) is not None:
        raise ReferralError(_l("This case is being sent on already. Wait for the answer."))
    if to_org is None or to_org.kind not in RECEIVER_KINDS or to_org.id == case.owner_id:
        raise ReferralError(_l("Choose an organisation or an office from the list."))
    note = _text(note, NOTE_MAX, _l("Write a note for them."))
    try:
        method = ConsentMethod(consent_method or "")
    except ValueError:
        raise ReferralError(_l("Say how the worker agreed.")) from None
    if method == ConsentMethod.WORKER_CODE:
        if not case.worker_has_code:
            raise ReferralError(_l("Only a worker who has a code can be asked on the site."))
        status, consent_note = ReferralStatus.ASKING_WORKER, None
    else:
        status = ReferralStatus.PROPOSED
        consent_note = _text(consent_note, CONSENT_NOTE_MAX, _l("Write how the worker agreed."))
    referral = CaseReferral(
        case=case, sender=case.owner, receiver=to_org, status=status, note=note,
        consent_method=method, consent_note=consent_note, proposed_by_id=actor.id,
        proposed_on=today(),
    )  # fmt: skip
    db.session.add(referral)
    try:
        db.session.flush()
    except IntegrityError:  # another caseworker sent it on a moment ago (one open at a time)
        db.session.rollback()
        raise ReferralError(
            _l("This case is being sent on already. Wait for the answer.")
        ) from None
    # A worker who said no on their code page may have changed their mind on the phone:
    # the caseworker may record that, and the audit says it overrode a refusal.
    refused = any(
        r.status == ReferralStatus.WORKER_REFUSED and r.to_id == to_org.id
        for r in case.referrals
        if r is not referral
    )
    audit.record(
        actor, "case.referral_propose", "case", case.id, referral_id=referral.id,
        to_id=to_org.id, consent_method=str(method), status=str(status),
        **({"after_worker_refused": True} if refused else {}),
    )  # fmt: skip
    if status == ReferralStatus.PROPOSED:
        # The consent the caseworker recorded, in the case's consent records too.
        consent.attach(
            consent_recipient(to_org), consent_items(to_org), method, consent_note,
            on=today(), case_id=case.id, actor=actor,
        )  # fmt: skip
        notices.referral_received(referral)
    db.session.commit()
    return referral


def consent_recipient(to_org: Organisation) -> ConsentRecipient:
    """Who the worker agrees may be told: another CSO, or a government office."""
    if to_org.kind in CSO_KINDS:
        return ConsentRecipient.CSO
    return ConsentRecipient.GOVERNMENT


def consent_items(to_org: Organisation) -> list[str]:
    """What goes with a referral: a CSO that accepts runs the case, the worker's contact
    too; an office sees what happened, never the worker's name or contact."""
    if to_org.kind in CSO_KINDS:
        return [ConsentItem.ISSUE, ConsentItem.IDENTITY]
    return [ConsentItem.ISSUE]


def asking_worker(case: Case) -> CaseReferral | None:
    """The referral of a case that waits for the worker's answer on their code page."""
    return next((r for r in case.referrals if r.status == ReferralStatus.ASKING_WORKER), None)


def worker_consents(referral: CaseReferral, yes: bool) -> None:
    """The worker, on their code page, agrees or not. Neither audited nor dated."""
    if referral.status != ReferralStatus.ASKING_WORKER or not referral.case.is_open:
        raise ReferralError(_l("You cannot answer this now."))
    referral.status = ReferralStatus.PROPOSED if yes else ReferralStatus.WORKER_REFUSED
    if yes:
        consent.attach(
            consent_recipient(referral.receiver), consent_items(referral.receiver),
            ConsentMethod.WORKER_CODE, on=referral.proposed_on, case_id=referral.case_id,
        )  # fmt: skip
    # The receiver is not mailed now: a mail's date would tell when the worker answered.
    # It finds the offer in its list and in the next morning's digest of what waits.
    db.session.commit()


def _decide(referral: CaseReferral, actor) -> None:
    if not permissions.may_see_referral(actor, referral):
        raise ReferralError(_l("Your role cannot make this step."))
    if referral.status != ReferralStatus.PROPOSED:
        raise ReferralError(_l("This step is not possible now."))
    if not permissions.may_decide_referral(actor, referral):
        raise ReferralError(_l("Your role cannot make this step."))


def accept(referral: CaseReferral, actor) -> None:
    """The receiver takes the case. A CSO owns it from now on (the sender keeps a read-only
    view); a government office may act on it while the CSO keeps running it."""
    _decide(referral, actor)
    case = referral.case
    if not case.is_open:
        raise ReferralError(_l("This case is closed."))
    referral.status, referral.decided_on, referral.decided_by_id = (
        ReferralStatus.ACCEPTED, today(), actor.id,
    )  # fmt: skip
    if referral.receiver.kind in CSO_KINDS:
        case.owner, case.assignee = referral.receiver, None
        case.events.append(
            CaseEvent(kind="referral", shared=False, text=referral.receiver.name,
                      actor_id=actor.id, happened_on=today())
        )  # fmt: skip
    audit.record(
        actor, "case.referral_accept", "case", case.id, referral_id=referral.id,
        to_id=referral.to_id,
    )  # fmt: skip
    notices.referral_decided(referral)
    db.session.commit()


def decline(referral: CaseReferral, actor, reason: str | None) -> None:
    """The receiver says no, with a reason the sender reads."""
    _decide(referral, actor)
    referral.decline_reason = _text(reason, REASON_MAX, _l("Say why you cannot take it."))
    referral.status, referral.decided_on, referral.decided_by_id = (
        ReferralStatus.DECLINED, today(), actor.id,
    )  # fmt: skip
    audit.record(
        actor, "case.referral_decline", "case", referral.case_id, referral_id=referral.id,
        to_id=referral.to_id,
    )  # fmt: skip
    notices.referral_decided(referral)
    db.session.commit()


def withdraw(referral: CaseReferral, actor) -> None:
    """The sender takes back a referral the receiver has not decided on."""
    if not permissions.may_run_case(actor, referral.case):
        raise ReferralError(_l("Your role cannot make this step."))
    if not permissions.may_withdraw_referral(actor, referral):
        raise ReferralError(_l("This step is not possible now."))
    referral.status = ReferralStatus.WITHDRAWN
    audit.record(
        actor, "case.referral_withdraw", "case", referral.case_id, referral_id=referral.id,
        to_id=referral.to_id,
    )  # fmt: skip
    db.session.commit()


# --- reading ----------------------------------------------------------------------------------


def incoming(user) -> list[CaseReferral]:
    """Referrals offered to the user's CSO or office (admins: every one offered), newest
    first; those waiting for an answer first."""
    query = select(CaseReferral).where(
        CaseReferral.status.in_([str(s) for s in permissions.OFFERED_REFERRAL_STATUSES])
    )
    if not permissions.is_admin(user):
        query = query.where(CaseReferral.to_id == user.organisation_id)
    found = db.session.scalars(query.order_by(CaseReferral.id.desc()))
    return sorted(found, key=lambda r: r.status != ReferralStatus.PROPOSED)


def sent(user) -> list[CaseReferral]:
    """Referrals the user's CSO made (admins: every one), newest first."""
    query = select(CaseReferral)
    if not permissions.is_admin(user):
        query = query.where(CaseReferral.from_id == user.organisation_id)
    return list(db.session.scalars(query.order_by(CaseReferral.id.desc())))
