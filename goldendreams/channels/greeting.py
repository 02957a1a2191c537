"""What the site says by itself in a messaging app: the greeting at first contact (in the
worker's language, with the six languages to choose from, the emergency numbers of their
country and a link to the rights pages), and the answer to the "forget me" word.

Also how a worker's language and country are guessed: the script they write in first, then
what their app says, then their phone number's country code.
"""

from __future__ import annotations

import string

import phonenumbers
from flask_babel import force_locale
from flask_babel import gettext as _

from goldendreams.channels.adapters.base import Event, Outgoing
from goldendreams.core import mail
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.text import detect_language, normalise
from goldendreams.inbox.choices import EMERGENCY_NUMBERS

CHOICE_PREFIX = "lang:"

#: Punctuation a worker may add around the "forget me" word, in every script of the site.
_PUNCTUATION = frozenset(string.punctuation) | {"။", "၊", "។", "៕", "…", "।", "\uff01", "\uff1f"}

#: The word that makes the site forget a worker, in each language (and the English one,
#: which every app's users know from SMS).
STOP_WORDS = frozenset({"stop", "ရပ်", "ឈប់", "หยุด", "ຢຸດ", "रोक"})

#: The language of a phone number's country: the workers' home countries (a Thai or
#: Malaysian number says nothing: workers there buy local SIM cards).
_LANGUAGE_OF_COUNTRY = {"MM": "my", "KH": "km", "LA": "lo", "NP": "ne"}


def language_choices() -> list[tuple[str, str]]:
    """Quick replies: each language's own name."""
    return [(CHOICE_PREFIX + code, name) for code, name in LANGUAGE_NAMES.items()]


def chosen_language(event: Event) -> str | None:
    """The language a worker picked: a quick reply's payload, or a message that is only a
    language's name (apps without buttons send the label as text)."""
    if event.choice and event.choice.startswith(CHOICE_PREFIX):
        code = event.choice.removeprefix(CHOICE_PREFIX)
        return code if code in LANGUAGE_NAMES else None
    text = normalise(event.text or "").text.casefold()
    for code, name in LANGUAGE_NAMES.items():
        if text and text == name.casefold():
            return code
    return None


def wants_to_be_forgotten(event: Event) -> bool:
    """The whole message is the word (with any punctuation: "STOP!", "ရပ်။"), not a sentence
    that contains it."""
    text = normalise(event.text or "").text.casefold()
    return text.strip("".join(_PUNCTUATION) + " ") in STOP_WORDS


def country_of(event: Event) -> str | None:
    if event.country and len(event.country) == 2:
        return event.country.upper()
    if event.phone:
        try:
            number = phonenumbers.parse(event.phone if event.phone.startswith("+") else
                                        "+" + event.phone)  # fmt: skip
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.region_code_for_number(number)
    return None


def language_of(event: Event) -> str:
    """The worker's language: the script of their words, else their app's language, else
    their phone's home country, else English."""
    written = detect_language(normalise(event.text or "").text, default="en")
    if written != "en":
        return written
    locale = (event.locale or "").replace("_", "-").split("-")[0].lower()
    if locale in LANGUAGE_NAMES and locale != "en":
        return locale
    return _LANGUAGE_OF_COUNTRY.get(country_of(event) or "", "en")


def greeting(language: str, country: str | None) -> Outgoing:
    """The first answer, in ``language``."""
    with force_locale(language):
        lines = [
            _("Hello. This is Golden Dreams. We help workers from Myanmar, Cambodia, Laos "
              "and Nepal."),
            _("Write your question or your problem here. A person from a workers' "
              "organisation will answer you in your language."),
            _("We never tell your employer or your agency who you are."),
        ]  # fmt: skip
        numbers = EMERGENCY_NUMBERS.get(country or "")
        if numbers:
            listed = ", ".join(f"{name} {number}" for number, name in numbers)
            lines.append(_("In danger now? Call %(numbers)s.", numbers=listed))
        lines.append(_("To erase your messages here, write %(word)s.", word=stop_word(language)))
        lines.append(_("Choose your language:"))
        links = [
            (_("Know your rights"), _in_language(language, "rights.article_list")),
            (_("Hotlines"), _in_language(language, "rights.hotlines")),
        ]
    return Outgoing("\n\n".join(lines), language_choices(), links)


def _in_language(language: str, endpoint: str) -> str:
    """A link that opens the page in the worker's language (the site's language switch,
    which then goes to the page), whatever language their phone's browser asks for."""
    page = mail.site_url(endpoint)
    path = page.removeprefix(mail.site_url("core.home").rstrip("/"))
    return mail.site_url("core.set_language", code=language, next=path)


def forgotten(language: str) -> str:
    with force_locale(language):
        return _("We erased your messages. Write to us again any time.")


def stop_word(language: str) -> str:
    return {"my": "ရပ်", "km": "ឈប់", "th": "หยุด", "lo": "ຢຸດ", "ne": "रोक"}.get(language, "STOP")


def as_text(message: Outgoing) -> str:
    """The greeting as kept in the thread: what the caseworkers see the worker got."""
    links = [f"{label}: {url}" for label, url in message.links]
    return "\n\n".join([message.text, *links])
