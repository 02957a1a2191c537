"""A worker who writes from an app is known to the site by a keyed hash only: their platform
id, phone number and profile name are in no log line, in no readable database column
(AppSender's are encrypted; a delivery's payload is encrypted, then erased), and on no page
a caseworker, a moderator or an admin opens. One worker per platform, each with a name and
number of their own, through the real webhook."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect, select, text

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox.models import Conversation
from tests.channels import (
    test_line,
    test_messenger,
    test_sms,
    test_telegram,
    test_viber,
    test_whatsapp,
)
from tests.channels.fakes import line as line_fake
from tests.channels.fakes import telegram as telegram_fake
from tests.channels.fakes import viber as viber_fake
from tests.conftest import login
from tests.factories import network_cso

WORDS = "My agency took my passport"


def messenger(site, platform) -> set[str]:
    psid = "5550001234567001"
    test_messenger.post(site, test_messenger.message(WORDS, sender=psid))
    return {psid}


def whatsapp(site, platform) -> set[str]:
    phone, name = "959425550002", "Khin Mya Thida"
    test_whatsapp.post(site, test_whatsapp.messages(
        test_whatsapp.text(WORDS, sender=phone), sender=phone, name=name
    ))  # fmt: skip
    return {phone, name, "9425550002"}


def viber(site, platform) -> set[str]:
    user, name = "vbR5550003+QwErTyUiOp==", "Sokha Chan"
    test_viber.post(site, viber_fake.message(5550003, user, name=name, type="text", text=WORDS))
    return {user, name}


def line(site, platform) -> set[str]:
    user = "U5550004" + "aa11bb22cc33dd44ee55ff66"
    item = line_fake.message(user, "5550004", platform.line.reply_token(), type="text", text=WORDS)
    test_line.post(site, line_fake.body(item))
    return {user}


def telegram(site, platform) -> set[str]:
    chat = 5550005
    update = telegram_fake.update(9005, chat, text=WORDS)
    update["message"]["from"]["first_name"] = "Bishnu"
    test_telegram.post(site, update)
    return {str(chat), "Bishnu"}


def sms(site, platform) -> set[str]:
    phone = "+9779855500066"
    test_sms.post(site, test_sms.message(1, WORDS, sender=phone))
    return {phone, "9855500066"}


PLATFORMS = [messenger, whatsapp, viber, line, telegram, sms]


def raw_database_text() -> str:
    """Every column of every table as the database holds it (no decryption)."""
    db.session.rollback()
    dump = []
    for table in inspect(db.engine).get_table_names():
        rows = db.session.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608 - our names
        dump += [str(value) for row in rows for value in row]
    return "\n".join(dump)


@pytest.mark.parametrize("send", PLATFORMS, ids=[p.__name__ for p in PLATFORMS])
def test_the_workers_platform_identity_is_nowhere_readable(
    send, site, platform, caplog, user_for, client
):
    network_cso()
    caplog.set_level(logging.DEBUG)
    identity = send(site, platform)
    db.session.rollback()
    conversation = db.session.scalar(select(Conversation))
    assert conversation is not None, "the delivery did not arrive"
    assert conversation.messages[0].text == WORDS
    assert conversation.app_sender is not None  # kept, to reply: encrypted

    logs = "\n".join(record.getMessage() for record in caplog.records)
    database = raw_database_text()
    for value in identity:
        assert value not in logs
        assert value not in database

    pages = []
    for role in (Role.CASEWORKER, Role.ADMIN):
        client.get("/logout")
        user = user_for(role, conversation.owner if role == Role.CASEWORKER else None)
        login(client, user)
        for url in ("/inbox/", f"/inbox/{conversation.id}", "/staff/audit", "/staff/channels/"):
            response = client.get(url)
            pages.append(response.get_data(as_text=True))
    assert any(WORDS in page for page in pages)  # the caseworker reads the words
    for value in identity:
        assert not any(value in page for page in pages)
