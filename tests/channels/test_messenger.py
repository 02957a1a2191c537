"""Facebook Messenger end to end: Meta's webhook deliveries (as documented: ``object:
page``, ``entry[].messaging[]``), signed with the app secret, POSTed to the running site;
its replies go to the fake Graph API (fakes/meta.py), which checks them like Meta does."""

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
from goldendreams.channels.adapters.messenger import MessengerAdapter
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import Conversation, Delivery, Message
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.meta import VOICE_NOTE, graph_error, photo_with_location, rate_limited
from tests.factories import network_cso

PAGE_ID = "106677301234567"
PSID = "7654321098765432"
WEBHOOK = "/channels/messenger/webhook"

#: Messenger dates its events in milliseconds; replies are allowed for 24 hours after.
NOW_MS = int(time.time() * 1000)


def sign(body: bytes, secret: str = CREDENTIALS["MESSENGER_APP_SECRET"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(site, *items: dict, signature: str | None = None, headers: dict | None = None):
    """One delivery as Meta sends it; the test's session starts afresh around it (the site
    writes from its own thread)."""
    body = json.dumps({
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1718000000000, "messaging": list(items)}],
    }).encode()  # fmt: skip
    db.session.rollback()
    answer = site.post(WEBHOOK, content=body, headers={
        "Content-Type": "application/json",
        "X-Hub-Signature-256": signature if signature is not None else sign(body),
        **(headers or {}),
    })  # fmt: skip
    db.session.rollback()
    return answer


def message(text: str | None = None, *, mid: str | None = None, sender: str = PSID,
            **extra) -> dict:  # fmt: skip
    body: dict = {"mid": mid or f"m_{secrets.token_urlsafe(20)}", **extra}
    if text is not None:
        body["text"] = text
    return {
        "sender": {"id": sender}, "recipient": {"id": PAGE_ID},
        "timestamp": NOW_MS, "message": body,
    }  # fmt: skip


def sends(platform) -> list:
    return platform.calls(r"/me/messages$", "POST")


def conversation() -> Conversation:
    return db.session.scalars(select(Conversation)).one()


# --- the webhook's address check and signature ------------------------------------------------


def test_the_address_check_answers_the_challenge(site):
    answer = site.get(WEBHOOK, params={
        "hub.mode": "subscribe", "hub.verify_token": CREDENTIALS["MESSENGER_VERIFY_TOKEN"],
        "hub.challenge": "1158201444",
    })  # fmt: skip
    assert answer.status_code == 200
    assert answer.text == "1158201444"


@pytest.mark.parametrize("mode, token", [
    ("subscribe", "not-the-token"), ("subscribe", ""), ("unsubscribe", "messenger-verify-token"),
])  # fmt: skip
def test_the_address_check_with_a_wrong_token_is_refused(site, mode, token):
    answer = site.get(WEBHOOK, params={"hub.mode": mode, "hub.verify_token": token,
                                       "hub.challenge": "1158201444"})  # fmt: skip
    assert answer.status_code == 403
    assert answer.text != "1158201444"


@pytest.mark.parametrize("signature", [
    "", "sha256=" + "0" * 64, "sha1=0123", sign(b"another body"),
    sign(b"x", secret="another-secret"),
])  # fmt: skip
def test_a_delivery_without_a_valid_signature_is_refused_and_not_stored(site, platform,
                                                                        signature):  # fmt: skip
    network_cso()
    answer = post(site, message("Help me"), signature=signature)
    assert answer.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Inbound)) == 0
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert sends(platform) == []


def test_a_body_that_is_not_messengers_is_a_bad_request(site):
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    answer = site.post(WEBHOOK, content=body, headers={"X-Hub-Signature-256": sign(body)})
    assert answer.status_code == 400


# --- a worker writes ---------------------------------------------------------------------------


def test_a_text_starts_a_conversation_and_the_greeting_goes_back(site, platform, caplog):
    network_cso()
    caplog.set_level(logging.DEBUG)
    answer = post(site, message("My agency keeps my passport"))
    assert answer.status_code == 200

    thread = conversation()
    assert thread.channel == "messenger"
    assert thread.sender_hash and PSID not in thread.sender_hash
    worker, greeting = thread.messages
    assert worker.text == "My agency keeps my passport"
    assert worker.from_worker

    # The greeting, as the Send API documents it: the page token, the PSID, quick replies.
    (call,) = sends(platform)
    assert call.path == "/v21.0/me/messages"
    assert call.query["access_token"] == [CREDENTIALS["MESSENGER_PAGE_TOKEN"]]
    body = call.json
    assert body["recipient"] == {"id": PSID}
    assert body["messaging_type"] == "RESPONSE"
    assert "Golden Dreams" in body["message"]["text"]
    assert "/rights" in body["message"]["text"]  # the link, as a line of text
    replies = body["message"]["quick_replies"]
    assert [r["payload"] for r in replies] == [
        "lang:en", "lang:my", "lang:km", "lang:th", "lang:lo", "lang:ne",
    ]  # fmt: skip
    assert all(r["content_type"] == "text" and 0 < len(r["title"]) <= 20 for r in replies)
    assert greeting.delivery == Delivery.SENT
    assert len(greeting.platform_id) == 64  # a keyed hash of the mid

    # The PSID is kept to answer, encrypted: the raw column does not hold it.
    assert thread.app_sender.platform_user_id == PSID
    raw = db.session.execute(sql("SELECT platform_user_id FROM app_senders")).scalar_one()
    assert PSID not in raw
    assert PSID not in caplog.text and "passport" not in caplog.text
    assert CREDENTIALS["MESSENGER_PAGE_TOKEN"] not in caplog.text  # httpx logs addresses


