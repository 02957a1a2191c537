"""What the site says by itself in an app, and how it guesses a worker's language and
country: the words first, then the app's language, then the phone's home country."""

from __future__ import annotations

import pytest

from goldendreams.channels import greeting
from goldendreams.channels.adapters.base import Event, EventKind
from goldendreams.channels.sending import split


def event(**given) -> Event:
    return Event(kind=EventKind.MESSAGE, key="k", sender_id="s", **given)


@pytest.mark.parametrize(
    ("given", "language"),
    [
        ({"text": "ကျွန်တော့်ကို လစာမပေးဘူး"}, "my"),
        ({"text": "ខ្ញុំមិនបានប្រាក់ខែ", "locale": "th"}, "km"),  # the words win
        ({"text": "hello", "locale": "th-TH"}, "th"),
        ({"text": "hello", "locale": "lo_LA"}, "lo"),
        ({"text": "hello", "phone": "+9779812345678"}, "ne"),
        ({"text": "hello", "phone": "959791234567"}, "my"),  # WhatsApp gives no "+"
        ({"text": "hello", "phone": "+66812345678"}, "en"),  # a Thai SIM says nothing
        ({"text": "hello"}, "en"),
        ({"text": None, "locale": "xx"}, "en"),
    ],
)
def test_language_of_a_worker(app, given, language):
    assert greeting.language_of(event(**given)) == language


def test_country_from_the_app_or_the_phone(app):
    assert greeting.country_of(event(country="th")) == "TH"
    assert greeting.country_of(event(phone="+60123456789")) == "MY"
    assert greeting.country_of(event(phone="not a number")) is None
    assert greeting.country_of(event()) is None


@pytest.mark.parametrize(
    ("given", "chosen"),
    [
        ({"choice": "lang:km"}, "km"),
        ({"choice": "lang:xx"}, None),
        ({"choice": "something else"}, None),
        ({"text": "ລາວ"}, "lo"),
        ({"text": " english "}, "en"),
        ({"text": "I speak English"}, None),
    ],
)
def test_a_language_chosen_by_button_or_by_its_name(given, chosen):
    assert greeting.chosen_language(event(**given)) == chosen


@pytest.mark.parametrize("word", ["STOP", "stop.", "Stop!", "ရပ်", "ឈប់", "หยุด", "ຢຸດ", "रोक"])
def test_the_forget_me_word_in_every_language(word):
    assert greeting.wants_to_be_forgotten(event(text=word))


@pytest.mark.parametrize("text", ["please stop my boss", "", None, "stopped"])
def test_other_words_do_not_forget(text):
    assert not greeting.wants_to_be_forgotten(event(text=text))


def test_the_greeting_has_the_languages_the_emergency_numbers_and_the_rights_link(app):
    with app.test_request_context():
        message = greeting.greeting("en", "TH")
    assert "191" in message.text and "1669" in message.text
    assert "STOP" in message.text
    assert [label for _payload, label in message.choices][:2] == ["English", "မြန်မာ"]
    assert len(message.choices) == 6
    assert message.links[0][1].endswith("/rights/")
    assert "Know your rights" in greeting.as_text(message)


def test_no_emergency_numbers_for_an_unknown_country(app):
    with app.test_request_context():
        assert "Call" not in greeting.greeting("en", None).text


def test_long_replies_are_cut_at_paragraphs_then_spaces():
    text = "a" * 30 + "\n\n" + "b " * 20
    parts = split(text, 40)
    assert parts[0] == "a" * 30
    assert all(len(part) <= 40 for part in parts)
    assert "".join(parts).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert split("x" * 95, 40) == ["x" * 40, "x" * 40, "x" * 15]
    assert split("short", 40) == ["short"]
    assert split("", 40) == [""]


@pytest.mark.parametrize("word", ["ရပ်။", "ឈប់។", "STOP?", "\uff01stop\uff01", "रोक।"])
def test_the_forget_me_word_with_its_scripts_punctuation(word):
    assert greeting.wants_to_be_forgotten(event(text=word))


def test_the_greetings_links_open_in_the_workers_language(app):
    with app.test_request_context():
        links = dict(greeting.greeting("km", "TH").links)
    assert all("/language/km?next=" in url for url in links.values())
    assert any("next=/rights/" in url for url in links.values())
    assert any("next=/help/" in url for url in links.values())
