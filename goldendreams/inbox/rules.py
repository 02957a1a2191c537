"""The inbox's shared rules: how a worker's words are checked and stored, where a
conversation goes, how one closes and what closing erases. Used by the two write modules
(``services``: the site and caseworkers; ``from_apps``: the messaging apps); nothing else
writes with them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import Organisation
from goldendreams.cases import routing
from goldendreams.core import files, pii
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.inbox import notices
from goldendreams.inbox.models import (
    Contact,
    ContactMethod,
    Conversation,
    ConversationState,
    Delivery,
    Message,
    MessageKind,
    Outcome,
)

TEXT_MAX = 5000
CONTACT_MAX = 100
ORGANISATION_NAME_MAX = 200


class InboxError(ValueError):
    """A rule was broken; ``str(error)`` is a message in the reader's language."""


def text_of(value: str | None) -> tuple[str, list[dict]]:
    """Normalised text (Zawgyi → Unicode, digits) and the personal data found in it."""
    text = normalise(value or "").text
    if not text:
        raise InboxError(_l("Please write something."))
    if len(text) > TEXT_MAX:
        raise InboxError(_l("This is too long. Write at most 5000 letters."))
    found = [{"start": s.start, "end": s.end, "kind": s.kind} for s in pii.find_personal_data(text)]
    return text, found


def add_message(
    conversation: Conversation, kind: MessageKind, text: str | None, actor=None
) -> Message:
    body, found = text_of(text)
    message = Message(
        kind=kind, text=body, personal_data=found if kind == MessageKind.FROM_WORKER else [],
        author_id=getattr(actor, "id", None), sent_on=today(),
    )  # fmt: skip
    conversation.messages.append(message)
    if kind != MessageKind.NOTE:
        conversation.last_activity_on = today()
    return message


def route(language: str, country: str | None, organisation: Organisation | None):
    # A conversation may name no organisation: the country the worker is in stands for the
    # organisation's country (a CSO in Thailand helps a worker in Thailand).
    organisation_country = organisation.country if organisation is not None else country
    try:
        return routing.route_by_country(organisation_country, None, language)
    except routing.RoutingError as error:
        raise InboxError(str(error)) from error


def contact_from(method: str | None, value: str | None) -> Contact | None:
    value = normalise(value or "").text
    if not method and not value:
        return None
    if method not in set(ContactMethod):
        raise InboxError(_l("Choose how we can reach you from the list."))
    if not value:
        raise InboxError(_l("Write your number or name, or choose no contact."))
    if len(value) > CONTACT_MAX:
        raise InboxError(_l("This number or name is too long."))
    return Contact(method=method, value=value, given_on=today())


def worker_wrote(conversation: Conversation) -> None:
    if conversation.is_closed:  # writing again opens it again
        conversation.closed_on, conversation.outcome = None, None
    if conversation.state != ConversationState.NEW:
        conversation.state = ConversationState.WAITING_FOR_US


def erase_workers_words(conversation: Conversation) -> int:
    """Erase what the worker gave: their messages' words and files, their contact, the
    employer's name they typed. Returns how many messages were erased."""
    erased = 0
    for message in conversation.messages:
        for attachment in message.attachments or ():
            if attachment.get("key"):  # a voice note, a photo: the file goes now
                files.delete(attachment["key"])
        if message.from_worker and (message.text is not None or message.attachments):
            message.text, message.personal_data, erased = None, [], erased + 1
        message.attachments = []
    # The employer's name they typed is their words too.
    conversation.contact, conversation.organisation_name = None, None
    return erased


def close_now(conversation: Conversation, outcome: Outcome) -> None:
    """Close with ``outcome``, and erase every way to reach the worker."""
    conversation.state, conversation.outcome = ConversationState.CLOSED, outcome
    conversation.closed_on = today()
    # A closed conversation keeps no way to reach the worker (their app's id too, once a
    # reply still on its way has left: from_apps.sent and failed erase it then).
    conversation.contact = None
    if not has_replies_waiting(conversation):
        conversation.app_sender = None


def has_replies_waiting(conversation: Conversation) -> bool:
    """Is a reply still on its way to the worker's app?"""
    return any(m.delivery in (Delivery.QUEUED, Delivery.SENDING) for m in conversation.messages)


def notify_new(conversation: Conversation) -> None:
    """An emergency reaches the owning CSO's caseworkers at once (mails go after commit);
    everything else waits in the inbox, counted in the daily digest (moderation/tasks.py)."""
    if conversation.urgent:
        notices.urgent_conversation(conversation)
