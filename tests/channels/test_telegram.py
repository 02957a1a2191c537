"""Telegram end to end: updates POSTed over HTTP to the running site with the secret token
header, as Telegram does; the site's calls to the Bot API answered by the fake
(fakes/telegram.py), which checks the token in the path and the request's shape."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select, text

from goldendreams.channels.adapters.base import Outgoing, PlatformError, Recipient
from goldendreams.channels.adapters.telegram import SECRET_HEADER, TelegramAdapter
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import AppSender, Conversation, Delivery, Message, MessageKind
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.telegram import photo_with_location, too_many_requests, update
from tests.factories import network_cso

URL = "/channels/telegram/webhook"
HEADERS = {SECRET_HEADER: CREDENTIALS["TELEGRAM_SECRET_TOKEN"]}
CHAT = 987654321


def post(site, body: dict, headers: dict | None = None):
    return site.post(URL, json=body, headers=HEADERS if headers is None else headers)


def conversations() -> list[Conversation]:
    db.session.rollback()  # see what the site's threads committed
    return list(db.session.scalars(select(Conversation).filter_by(channel="telegram")))


def sent(platform) -> list[dict]:
    return [call.json for call in platform.calls(r"/sendMessage$", "POST")]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}])
def test_a_wrong_or_missing_secret_is_refused(site, platform, headers):
    network_cso()
    response = post(site, update(1, CHAT, text="Hello"), headers)
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []


def test_a_message_starts_a_conversation_and_is_greeted(site, platform):
    network_cso()
    response = post(site, update(10, CHAT, text="My agent kept my passport"))
    assert response.status_code == 200
    [conversation] = conversations()
    assert conversation.channel == "telegram"
    worker, greeting = conversation.messages
    assert worker.kind == MessageKind.FROM_WORKER
    assert worker.text == "My agent kept my passport"
    assert greeting.delivery == Delivery.SENT and greeting.platform_id
    [greeted] = sent(platform)
    assert greeted["chat_id"] == str(CHAT)
    assert "Golden Dreams" in greeted["text"] or "ရွှေ" in greeted["text"]
    assert "/rights" in greeted["text"]  # the link, as a line of text
    keyboard = greeted["reply_markup"]
    labels = [button["text"] for row in keyboard["keyboard"] for button in row]
    assert "English" in labels and "မြန်မာ" in labels
    assert keyboard["one_time_keyboard"] is True and keyboard["resize_keyboard"] is True
    # The app's language (Burmese) chose the greeting's.
    assert conversation.language == "my"
    # The chat id is kept encrypted only.
    raw = db.session.execute(text("SELECT platform_user_id, profile_name FROM app_senders"))
    assert all(str(CHAT) not in str(value) and "Aye" not in str(value)
               for row in raw for value in row)  # fmt: skip
    assert db.session.scalar(select(AppSender.platform_user_id)) == str(CHAT)


def test_the_same_update_twice_is_one_message(site, platform):
    network_cso()
    body = update(11, CHAT, text="Hello")
    assert post(site, body).status_code == 200
    assert post(site, body).status_code == 200
    [conversation] = conversations()
    assert [m.text for m in conversation.messages if m.from_worker] == ["Hello"]
    assert len(sent(platform)) == 1


@pytest.mark.parametrize("body", [
    {"update_id": 20, "edited_message": update(20, CHAT, text="edited")["message"]},
    {"update_id": 21, "channel_post": {"message_id": 1, "chat": {"id": -100, "type": "channel"},
                                       "date": 0, "text": "news"}},
    {"update_id": 22, "my_chat_member": {"chat": {"id": CHAT, "type": "private"}}},
    {"update_id": 23, "message": {**update(23, CHAT, text="hi")["message"],
                                  "chat": {"id": -4242, "type": "group", "title": "x"}}},
    update(24, CHAT, sticker={"file_id": "CAACAgIAAxkBAAE", "width": 512, "height": 512}),
])  # fmt: skip
def test_updates_not_used_are_acknowledged_and_not_stored(site, platform, body):
    network_cso()
    assert post(site, body).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []


def test_a_body_that_is_not_an_update_is_refused(site, platform):
    response = site.post(URL, content=b"not json", headers=HEADERS)
    assert response.status_code == 400


def test_choosing_a_language_greets_again_in_it(site, platform):
    network_cso()
    post(site, update(30, CHAT, text="Hello"))
    post(site, update(31, CHAT, text="ខ្មែរ"))  # the button's label, sent as text
    [conversation] = conversations()
    assert conversation.language == "km"
    first, again = sent(platform)
    assert again["text"] != first["text"]
    assert "reply_markup" in again
    assert [m.text for m in conversation.messages if m.from_worker] == ["Hello"]


def test_a_voice_note_and_a_photo_are_kept_without_the_photos_location(site, platform):
    network_cso()
    voice = platform.telegram.add_file(b"OggS" + b"\0" * 200, "audio/ogg", "voice", "oga")
    photo_bytes = photo_with_location()
    assert Image.open(io.BytesIO(photo_bytes)).getexif().get(0x8825)
    small = platform.telegram.add_file(b"small", "image/jpeg", "photos", "jpg")
    photo = platform.telegram.add_file(photo_bytes, "image/jpeg", "photos", "jpg")
    post(
        site,
        update(
            40,
            CHAT,
            voice={
                "file_id": voice,
                "file_unique_id": "v1",
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 204,
            },
        ),
    )
    post(site, update(41, CHAT, caption="my room", photo=[
        {"file_id": small, "file_unique_id": "p0", "width": 8, "height": 6, "file_size": 5},
        {"file_id": photo, "file_unique_id": "p1", "width": 64, "height": 48,
         "file_size": len(photo_bytes)},
    ]))  # fmt: skip
    [conversation] = conversations()
    voice_message, photo_message = [m for m in conversation.messages if m.from_worker]
    [kept_voice] = voice_message.attachments
    assert kept_voice["kind"] == "voice" and kept_voice["mime"] == "audio/ogg"
    assert files.load(kept_voice["key"]) == b"OggS" + b"\0" * 200
    assert photo_message.text == "my room"
    [kept_photo] = photo_message.attachments
    assert kept_photo["kind"] == "photo"
    image = Image.open(io.BytesIO(files.load(kept_photo["key"])))
    assert image.size == (64, 48)  # the largest size, not the thumbnail
    assert not image.getexif()
    downloaded = [call.path for call in platform.calls(r"^/file/")]
    assert any(path.endswith(platform.telegram.files[photo][0]) for path in downloaded)
    assert not any(path.endswith(platform.telegram.files[small][0]) for path in downloaded)


class TestSmallCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 100}

    def test_an_attachment_over_the_cap_is_not_kept(self, site, platform):
        network_cso()
        announced = platform.telegram.add_file(b"x" * 500, "video/mp4", "videos", "mp4")
        unannounced = platform.telegram.add_file(b"y" * 500, "application/pdf")
        post(site, update(50, CHAT, video={"file_id": announced, "file_unique_id": "a",
                                           "width": 1, "height": 1, "duration": 1,
                                           "file_size": 500}))  # fmt: skip
        post(site, update(51, CHAT, document={"file_id": unannounced, "file_unique_id": "b",
                                              "file_name": "contract.pdf"}))  # fmt: skip
        [conversation] = conversations()
        first, second = [m for m in conversation.messages if m.from_worker]
        assert first.attachments == [{"kind": "video", "missing": "too_large"}]
        assert second.attachments == [{"kind": "document", "missing": "too_large"}]
        # Neither was downloaded.
        assert not platform.calls(r"^/file/")


class TestLargeCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 30 * 1024 * 1024}

    def test_a_file_over_the_bot_apis_20_mb_is_too_large(self, site, platform):
        network_cso()
        big = platform.telegram.add_file(b"z" * (21 * 1024 * 1024), "application/zip")
        post(site, update(52, CHAT, document={"file_id": big, "file_unique_id": "c"}))
        [conversation] = conversations()
        [worker] = [m for m in conversation.messages if m.from_worker]
        assert worker.attachments == [{"kind": "document", "missing": "too_large"}]
        assert platform.calls(r"/getFile$") and not platform.calls(r"^/file/")


def test_a_caseworker_reply_is_sent_in_parts_when_long(site, platform, user_for):
    network_cso()
    post(site, update(60, CHAT, text="Hello"))
    [conversation] = conversations()
    caseworker = user_for(Role.CASEWORKER, conversation.owner)
    inbox.reply(conversation, caseworker, "Call the hotline 1506.")
    long_text = ("word " * 1000).strip()  # 4999 letters: two messages
    inbox.reply(conversation, caseworker, long_text)
    db.session.rollback()
    replies = [m for m in conversation.messages if m.kind == MessageKind.TO_WORKER][1:]
    assert [m.delivery for m in replies] == [Delivery.SENT, Delivery.SENT]
    assert all(m.platform_id for m in replies)
    texts = [body["text"] for body in sent(platform)[1:]]
    assert texts[0] == "Call the hotline 1506."
    assert len(texts) == 3 and all(len(t) <= 4096 for t in texts)
    assert " ".join(texts[1:]) == long_text


def test_a_blocked_bot_fails_with_telegrams_reason(site, platform, user_for):
    network_cso()
    post(site, update(70, CHAT, text="Hello"))
    [conversation] = conversations()
    platform.telegram.blocked.add(str(CHAT))
    inbox.reply(conversation, user_for(Role.CASEWORKER, conversation.owner), "Are you safe?")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == "Telegram: Forbidden: bot was blocked by the user"


def test_flood_control_is_a_retry_with_telegrams_wait(app, platform):
    adapter = TelegramAdapter(app.config)
    platform.fail_next(too_many_requests(7))
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(str(CHAT)), Outgoing("Hello"))
    assert caught.value.retry is True and caught.value.retry_after == 7
    assert "Too Many Requests" in caught.value.reason
    # The next call goes through.
    assert adapter.send(Recipient(str(CHAT)), Outgoing("Hello")).isdigit()


def test_a_wrong_token_is_not_retried_and_not_shown(app, platform):
    adapter = TelegramAdapter({**app.config, "TELEGRAM_BOT_TOKEN": "1:wrong"})
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(str(CHAT)), Outgoing("Hello"))
    assert caught.value.retry is False
    assert caught.value.reason == "Telegram: Unauthorized"


def test_register_webhook_sets_the_secret_token(app, platform):
    adapter = TelegramAdapter(app.config)
    adapter.register_webhook("https://example.org/channels/telegram/webhook")
    [call] = platform.calls(r"/setWebhook$")
    assert call.json == {
        "url": "https://example.org/channels/telegram/webhook",
        "secret_token": CREDENTIALS["TELEGRAM_SECRET_TOKEN"],
        "allowed_updates": ["message"],
    }


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    post(site, update(80, CHAT, text="Hello"))
    post(site, update(81, CHAT, text="STOP"))
    [conversation] = conversations()
    assert conversation.is_closed
    assert conversation.sender_hash is None and conversation.app_sender is None
    assert db.session.scalar(select(AppSender.id)) is None
    assert all(not m.text for m in conversation.messages if m.from_worker)
    assert sent(platform)[-1]["chat_id"] == str(CHAT)  # told once, then forgotten
    assert db.session.scalar(select(Message.id).where(Message.text == "STOP")) is None
