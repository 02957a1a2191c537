"""Every case can be confirmed by its worker: a code a caseworker reads out for a case
logged from a call, outreach or a group complaint, and the worker's answer to "Was it
fixed?" recorded when they give it by phone, in person or in a message. (A review's case
opens with the review's code; a conversation's in that conversation.)"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.cases import choices, permissions
from goldendreams.cases.models import AnswerMethod, Case, CaseSource
from goldendreams.cases.services import CaseError, _event, _text, can_answer
from goldendreams.core import audit, tracking
from goldendreams.extensions import db


def followed_elsewhere(case: Case):
    """Why a case gets no code of its own (a lazy message), or None: a review's case opens
    with the review's code, a conversation's in that conversation."""
    if case.source == CaseSource.REVIEW:
        return _l("The worker follows this case with the code of their review.")
    if case.source == CaseSource.MESSAGE:
        return _l("The worker follows this case in their conversation with us.")
    return None


def give_worker_code(case: Case, actor) -> str:
    """A code the caseworker reads out to the worker of a case logged from a call, outreach
    or a group complaint: with it the worker follows the case and says whether it was fixed
    at "Check with my code". Only its hash is kept, and a new code replaces the old one
    (which stops working at once). Returns the code: it cannot be shown again."""
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    elsewhere = followed_elsewhere(case)
    if elsewhere is not None:
        raise CaseError(elsewhere)
    if not permissions.may_give_worker_code(actor, case):
        raise CaseError(_l("This case is closed."))
    code = tracking.new_code()
    replaced = case.code_hash is not None
    case.code_hash = tracking.code_hash(code)
    audit.record(actor, "case.worker_code", "case", case.id, replaced=replaced)
    db.session.commit()
    return code


def record_worker_answer(case: Case, actor, answer: str, method: str, note: str | None) -> None:
    """A caseworker records the worker's answer to "Was it fixed?" given on the phone, in
    person or in a message, when the worker could give it with a code. It is the case's
    answer (as if the worker gave it), with an internal "validation" event saying who
    recorded it and how: the answer in ``status_to``, the AnswerMethod in
    ``remediation_kind``, the note (what the worker said) in ``text``."""
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    if not can_answer(case):
        raise CaseError(
            _l("The worker can answer once a fix is recorded, until the case is closed.")
        )
    if answer not in choices.WORKER_ANSWERS:
        raise CaseError(_l("Choose an answer from the list."))
    if method not in set(AnswerMethod):
        raise CaseError(_l("Say how the worker answered."))
    comment = _text(note)
    case.worker_answer, case.worker_comment = answer, comment
    _event(case, "validation", actor, status_to=answer, remediation_kind=method, text=comment)
    audit.record(actor, "case.worker_answer", "case", case.id, answer=answer, method=method)
    db.session.commit()