def test_the_same_delivery_twice_is_one_message(site, platform):
    network_cso()
    item = message("Hello", mid="m_replayed_delivery_0001")
    assert post(site, item).status_code == 200
    assert post(site, item).status_code == 200
    assert [m.text for m in conversation().messages if m.from_worker] == ["Hello"]
    assert len(sends(platform)) == 1  # one greeting


@pytest.mark.parametrize("item", [
    {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": NOW_MS,
     "reaction": {"reaction": "love", "emoji": "\u2764\ufe0f", "action": "react",
                  "mid": "m_ours"}},
    {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": NOW_MS,
     "read": {"watermark": 1718000000000}},
    {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": NOW_MS,
     "optin": {"ref": "landing", "user_ref": "u1"}},
    # The page's own message, echoed back:
    {"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": NOW_MS,
     "message": {"is_echo": True, "app_id": 1517776481860111, "mid": "m_echo", "text": "Hi"}},
    # The thumbs-up "like", alone:
    message(sticker_id=369239263222822, attachments=[{"type": "image", "payload": {
        "url": "https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_n.png",
        "sticker_id": 369239263222822}}]),
], ids=["reaction", "read", "optin", "echo", "like"])  # fmt: skip
def test_events_the_site_does_not_use_are_acknowledged_and_not_stored(site, platform, item):
    network_cso()
    assert post(site, item).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Inbound)) == 0
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert sends(platform) == []


def test_a_quick_reply_changes_the_language_and_greets_again_in_it(site, platform):
    network_cso()
    post(site, message("hello"))
    first = sends(platform)[0].json["message"]["text"]
    assert conversation().language == "en"

    post(site, message("ไทย", quick_reply={"payload": "lang:th"}))
    assert conversation().language == "th"
    second = sends(platform)[1].json
    assert second["recipient"] == {"id": PSID}
    assert second["message"]["text"] != first
    assert "Golden Dreams" in second["message"]["text"]
    assert len(second["message"]["quick_replies"]) == 6
    # The tap is not a message of the worker's.
    assert [m.text for m in conversation().messages if m.from_worker] == ["hello"]


def test_a_postback_is_a_choice_too(site, platform):
    network_cso()
    post(site, message("hello"))
    post(site, {
        "sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": NOW_MS + 876,
        "postback": {"mid": "m_postback_1", "title": "မြန်မာ", "payload": "lang:my"},
    })  # fmt: skip
    assert conversation().language == "my"
    assert len(sends(platform)) == 2


def test_a_voice_note_and_a_photo_are_fetched_and_kept_without_exif(site, platform):
    network_cso()
    voice = platform.meta.add_cdn_file(VOICE_NOTE, "audio/ogg")
    photo = platform.meta.add_cdn_file(photo_with_location(), "image/jpeg")
    post(site, message(attachments=[
        {"type": "audio", "payload": {"url": voice}},
        {"type": "image", "payload": {"url": photo}},
    ]))  # fmt: skip

    (worker,) = [m for m in conversation().messages if m.from_worker]
    audio, image = worker.attachments
    assert audio["kind"] == "voice" and audio["mime"] == "audio/ogg"
    assert files.load(audio["key"]) == VOICE_NOTE
    assert image["kind"] == "photo" and image["mime"] == "image/jpeg"
    kept = files.load(image["key"])
    assert b"Exif" not in kept and b"PhoneMaker" not in kept
    with Image.open(io.BytesIO(kept)) as opened:
        assert not opened.getexif().get_ifd(0x8825)
        assert opened.size == (64, 48)
    assert len(platform.calls(r"^/fbcdn/", "GET")) == 2


def test_an_attachment_that_cannot_be_fetched_is_marked(site, platform):
    network_cso()
    gone = f"{platform.base}/fbcdn/expired_file_n?oh=00_abc"
    post(site, message("see this", attachments=[{"type": "file", "payload": {"url": gone}}]))
    (worker,) = [m for m in conversation().messages if m.from_worker]
    assert worker.text == "see this"
    assert worker.attachments == [{"kind": "document", "missing": "failed"}]


class TestSmallMediaCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 200}

    def test_a_photo_over_the_cap_is_not_kept(self, site, platform):
        network_cso()
        photo = platform.meta.add_cdn_file(photo_with_location((400, 300)), "image/jpeg")
        post(site, message(attachments=[{"type": "image", "payload": {"url": photo}}]))
        (worker,) = [m for m in conversation().messages if m.from_worker]
        assert worker.attachments == [{"kind": "photo", "missing": "too_large"}]


# --- caseworkers answer ----------------------------------------------------------------------


def _started(site, platform, user_for):
    network_cso()
    post(site, message("Can you help me?"))
    thread = conversation()
    return thread, user_for(Role.CASEWORKER, thread.owner)


def test_a_caseworkers_reply_is_sent_and_its_delivery_reported(site, platform, user_for):
    thread, caseworker = _started(site, platform, user_for)
    reply = services.reply(thread, caseworker, "Yes. Where do you work?")

    call = sends(platform)[-1]
    assert call.json["recipient"] == {"id": PSID}
    assert call.json["message"] == {"text": "Yes. Where do you work?"}
    db.session.rollback()
    reply = db.session.get(Message, reply.id)
    assert reply.delivery == Delivery.SENT
    mid = platform.answered(r"/me/messages$")[-1]["message_id"]
    assert mid.startswith("m_") and mid not in reply.platform_id

    delivery = {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID},
                "delivery": {"mids": [mid], "watermark": 1718000005000}}  # fmt: skip
    assert post(site, delivery).status_code == 200
    assert db.session.get(Message, reply.id).delivery == Delivery.DELIVERED
    # Read reports come by time only, which the site does not keep: nothing changes.
    post(site, {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID},
                "timestamp": NOW_MS + 8877, "read": {"watermark": NOW_MS + 7877}})  # fmt: skip
    assert db.session.get(Message, reply.id).delivery == Delivery.DELIVERED


def test_a_permanent_refusal_shows_failed_with_metas_words(site, platform, user_for):
    thread, caseworker = _started(site, platform, user_for)
    platform.fail_next(graph_error(10, "(#10) This message is sent outside of allowed window.",
                                   subcode=2018278))  # fmt: skip
    reply = services.reply(thread, caseworker, "Are you still there?")
    db.session.rollback()
    reply = db.session.get(Message, reply.id)
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == (
        "Messenger: (#10) This message is sent outside of allowed window."
    )


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    post(site, message("hello"))
    post(site, message("STOP"))
    thread = conversation()
    assert thread.is_closed
    assert thread.app_sender is None and thread.sender_hash is None
    assert db.session.execute(sql("SELECT count(*) FROM app_senders")).scalar_one() == 0
    goodbye = sends(platform)[-1].json
    assert goodbye["recipient"] == {"id": PSID}
    assert "quick_replies" not in goodbye["message"]


# --- the adapter and the Send API --------------------------------------------------------------


def test_rate_limits_and_server_errors_may_be_tried_again(app, platform):
    adapter = adapter_for("messenger")
    for answer in (rate_limited(613), rate_limited(4), rate_limited(32),
                   graph_error(2, "Service temporarily unavailable", 500)):  # fmt: skip
        platform.fail_next(answer)
        with pytest.raises(PlatformError) as raised:
            adapter.send(Recipient(PSID), Outgoing("hello"))
        assert raised.value.retry, raised.value.reason
    assert adapter.send(Recipient(PSID), Outgoing("hello")).startswith("m_")


def test_a_wrong_token_is_refused_for_good(app, platform):
    adapter = MessengerAdapter({**app.config, "MESSENGER_PAGE_TOKEN": "not-the-token"})
    with pytest.raises(PlatformError) as raised:
        adapter.send(Recipient(PSID), Outgoing("hello"))
    assert not raised.value.retry
    assert raised.value.reason.startswith("Messenger: (#190) Invalid OAuth access token")
    assert "not-the-token" not in raised.value.reason


def test_links_that_do_not_fit_go_in_a_second_message(app, platform):
    adapter = adapter_for("messenger")
    text = ("word " * 390).strip() + "\n\nChoose your language:"
    adapter.send(Recipient(PSID), Outgoing(
        text, [("lang:en", "English"), ("lang:my", "မြန်မာ")],
        [("Know your rights", "https://example.org/rights/" + "x" * 80)],
    ))  # fmt: skip
    first, second = (call.json["message"] for call in sends(platform))
    assert first == {"text": ("word " * 390).strip()}
    assert second["text"].startswith("Choose your language:\n\nKnow your rights: https://")
    assert [r["payload"] for r in second["quick_replies"]] == ["lang:en", "lang:my"]
