"""WhatsApp end to end: Cloud API webhook deliveries (as documented: ``object:
whatsapp_business_account``, ``entry[].changes[].value`` with ``messages`` or ``statuses``),
signed with the app secret, POSTed to the running site; its replies and media requests go
to the fake Graph API (fakes/meta.py), which checks them like Meta does."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import secrets
import time

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy import text as sql

from goldendreams.channels.adapters import adapter_for
from goldendreams.channels.adapters.base import Outgoing, PlatformError, Recipient
from goldendreams.channels.adapters.whatsapp import WhatsAppAdapter
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import Conversation, Delivery, Message
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.meta import (
    VOICE_NOTE,
    graph_error,
    photo_with_location,
    rate_limited,
    re_engagement,
)
from tests.factories import network_cso

WABA_ID = "102290129340398"
NUMBER_ID = CREDENTIALS["WHATSAPP_PHONE_NUMBER_ID"]
PHONE = "959421234567"  # a Myanmar number, as WhatsApp writes it (no "+")
NAME = "Aye Aye"
WEBHOOK = "/channels/whatsapp/webhook"


def sign(body: bytes, secret: str = CREDENTIALS["WHATSAPP_APP_SECRET"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(site, value: dict, signature: str | None = None, number_id: str = NUMBER_ID):
    """One delivery as Meta sends it; the test's session starts afresh around it (the site
    writes from its own thread)."""
    body = json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": number_id},
            **value,
        }}]}],
    }).encode()  # fmt: skip
    db.session.rollback()
    answer = site.post(WEBHOOK, content=body, headers={
        "Content-Type": "application/json",
        "X-Hub-Signature-256": signature if signature is not None else sign(body),
    })  # fmt: skip
    db.session.rollback()
    return answer


def messages(*items: dict, sender: str = PHONE, name: str = NAME) -> dict:
    return {"contacts": [{"profile": {"name": name}, "wa_id": sender}], "messages": list(items)}


def incoming(kind: str, content: dict | None = None, *, sender: str = PHONE,
             wamid: str | None = None, timestamp: int | None = None) -> dict:  # fmt: skip
    item = {
        "from": sender, "id": wamid or "wamid." + secrets.token_urlsafe(30),
        "timestamp": str(timestamp or int(time.time())), "type": kind,
    }  # fmt: skip
    if content is not None:
        item[kind] = content
    return item


def text(body: str, **extra) -> dict:
    return incoming("text", {"body": body}, **extra)


def statuses(wamid: str, status: str, **extra) -> dict:
    return {"statuses": [{
        "id": wamid, "status": status, "timestamp": str(int(time.time())),
        "recipient_id": PHONE, **extra,
    }]}  # fmt: skip


def sends(platform) -> list:
    return platform.calls(rf"^/v21\.0/{NUMBER_ID}/messages$", "POST")


def conversation() -> Conversation:
    return db.session.scalars(select(Conversation)).one()


def worker_messages() -> list[Message]:
    return [m for m in conversation().messages if m.from_worker]


# --- the webhook's address check and signature ------------------------------------------------


def test_the_address_check_answers_the_challenge(site):
    answer = site.get(WEBHOOK, params={
        "hub.mode": "subscribe", "hub.verify_token": CREDENTIALS["WHATSAPP_VERIFY_TOKEN"],
        "hub.challenge": "1158201444",
    })  # fmt: skip
    assert answer.status_code == 200
    assert answer.text == "1158201444"


def test_the_address_check_with_a_wrong_token_is_refused(site):
    for token in ("messenger-verify-token", "", "whatsapp-verify-token-x"):
        answer = site.get(WEBHOOK, params={"hub.mode": "subscribe", "hub.verify_token": token,
                                           "hub.challenge": "1158201444"})  # fmt: skip
        assert answer.status_code == 403


@pytest.mark.parametrize("signature", [
    "", "sha256=", "sha256=" + "f" * 64, sign(b"{}"),
    sign(b"x", secret=CREDENTIALS["MESSENGER_APP_SECRET"]),
])  # fmt: skip
def test_a_delivery_without_a_valid_signature_is_refused_and_not_stored(site, platform,
                                                                        signature):  # fmt: skip
    network_cso()
    assert post(site, messages(text("Help")), signature=signature).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Inbound)) == 0
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert sends(platform) == []


# --- a worker writes ---------------------------------------------------------------------------


def test_a_text_starts_a_conversation_and_the_greeting_goes_back(site, platform, caplog):
    network_cso()
    caplog.set_level(logging.DEBUG)
    written = int(time.time())
    assert post(site, messages(text("They took my passport", timestamp=written))).status_code == 200

    thread = conversation()
    assert thread.channel == "whatsapp"
    assert thread.language == "my"  # from the phone's country: Myanmar
    assert thread.country == "MM"
    worker, greeting = thread.messages
    assert worker.text == "They took my passport"

    (call,) = sends(platform)
    assert call.headers["authorization"] == f"Bearer {CREDENTIALS['WHATSAPP_TOKEN']}"
    body = call.json
    assert body["messaging_product"] == "whatsapp"
    assert body["recipient_type"] == "individual"
    assert body["to"] == PHONE
    assert body["type"] == "interactive"
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    assert "/rights" in interactive["body"]["text"]
    assert "199" in interactive["body"]["text"]  # Myanmar's police
    rows = interactive["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [
        "lang:en", "lang:my", "lang:km", "lang:th", "lang:lo", "lang:ne",
    ]  # fmt: skip
    assert all(0 < len(row["title"]) <= 24 for row in rows)
    assert 0 < len(interactive["action"]["button"]) <= 20
    assert greeting.delivery == Delivery.SENT
    assert len(greeting.platform_id) == 64  # a keyed hash: a wamid holds the number

    sender = thread.app_sender
    assert (sender.platform_user_id, sender.phone, sender.profile_name) == (PHONE, PHONE, NAME)
    # The window: 24 hours from the hour the worker wrote in.
    assert sender.reply_window_until.timestamp() == written - written % 3600 + 24 * 3600
    raw = db.session.execute(
        sql("SELECT platform_user_id, phone, profile_name FROM app_senders")
    ).one()  # fmt: skip
    assert not any(PHONE in value or NAME in value for value in raw)
    assert PHONE not in caplog.text and NAME not in caplog.text
    assert "passport" not in caplog.text


def test_the_same_delivery_twice_is_one_message(site, platform):
    network_cso()
    delivery = messages(text("Hello", wamid="wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRB"))
    assert post(site, delivery).status_code == 200
    assert post(site, delivery).status_code == 200
    assert [m.text for m in worker_messages()] == ["Hello"]
    assert len(sends(platform)) == 1


@pytest.mark.parametrize("value", [
    messages(incoming("unsupported") | {"errors": [{
        "code": 131051, "title": "Message type unknown",
        "message": "Message type unknown",
        "error_data": {"details": "Message type is currently not supported."}}]}),
    messages(incoming("reaction", {"message_id": "wamid.ours", "emoji": "\U0001f44d"})),
    messages(incoming("location", {"latitude": 13.7563, "longitude": 100.5018})),
    statuses("wamid.someone_elses", "sent"),
], ids=["unsupported", "reaction", "location", "sent"])  # fmt: skip
def test_events_the_site_does_not_use_are_acknowledged_and_not_stored(site, platform, value):
    network_cso()
    assert post(site, value).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Inbound)) == 0
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert sends(platform) == []


def test_messages_to_another_number_of_the_business_are_left_out(site, platform):
    network_cso()
    assert post(site, messages(text("Hello")), number_id="999999999999").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Inbound)) == 0


def test_a_list_reply_changes_the_language_and_greets_again_in_it(site, platform):
    network_cso()
    post(site, messages(text("hello")))
    first = sends(platform)[0].json["interactive"]["body"]["text"]
    assert conversation().language == "my"

    post(site, messages(incoming("interactive", {
        "type": "list_reply", "list_reply": {"id": "lang:km", "title": "ខ្មែរ"},
    })))  # fmt: skip
    assert conversation().language == "km"
    second = sends(platform)[1].json
    assert second["to"] == PHONE
    assert second["interactive"]["body"]["text"] != first
    assert [m.text for m in worker_messages()] == ["hello"]


def test_a_reply_button_is_a_choice_too(site, platform):
    network_cso()
    post(site, messages(text("hello")))
    post(site, messages(incoming("interactive", {
        "type": "button_reply", "button_reply": {"id": "lang:en", "title": "English"},
    })))  # fmt: skip
    assert conversation().language == "en"


def test_a_voice_note_and_a_photo_are_fetched_and_kept_without_exif(site, platform):
    network_cso()
    voice = platform.meta.add_media(VOICE_NOTE, "audio/ogg; codecs=opus")
    photo = platform.meta.add_media(photo_with_location(), "image/jpeg")
    post(site, messages(
        incoming("audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": voice,
                           "voice": True}),
        incoming("image", {"caption": "my room", "mime_type": "image/jpeg", "sha256": "y",
                           "id": photo}),
    ))  # fmt: skip

    audio_message, photo_message = worker_messages()
    (audio,) = audio_message.attachments
    assert audio["kind"] == "voice" and audio["mime"] == "audio/ogg"
    assert files.load(audio["key"]) == VOICE_NOTE
    assert photo_message.text == "my room"
    (image,) = photo_message.attachments
    kept = files.load(image["key"])
    assert image["kind"] == "photo" and image["mime"] == "image/jpeg"
    assert b"Exif" not in kept and b"PhoneMaker" not in kept
    with Image.open(io.BytesIO(kept)) as opened:
        assert not opened.getexif().get_ifd(0x8825)

    # Through the media API, then the file's address, both with the token.
    for path in (rf"^/v21\.0/{voice}$", rf"^/v21\.0/{photo}$", r"^/whatsapp_business/"):
        calls = platform.calls(path, "GET")
        assert calls, path
        assert all(c.headers["authorization"] == "Bearer whatsapp-token" for c in calls)


class TestSmallMediaCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 500}

    def test_media_over_the_cap_is_not_downloaded(self, site, platform):
        network_cso()
        photo = platform.meta.add_media(photo_with_location((400, 300)), "image/jpeg")
        post(site, messages(incoming("image", {"mime_type": "image/jpeg", "id": photo})))
        (worker,) = worker_messages()
        assert worker.attachments == [{"kind": "photo", "missing": "too_large"}]
        assert platform.calls(rf"^/v21\.0/{photo}$", "GET")  # the size was asked
        assert platform.calls(r"^/whatsapp_business/") == []  # the file was not fetched


# --- caseworkers answer ----------------------------------------------------------------------


def _started(site, user_for, timestamp: int | None = None):
    network_cso()
    post(site, messages(text("Can you help me?", timestamp=timestamp)))
    thread = conversation()
    return thread, user_for(Role.CASEWORKER, thread.owner)


def test_a_caseworkers_reply_is_sent_and_its_delivery_reported(site, platform, user_for):
    thread, caseworker = _started(site, user_for)
    reply = services.reply(thread, caseworker, "Yes. Where do you work? https://example.org")

    body = sends(platform)[-1].json
    assert body["to"] == PHONE
    assert body["type"] == "text"
    assert body["text"] == {"body": "Yes. Where do you work? https://example.org",
                            "preview_url": True}  # fmt: skip
    db.session.rollback()
    reply = db.session.get(Message, reply.id)
    assert reply.delivery == Delivery.SENT
    wamid = platform.answered(r"/messages$")[-1]["messages"][0]["id"]

    post(site, statuses(wamid, "sent"))
    assert db.session.get(Message, reply.id).delivery == Delivery.SENT
    post(site, statuses(wamid, "delivered"))
    assert db.session.get(Message, reply.id).delivery == Delivery.DELIVERED
    post(site, statuses(wamid, "read"))
    assert db.session.get(Message, reply.id).delivery == Delivery.READ
    post(site, statuses(wamid, "delivered"))  # late: never moves back
    assert db.session.get(Message, reply.id).delivery == Delivery.READ


def test_a_failed_status_shows_metas_reason(site, platform, user_for):
    thread, caseworker = _started(site, user_for)
    reply = services.reply(thread, caseworker, "Hello again")
    db.session.rollback()
    wamid = platform.answered(r"/messages$")[-1]["messages"][0]["id"]
    post(site, statuses(wamid, "failed", errors=[{
        "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
        "error_data": {"details": "Message failed to send because more than 24 hours have "
                                  "passed since the customer last replied to this number."},
    }]))  # fmt: skip
    reply = db.session.get(Message, reply.id)
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error.startswith("WhatsApp: (#131047) Re-engagement message: ")
    assert "24 hours" in reply.delivery_error


def test_a_permanent_refusal_shows_failed_with_metas_words(site, platform, user_for):
    thread, caseworker = _started(site, user_for)
    platform.fail_next(graph_error(131026, "(#131026) Message Undeliverable",
                                   details="Unable to deliver message."))  # fmt: skip
    reply = services.reply(thread, caseworker, "Are you there?")
    db.session.rollback()
    reply = db.session.get(Message, reply.id)
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == (
        "WhatsApp: (#131026) Message Undeliverable: Unable to deliver message."
    )


def test_no_reply_after_the_24_hours(site, platform, user_for):
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    thread, caseworker = _started(site, user_for, timestamp=two_days_ago)
    sent = len(sends(platform))
    with pytest.raises(services.InboxError, match="24 hours"):
        services.reply(thread, caseworker, "Sorry for the wait")
    db.session.rollback()
    assert len(sends(platform)) == sent
    assert [m.text for m in conversation().messages if m.text == "Sorry for the wait"] == []


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    post(site, messages(text("hello")))
    post(site, messages(text("Stop.")))
    thread = conversation()
    assert thread.is_closed
    assert thread.app_sender is None and thread.sender_hash is None
    assert db.session.execute(sql("SELECT count(*) FROM app_senders")).scalar_one() == 0
    goodbye = sends(platform)[-1].json
    assert goodbye["to"] == PHONE and goodbye["type"] == "text"


# --- the adapter and the Cloud API -------------------------------------------------------------


def test_rate_limits_and_server_errors_may_be_tried_again(app, platform):
    adapter = adapter_for("whatsapp")
    for answer in (rate_limited(130429), rate_limited(131056), rate_limited(80007),
                   rate_limited(4), graph_error(131000, "Something went wrong", 500)):  # fmt: skip
        platform.fail_next(answer)
        with pytest.raises(PlatformError) as raised:
            adapter.send(Recipient(PHONE, PHONE), Outgoing("hello"))
        assert raised.value.retry, raised.value.reason
    assert adapter.send(Recipient(PHONE, PHONE), Outgoing("hello")).startswith("wamid.")


def test_the_24_hour_refusal_is_for_good_and_says_why(app, platform):
    platform.fail_next(re_engagement())
    with pytest.raises(PlatformError) as raised:
        adapter_for("whatsapp").send(Recipient(PHONE, PHONE), Outgoing("hello"))
    assert not raised.value.retry
    assert raised.value.reason.startswith("WhatsApp: (#131047) Re-engagement message")
    assert "more than 24 hours" in raised.value.reason


def test_a_wrong_token_is_refused_for_good(app, platform):
    adapter = WhatsAppAdapter({**app.config, "WHATSAPP_TOKEN": "not-the-token"})
    with pytest.raises(PlatformError) as raised:
        adapter.send(Recipient(PHONE, PHONE), Outgoing("hello"))
    assert not raised.value.retry
    assert raised.value.reason.startswith("WhatsApp: (#190)")
    assert "not-the-token" not in raised.value.reason


def test_up_to_three_choices_are_reply_buttons(app, platform):
    adapter = adapter_for("whatsapp")
    long_text = ("word " * 300).strip() + "\n\nIs it fixed?"
    adapter.send(Recipient(PHONE, PHONE), Outgoing(
        long_text, [("fixed:yes", "Yes"), ("fixed:no", "No, not yet fixed at all")],
    ))  # fmt: skip
    first, second = (call.json for call in sends(platform))
    assert first["type"] == "text" and first["text"]["body"] == ("word " * 300).strip()
    assert second["interactive"]["type"] == "button"
    assert second["interactive"]["body"] == {"text": "Is it fixed?"}
    buttons = second["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["fixed:yes", "fixed:no"]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
