"""The fixed vocabulary of worker voice, with labels in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from goldendreams.inbox.models import (
    Channel,
    ContactMethod,
    ConversationState,
    Delivery,
    Message,
    MessageKind,
    Outcome,
    Topic,
)

TOPICS = {
    Topic.QUESTION: _l("A question"),
    Topic.WORK: _l("A problem at work"),
    Topic.RECRUITMENT: _l("A problem with an agency or broker"),
    Topic.EMERGENCY: _l("An emergency: I am in danger now"),
}
#: The same, as staff read them in lists and forms.
TOPIC_NAMES = {
    Topic.QUESTION: _l("Question"),
    Topic.WORK: _l("Problem at work"),
    Topic.RECRUITMENT: _l("Recruitment problem"),
    Topic.EMERGENCY: _l("Emergency"),
}
STATES = {
    ConversationState.NEW: _l("New"),
    ConversationState.WAITING_FOR_US: _l("Waiting for us"),
    ConversationState.WAITING_FOR_WORKER: _l("Waiting for the worker"),
    ConversationState.CLOSED: _l("Closed"),
}
CHANNELS = {
    Channel.WEB: _l("This website"),
    Channel.PHONE: _l("Phone call"),
    Channel.MESSENGER: "Messenger",
    Channel.WHATSAPP: "WhatsApp",
    Channel.VIBER: "Viber",
    Channel.LINE: "LINE",
    Channel.TELEGRAM: "Telegram",
    Channel.SMS: _l("Text message (SMS)"),
}
#: How a caseworker ends a conversation or a logged call (the worker's own closing is
#: not a choice for staff).
OUTCOMES = {
    Outcome.INFORMATION: _l("Information given"),
    Outcome.REFERRED_TO_SERVICE: _l("Referred to a service"),
    Outcome.CASE_OPENED: _l("Case opened"),
    Outcome.NO_REPLY: _l("No reply from the worker"),
    Outcome.NOT_IN_SCOPE: _l("Not in scope"),
}
OUTCOME_LABELS = {**OUTCOMES, Outcome.CLOSED_BY_WORKER: _l("Closed by the worker")}
#: Where a reply to a worker in a messaging app is (issue 19). A reply on the site is read
#: there (``Delivery.STORED``): it has no label, and the page says nothing of it.
DELIVERY = {
    Delivery.QUEUED: _l("Waiting to be sent"),
    Delivery.SENDING: _l("Waiting to be sent"),
    Delivery.SENT: _l("Sent to the app"),
    Delivery.DELIVERED: _l("Delivered"),
    Delivery.READ: _l("Read"),
    Delivery.FAILED: _l("Not sent"),
}


def delivery_label(message: Message) -> str | None:
    """What the conversation page says of a reply sent through an app ("Not sent: " and the
    platform's reason when it failed); None for everything else, so templates never compare
    states."""
    if message.kind != MessageKind.TO_WORKER or message.delivery not in DELIVERY:
        return None
    if message.delivery == Delivery.FAILED and message.delivery_error:
        return _("Not sent: %(reason)s", reason=message.delivery_error)
    return str(DELIVERY[message.delivery])


CONTACT_METHODS = {
    ContactMethod.PHONE: _l("Phone number"),
    ContactMethod.LINE: _l("LINE name"),
    ContactMethod.VIBER: _l("Viber number"),
    ContactMethod.MESSENGER: _l("Messenger name"),
    ContactMethod.WHATSAPP: _l("WhatsApp number"),
}

#: Public emergency numbers of each country the network works in: shown at once when a
#: worker says it is an emergency, before anything is sent (with the network's hotlines).
EMERGENCY_NUMBERS = {
    "TH": (("191", _l("Police")), ("1669", _l("Ambulance")), ("1155", _l("Tourist police"))),
    "MY": (("999", _l("Police and ambulance")), ("112", _l("Emergency from a mobile phone"))),
    "MM": (("199", _l("Police")), ("192", _l("Ambulance"))),
    "KH": (("117", _l("Police")), ("119", _l("Ambulance"))),
    "LA": (("1191", _l("Police")), ("1195", _l("Ambulance"))),
    "NP": (("100", _l("Police")), ("102", _l("Ambulance"))),
}

#: What a worker reads when their phone or Wi-Fi sent too many messages (ASK_RATE_LIMIT,
#: WRITE_RATE_LIMIT): the page keeps what they typed.
TOO_MANY_MESSAGES = _l(
    "Too many messages came from this phone or Wi-Fi in the last hour. Wait a while, then "
    "press Send again. Nothing was sent yet: what you wrote is kept below."
)
