"""A CSO's saved answers: replies its caseworkers start from (a rights link, hotline
numbers), per language. Audited writes, one transaction each."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.core import audit
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.inbox import permissions
from goldendreams.inbox.models import SavedAnswer
from goldendreams.inbox.rules import TEXT_MAX, InboxError

SAVED_TITLE_MAX = 100


def _saved_answer_fields(language: str, title: str | None, body: str | None) -> dict:
    if language not in LANGUAGE_NAMES:
        raise InboxError(_l("Choose a language from the list."))
    title = normalise(title or "").text
    if not title:
        raise InboxError(_l("Write a title."))
    if len(title) > SAVED_TITLE_MAX:
        raise InboxError(_l("This title is too long. Write at most 100 letters."))
    body = normalise(body or "").text
    if not body:
        raise InboxError(_l("Please write something."))
    if len(body) > TEXT_MAX:
        raise InboxError(_l("This is too long. Write at most 5000 letters."))
    return {"language": language, "title": title, "body": body}


def _may_manage(actor, answer: SavedAnswer) -> None:
    if not permissions.may_manage_saved_answer(actor, answer):
        raise InboxError(_l("Your role cannot make this step."))


def add_saved_answer(
    actor, owner: Organisation | None, language: str, title: str, body: str
) -> SavedAnswer:
    """A new saved answer of a CSO (a caseworker's own CSO; admins any of the network's)."""
    if owner is None or owner.kind not in CSO_KINDS:
        raise InboxError(_l("Choose an organisation of the network from the list."))
    answer = SavedAnswer(owner_id=owner.id)
    _may_manage(actor, answer)
    for name, value in _saved_answer_fields(language, title, body).items():
        setattr(answer, name, value)
    db.session.add(answer)
    db.session.flush()
    audit.record(
        actor, "saved_answer.add", "saved_answer", answer.id, owner_id=owner.id, language=language
    )
    db.session.commit()
    return answer


def change_saved_answer(
    answer: SavedAnswer, actor, language: str, title: str, body: str
) -> SavedAnswer:
    """Change a saved answer's language, title or text (replies sent from it stay as sent)."""
    _may_manage(actor, answer)
    for name, value in _saved_answer_fields(language, title, body).items():
        setattr(answer, name, value)
    audit.record(actor, "saved_answer.change", "saved_answer", answer.id, language=language)
    db.session.commit()
    return answer


def remove_saved_answer(answer: SavedAnswer, actor) -> None:
    """Remove a saved answer (replies sent from it stay as sent)."""
    _may_manage(actor, answer)
    audit.record(actor, "saved_answer.remove", "saved_answer", answer.id, owner_id=answer.owner_id)
    db.session.delete(answer)
    db.session.commit()
