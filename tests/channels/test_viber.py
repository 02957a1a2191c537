"""Viber end to end: callbacks POSTed over HTTP to the running site, signed as Viber signs
them; the site's calls to the REST bot API answered by the fake (fakes/viber.py), which
checks the auth token header and the request's shape."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from sqlalchemy import select, text

from goldendreams.channels.adapters.base import Outgoing, PlatformError, Recipient
from goldendreams.channels.adapters.viber import SIGNATURE_HEADER, ViberAdapter
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import AppSender, Conversation, Delivery, MessageKind
from tests.channels.conftest import CREDENTIALS
from tests.channels.fake_platform import Answer
from tests.channels.fakes.telegram import photo_with_location
from tests.channels.fakes.viber import callback, message, sign, too_many_requests
from tests.factories import network_cso

URL = "/channels/viber/webhook"
TOKEN = CREDENTIALS["VIBER_AUTH_TOKEN"]
USER = "01234567890A+bcDEfGHijk=="
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomM4A " + b"\x00" * 200


def post(site, body: dict, signature: str | None = None, signed: bool = True):
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers[SIGNATURE_HEADER] = signature if signature is not None else sign(raw, TOKEN)
    return site.post(URL, content=raw, headers=headers)


def conversations() -> list[Conversation]:
    db.session.rollback()  # see what the site's threads committed
    return list(db.session.scalars(select(Conversation).filter_by(channel="viber")))


def sent(platform) -> list[dict]:
    return [call.json for call in platform.calls(r"^/pa/send_message$", "POST")]


def worker_texts(conversation: Conversation) -> list[str | None]:
    return [m.text for m in conversation.messages if m.from_worker]


@pytest.mark.parametrize(
    ("signature", "signed"), [(None, False), ("0" * 64, True), (sign(b"{}", TOKEN), True)]
)
def test_a_wrong_or_missing_signature_is_refused(site, platform, signature, signed):
    network_cso()
    response = post(site, message(1, USER, type="text", text="Hello"), signature, signed)
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []
    assert sent(platform) == []


def test_a_message_starts_a_conversation_and_is_greeted_with_a_keyboard(site, platform):
    network_cso()
    response = post(site, message(4912661846655238145, USER, type="text",
                                  text="My agent kept my passport"))  # fmt: skip
    assert response.status_code == 200
    [conversation] = conversations()
    assert conversation.channel == "viber"
    assert conversation.language == "my"  # the app's language (sender.language)
    assert conversation.country == "TH"  # Viber's sender.country
    worker, greeting = conversation.messages
    assert worker.kind == MessageKind.FROM_WORKER
    assert worker.text == "My agent kept my passport"
    assert greeting.delivery == Delivery.SENT and len(greeting.platform_id) == 64  # hashed
    [greeted] = platform.calls(r"^/pa/send_message$")
    assert greeted.headers["x-viber-auth-token"] == TOKEN
    body = greeted.json
    assert body["receiver"] == USER and body["type"] == "text"
    assert body["sender"] == {"name": "Golden Dreams"} and body["min_api_version"] == 1
    assert "/rights" in body["text"]  # the link, as a line of text
    keyboard = body["keyboard"]
    assert keyboard["Type"] == "keyboard" and keyboard["DefaultHeight"] is False
    buttons = {b["ActionBody"]: b["Text"] for b in keyboard["Buttons"]}
    assert buttons["lang:my"] == "မြန်မာ" and buttons["lang:en"] == "English"
    assert all(b["ActionType"] == "reply" for b in keyboard["Buttons"])
    # The Viber id and name are kept encrypted only.
    raw = db.session.execute(text("SELECT platform_user_id, profile_name FROM app_senders"))
    assert all(USER not in str(value) and "Aye" not in str(value)
               for row in raw for value in row)  # fmt: skip
    sender = db.session.scalar(select(AppSender))
    assert (sender.platform_user_id, sender.profile_name) == (USER, "Aye Aye")


def test_the_same_callback_twice_is_one_message(site, platform):
    network_cso()
    body = message(11, USER, type="text", text="Hello")
    assert post(site, body).status_code == 200
    assert post(site, body).status_code == 200
    [conversation] = conversations()
    assert worker_texts(conversation) == ["Hello"]
    assert len(sent(platform)) == 1
    # A second message of the same worker is not greeted again.
    post(site, message(12, USER, type="text", text="Are you there?"))
    [conversation] = conversations()
    assert worker_texts(conversation) == ["Hello", "Are you there?"]
    assert len(sent(platform)) == 1


@pytest.mark.parametrize("body", [
    callback("subscribed", 21, user={"id": USER, "name": "Aye", "language": "my"}),
    callback("unsubscribed", 22, user_id=USER),
    callback("conversation_started", 23, type="open", context="", subscribed=False,
             user={"id": USER, "name": "Aye", "language": "my", "country": "TH"}),
    callback("webhook", 24),
    callback("client_status", 25),
    message(26, USER, type="sticker", sticker_id=46105),
    message(27, USER, type="location", location={"lat": 13.75, "lon": 100.5}),
    message(28, USER, type="contact", contact={"name": "Boss", "phone_number": "+66811111111"}),
])  # fmt: skip
def test_callbacks_not_used_are_acknowledged_and_not_stored(site, platform, body):
    network_cso()
    assert post(site, body).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []
    assert sent(platform) == []


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"event": "message", "sender": {}}'])
def test_a_body_that_is_not_a_callback_is_refused(site, raw):
    headers = {SIGNATURE_HEADER: sign(raw, TOKEN), "Content-Type": "application/json"}
    assert site.post(URL, content=raw, headers=headers).status_code == 400


def test_a_tap_on_a_language_greets_again_in_it(site, platform):
    network_cso()
    post(site, message(30, USER, type="text", text="Hello", language="en"))
    # The keyboard's reply: a text message whose text is the button's ActionBody.
    post(site, message(31, USER, type="text", text="lang:km", language="en"))
    [conversation] = conversations()
    assert conversation.language == "km"
    first, again = sent(platform)
    assert again["text"] != first["text"] and "keyboard" in again
    assert worker_texts(conversation) == ["Hello"]  # the tap is not a message


def test_a_picture_and_a_voice_file_are_kept_without_the_photos_location(site, platform):
    network_cso()
    photo = photo_with_location()
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825)
    picture_url = platform.viber.add_media(photo, "image/jpeg", "jpg")
    voice_url = platform.viber.add_media(M4A, "audio/mp4", "m4a")
    post(
        site,
        message(
            40,
            USER,
            type="picture",
            text="my room",
            media=picture_url,
            thumbnail=picture_url,
            size=len(photo),
            file_name="IMG_0001.jpg",
        ),
    )
    post(site, message(41, USER, type="file", media=voice_url, size=len(M4A),
                       file_name="Voice 001.m4a"))  # fmt: skip
    [conversation] = conversations()
    photo_message, voice_message = [m for m in conversation.messages if m.from_worker]
    assert photo_message.text == "my room"
    [kept_photo] = photo_message.attachments
    assert kept_photo["kind"] == "photo" and kept_photo["mime"] == "image/jpeg"
    image = Image.open(io.BytesIO(files.load(kept_photo["key"])))
    assert image.size == (64, 48)
    assert not image.getexif()
    [kept_voice] = voice_message.attachments
    assert kept_voice["kind"] == "voice" and kept_voice["mime"] == "audio/mp4"
    assert files.load(kept_voice["key"]) == M4A
    # Downloaded from Viber's media addresses, without the bot's token.
    media_calls = platform.calls(r"^/viber-media/")
    assert len(media_calls) == 2
    assert all("x-viber-auth-token" not in call.headers for call in media_calls)


class TestSmallCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 100}

    def test_an_attachment_over_the_cap_is_not_kept(self, site, platform):
        network_cso()
        announced = platform.viber.add_media(b"x" * 500, "video/mp4", "mp4")
        unannounced = platform.viber.add_media(b"y" * 500, "application/pdf", "pdf")
        post(site, message(50, USER, type="video", media=announced, size=500, duration=3))
        post(site, message(51, USER, type="file", media=unannounced,
                           file_name="contract.pdf"))  # fmt: skip
        [conversation] = conversations()
        first, second = [m for m in conversation.messages if m.from_worker]
        assert first.attachments == [{"kind": "video", "missing": "too_large"}]
        assert second.attachments == [{"kind": "document", "missing": "too_large"}]
        # The announced one was not even downloaded.
        assert [call.path for call in platform.calls(r"^/viber-media/")] == [
            unannounced.removeprefix(platform.base)
        ]


def test_a_caseworker_reply_is_sent_then_delivered_then_seen(site, platform, user_for):
    network_cso()
    post(site, message(60, USER, type="text", text="Hello"))
    [conversation] = conversations()
    caseworker = user_for(Role.CASEWORKER, conversation.owner)
    inbox.reply(conversation, caseworker, "Call the hotline 1506.")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.SENT
    body = sent(platform)[-1]
    assert body["receiver"] == USER and body["text"] == "Call the hotline 1506."
    assert "keyboard" not in body
    token = platform.answered(r"^/pa/send_message$")[-1]["message_token"]
    assert post(site, callback("delivered", token, user_id=USER)).status_code == 200
    db.session.rollback()
    assert reply.delivery == Delivery.DELIVERED
    post(site, callback("seen", token, user_id=USER))
    post(site, callback("delivered", token, user_id=USER))  # late: never moves back
    db.session.rollback()
    assert reply.delivery == Delivery.READ


def test_a_failed_report_shows_vibers_reason(site, platform, user_for):
    network_cso()
    post(site, message(65, USER, type="text", text="Hello"))
    [conversation] = conversations()
    inbox.reply(conversation, user_for(Role.CASEWORKER, conversation.owner), "Are you safe?")
    db.session.rollback()
    reply = conversation.messages[-1]
    token = platform.answered(r"^/pa/send_message$")[-1]["message_token"]
    post(site, callback("failed", token, user_id=USER, desc="failure desc"))
    db.session.rollback()
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == "Viber: failure desc"


def test_a_worker_who_left_the_bot_fails_with_vibers_reason(site, platform, user_for):
    network_cso()
    post(site, message(70, USER, type="text", text="Hello"))
    [conversation] = conversations()
    platform.viber.unsubscribed.add(USER)
    inbox.reply(conversation, user_for(Role.CASEWORKER, conversation.owner), "Are you safe?")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == "Viber: receiverNotSubscribed"


def test_rate_control_is_a_retry(app, platform):
    adapter = ViberAdapter(app.config)
    platform.fail_next(too_many_requests())
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is True
    assert caught.value.reason == "Viber: tooManyRequests"
    platform.fail_next(Answer(503, b"Service Unavailable"))
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is True
    # The next call goes through.
    assert adapter.send(Recipient(USER), Outgoing("Hello")).isdigit()


def test_a_wrong_token_is_not_retried(app, platform):
    adapter = ViberAdapter({**app.config, "VIBER_AUTH_TOKEN": "wrong"})
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is False
    assert caught.value.reason == "Viber: invalidAuthToken"


def test_links_that_do_not_fit_go_in_a_second_message(app, platform):
    adapter = ViberAdapter(app.config)
    long_text = "word " * 1399 + "word"  # 6999 letters
    adapter.send(
        Recipient(USER),
        Outgoing(
            long_text, [("lang:en", "English")], [("Know your rights", "https://example.org/r")]
        ),
    )
    first, second = sent(platform)
    assert first["text"] == long_text and "keyboard" not in first
    assert second["text"] == "Know your rights: https://example.org/r"
    assert second["keyboard"]["Buttons"][0]["ActionBody"] == "lang:en"


def test_register_webhook_sets_it_and_viber_checks_the_address(site, app, platform):
    adapter = ViberAdapter(app.config)
    url = str(site.base_url).rstrip("/") + URL
    assert adapter.register_webhook(url) == "Viber: webhook set (delivered, seen, failed)"
    [call] = platform.calls(r"^/pa/set_webhook$")
    assert call.headers["x-viber-auth-token"] == TOKEN
    assert call.json == {"url": url, "event_types": ["delivered", "seen", "failed"],
                         "send_name": True, "send_photo": False}  # fmt: skip
    assert platform.viber.webhook["url"] == url
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None  # Viber's check stores nothing
    # An address that does not answer 200 is refused by Viber.
    with pytest.raises(PlatformError) as caught:
        adapter.register_webhook(str(site.base_url).rstrip("/") + "/channels/nothing/webhook")
    assert caught.value.reason == "Viber: invalidUrl"


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    post(site, message(80, USER, type="text", text="Hello"))
    post(site, message(81, USER, type="text", text="ရပ်"))
    [conversation] = conversations()
    assert conversation.is_closed
    assert conversation.sender_hash is None and conversation.app_sender is None
    assert db.session.scalar(select(AppSender.id)) is None
    assert all(not m.text for m in conversation.messages if m.from_worker)
    assert sent(platform)[-1]["receiver"] == USER  # told once, then forgotten
