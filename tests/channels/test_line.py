"""LINE end to end: webhook bodies POSTed over HTTP to the running site, signed as LINE
signs them; the site's calls to the Messaging API answered by the fake (fakes/line.py),
which checks the bearer token, the reply tokens, the retry keys and the messages' shape."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from PIL import Image
from sqlalchemy import select, text

from goldendreams.channels.adapters.base import Media, Outgoing, PlatformError, Recipient
from goldendreams.channels.adapters.line import SIGNATURE_HEADER, LineAdapter
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import AppSender, Conversation, Delivery, MessageKind
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.line import body, error, event, message, sign, too_many_requests
from tests.channels.fakes.telegram import photo_with_location
from tests.factories import network_cso

URL = "/channels/line/webhook"
SECRET = CREDENTIALS["LINE_CHANNEL_SECRET"]
USER = "U4af4980629" + "0123456789abcdef0123456"
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomM4A " + b"\x00" * 200


def post(site, data: dict, signature: str | None = None, signed: bool = True):
    raw = json.dumps(data).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers[SIGNATURE_HEADER] = signature if signature is not None else sign(raw, SECRET)
    return site.post(URL, content=raw, headers=headers)


def say(site, platform, message_id: str, words: str, reply_token: str | None = None):
    """The worker writes ``words``; the event carries a fresh reply token."""
    token = reply_token or platform.line.reply_token()
    item = message(USER, message_id, token, type="text", text=words, quoteToken="q3Plxr4AgKd")
    return post(site, body(item))


def conversations() -> list[Conversation]:
    db.session.rollback()  # see what the site's threads committed
    return list(db.session.scalars(select(Conversation).filter_by(channel="line")))


def replies(platform) -> list[dict]:
    return [call.json for call in platform.calls(r"^/v2/bot/message/reply$", "POST")]


def pushes(platform) -> list[dict]:
    return [call.json for call in platform.calls(r"^/v2/bot/message/push$", "POST")]


def worker_texts(conversation: Conversation) -> list[str | None]:
    return [m.text for m in conversation.messages if m.from_worker]


@pytest.mark.parametrize(
    ("signature", "signed"), [(None, False), ("bm90IHRoZSBzaWduYXR1cmU=", True)]
)
def test_a_wrong_or_missing_signature_is_refused(site, platform, signature, signed):
    network_cso()
    item = message(USER, "100001", platform.line.reply_token(), type="text", text="Hello")
    assert post(site, body(item), signature, signed).status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []
    assert platform.requests == []


def test_a_message_is_greeted_by_reply_with_quick_replies(site, platform):
    network_cso()
    token = platform.line.reply_token()
    assert say(site, platform, "100002", "My boss took my passport", token).status_code == 200
    [conversation] = conversations()
    assert conversation.channel == "line"
    worker, greeting = conversation.messages
    assert worker.kind == MessageKind.FROM_WORKER
    assert worker.text == "My boss took my passport"
    assert greeting.delivery == Delivery.SENT and len(greeting.platform_id) == 64  # hashed
    [call] = platform.calls(r"^/v2/bot/message/reply$")
    assert call.headers["authorization"] == f"Bearer {CREDENTIALS['LINE_ACCESS_TOKEN']}"
    assert "x-line-retry-key" not in call.headers
    assert call.json["replyToken"] == token
    [greeted] = call.json["messages"]
    assert greeted["type"] == "text" and "/rights" in greeted["text"]
    actions = [item["action"] for item in greeted["quickReply"]["items"]]
    assert {a["data"]: a["label"] for a in actions}["lang:my"] == "မြန်မာ"
    assert all(a["type"] == "postback" and a["displayText"] == a["label"] for a in actions)
    assert pushes(platform) == []
    # The LINE user id is kept encrypted only.
    raw = db.session.execute(text("SELECT platform_user_id FROM app_senders"))
    assert all(USER not in str(value) for row in raw for value in row)
    assert db.session.scalar(select(AppSender.platform_user_id)) == USER
    # A second message of the same conversation is not greeted again.
    say(site, platform, "100003", "Please help")
    [conversation] = conversations()
    assert worker_texts(conversation) == ["My boss took my passport", "Please help"]
    assert len(replies(platform)) == 1 and pushes(platform) == []


def test_a_redelivered_event_is_one_message(site, platform):
    network_cso()
    item = message(USER, "100010", platform.line.reply_token(), type="text", text="Hello")
    assert post(site, body(item)).status_code == 200
    again = {**item, "deliveryContext": {"isRedelivery": True}}
    assert post(site, body(again)).status_code == 200
    [conversation] = conversations()
    assert worker_texts(conversation) == ["Hello"]
    assert len(replies(platform)) == 1


@pytest.mark.parametrize("item", [
    event("follow", USER, "f" * 32, follow={"isUnblocked": False}),
    event("unfollow", USER),
    event("unsend", USER, unsend={"messageId": "100020"}),
    {**message(USER, "100021", "g" * 32, type="text", text="hi"),
     "source": {"type": "group", "groupId": "Ca56f94637c", "userId": USER}},
    message(USER, "100022", "h" * 32, type="sticker", packageId="446", stickerId="1988",
            stickerResourceType="STATIC"),
    message(USER, "100023", "i" * 32, type="location", title="Home", address="Bangkok",
            latitude=13.75, longitude=100.5),
])  # fmt: skip
def test_events_not_used_are_acknowledged_and_not_stored(site, platform, item):
    network_cso()
    assert post(site, body(item)).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None
    assert conversations() == []
    assert platform.requests == []


def test_an_empty_events_list_is_lines_check_and_answers_200(site, platform):
    assert post(site, body()).status_code == 200


@pytest.mark.parametrize("raw", [b"not json", b'{"destination": "U1"}', b'{"events": [1]}'])
def test_a_body_that_is_not_lines_is_refused(site, raw):
    headers = {SIGNATURE_HEADER: sign(raw, SECRET), "Content-Type": "application/json"}
    assert site.post(URL, content=raw, headers=headers).status_code == 400


def test_a_postback_chooses_the_language_and_greets_again_in_it(site, platform):
    network_cso()
    say(site, platform, "100030", "Hello")
    token = platform.line.reply_token()
    tapped = event("postback", USER, token, postback={"data": "lang:th"})
    assert post(site, body(tapped)).status_code == 200
    [conversation] = conversations()
    assert conversation.language == "th"
    first, again = replies(platform)
    assert again["replyToken"] == token
    assert again["messages"][0]["text"] != first["messages"][0]["text"]
    assert "quickReply" in again["messages"][-1]
    assert worker_texts(conversation) == ["Hello"]  # the tap is not a message
    # The same postback delivered again changes nothing more.
    post(site, body({**tapped, "deliveryContext": {"isRedelivery": True}}))
    assert len(replies(platform)) == 2


def test_an_image_and_a_voice_message_are_fetched_and_kept(site, platform):
    network_cso()
    photo = photo_with_location()
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825)
    image_id = platform.line.add_content(photo, "image/jpeg")
    audio_id = platform.line.add_content(M4A, "audio/x-m4a")
    post(site, body(
        message(USER, image_id, platform.line.reply_token(), type="image",
                contentProvider={"type": "line"},
                imageSet={"id": "E005D41A", "index": 1, "total": 1}),
        message(USER, audio_id, platform.line.reply_token(), type="audio", duration=3000,
                contentProvider={"type": "line"}),
    ))  # fmt: skip
    [conversation] = conversations()
    photo_message, voice_message = [m for m in conversation.messages if m.from_worker]
    [kept_photo] = photo_message.attachments
    assert kept_photo["kind"] == "photo" and kept_photo["mime"] == "image/jpeg"
    image = Image.open(io.BytesIO(files.load(kept_photo["key"])))
    assert image.size == (64, 48)
    assert not image.getexif()
    [kept_voice] = voice_message.attachments
    assert kept_voice["kind"] == "voice" and kept_voice["mime"] == "audio/x-m4a"
    assert files.load(kept_voice["key"]) == M4A
    calls = platform.calls(r"^/v2/bot/message/\d+/content$", "GET")
    assert sorted(call.path for call in calls) == sorted(
        f"/v2/bot/message/{i}/content" for i in (image_id, audio_id)
    )
    assert all(c.headers["authorization"] == "Bearer line-access-token" for c in calls)
    # One greeting only, by the first event's reply token.
    assert len(replies(platform)) == 1


class TestSmallCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 100}

    def test_an_attachment_over_the_cap_is_not_kept(self, site, platform):
        network_cso()
        announced = platform.line.add_content(b"x" * 500, "application/pdf")
        unannounced = platform.line.add_content(b"y" * 500, "video/mp4")
        post(site, body(message(USER, announced, platform.line.reply_token(), type="file",
                                fileName="contract.pdf", fileSize=500)))  # fmt: skip
        post(site, body(message(USER, unannounced, platform.line.reply_token(), type="video",
                                duration=2000, contentProvider={"type": "line"})))  # fmt: skip
        [conversation] = conversations()
        first, second = [m for m in conversation.messages if m.from_worker]
        assert first.attachments == [{"kind": "document", "missing": "too_large"}]
        assert second.attachments == [{"kind": "video", "missing": "too_large"}]
        # The announced one was not even downloaded.
        assert [call.path for call in platform.calls(r"/content$")] == [
            f"/v2/bot/message/{unannounced}/content"
        ]


def test_a_caseworker_reply_is_pushed_with_a_retry_key(site, platform, user_for):
    network_cso()
    say(site, platform, "100040", "Hello")
    [conversation] = conversations()
    caseworker = user_for(Role.CASEWORKER, conversation.owner)
    inbox.reply(conversation, caseworker, "Call the hotline 1506.")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.SENT and len(reply.platform_id) == 64  # hashed
    [call] = platform.calls(r"^/v2/bot/message/push$")
    assert call.json == {
        "to": USER,
        "messages": [{"type": "text", "text": "Call the hotline 1506."}],
    }
    uuid.UUID(call.headers["x-line-retry-key"])
    assert len(replies(platform)) == 1  # the greeting only


def test_a_refused_reply_token_falls_back_to_push(site, platform):
    network_cso()
    say(site, platform, "100050", "Hello", reply_token="nHuyWiB7yP5Zw52FIkcQobQuGDXCTA")
    [conversation] = conversations()
    greeting = conversation.messages[-1]
    assert greeting.delivery == Delivery.SENT
    [refused] = platform.calls(r"^/v2/bot/message/reply$")
    [pushed] = pushes(platform)
    assert pushed["to"] == USER and pushed["messages"] == refused.json["messages"]


def test_a_user_line_does_not_know_fails_with_lines_reason(site, platform, user_for):
    network_cso()
    say(site, platform, "100060", "Hello")
    [conversation] = conversations()
    platform.line.unknown.add(USER)
    inbox.reply(conversation, user_for(Role.CASEWORKER, conversation.owner), "Are you safe?")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == "LINE: Failed to send messages"


def test_the_rate_limit_is_a_retry_and_the_monthly_limit_is_not(app, platform):
    adapter = LineAdapter(app.config)
    platform.fail_next(too_many_requests(7))
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is True and caught.value.retry_after == 7
    assert caught.value.reason == "LINE: The API rate limit has been exceeded. Try again later."
    platform.fail_next(error(429, "You have reached your monthly limit."))
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is False
    # The next call goes through.
    assert adapter.send(Recipient(USER), Outgoing("Hello")).isdigit()


def test_a_push_whose_answer_was_lost_is_sent_once(app, platform):
    adapter = LineAdapter(app.config)
    platform.line.lose_answers = 1  # LINE takes it, but the answer is a 500
    assert adapter.send(Recipient(USER), Outgoing("Hello")).isdigit()
    first, second = platform.calls(r"^/v2/bot/message/push$")
    assert first.headers["x-line-retry-key"] == second.headers["x-line-retry-key"]
    assert len(platform.line.retry_keys) == 1  # sent once: the second try answered 409
    # Two server errors in a row: tried again later, by the queue.
    platform.fail_next(error(500, "Internal server error"), times=2)
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is True


def test_refusals_are_not_retried(app, platform):
    adapter = LineAdapter({**app.config, "LINE_ACCESS_TOKEN": "wrong"})
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("Hello"))
    assert caught.value.retry is False
    assert caught.value.reason.startswith("LINE: Authentication failed.")
    adapter = LineAdapter(app.config)
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(USER), Outgoing("x" * 5001))
    assert caught.value.retry is False
    assert caught.value.reason == (
        "LINE: The request body has 1 error(s): Length must be between 0 and 5000 "
        "(messages[0].text)"
    )


def test_links_and_choices_fit_lines_limits(app, platform):
    adapter = LineAdapter(app.config)
    choices = [(f"lang:{n}", f"A very long language name {n}") for n in range(15)]
    adapter.send(Recipient(USER), Outgoing("x" * 4990, choices, [("Rights", "https://e.org/r")]))
    [call] = platform.calls(r"^/v2/bot/message/push$")
    first, second = call.json["messages"]
    assert first == {"type": "text", "text": "x" * 4990}
    assert second["text"] == "Rights: https://e.org/r"
    items = second["quickReply"]["items"]
    assert len(items) == 13 and all(len(i["action"]["label"]) <= 20 for i in items)


def test_media_comes_from_the_data_host_unless_the_api_base_is_changed(app):
    assert LineAdapter({**app.config, "LINE_API_BASE": "https://api.line.me"}).data_base == (
        "https://api-data.line.me"
    )
    adapter = LineAdapter(app.config)
    assert adapter.data_base == app.config["LINE_API_BASE"]
    with pytest.raises(PlatformError) as caught:
        adapter.fetch_media(Media("photo", "999"), 1000)  # LINE no longer has it
    assert caught.value.reason == "media: HTTP 404"


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    say(site, platform, "100080", "Hello")
    token = platform.line.reply_token()
    say(site, platform, "100081", "STOP", token)
    [conversation] = conversations()
    assert conversation.is_closed
    assert conversation.sender_hash is None and conversation.app_sender is None
    assert db.session.scalar(select(AppSender.id)) is None
    assert all(not m.text for m in conversation.messages if m.from_worker)
    assert replies(platform)[-1]["replyToken"] == token  # told once, then forgotten


def test_a_language_tapped_after_stop_answers_and_keeps_nothing(site, platform):
    network_cso()
    say(site, platform, "100090", "Hello")
    say(site, platform, "100091", "STOP", platform.line.reply_token())
    token = platform.line.reply_token()
    tapped = event("postback", USER, token, postback={"data": "lang:km"})
    assert post(site, body(tapped)).status_code == 200
    [conversation] = conversations()  # the closed, forgotten one: no new, empty one
    assert conversation.is_closed and conversation.sender_hash is None
    assert replies(platform)[-1]["replyToken"] == token
    assert "quickReply" in replies(platform)[-1]["messages"][-1]


def test_a_reply_tried_again_by_the_queue_keeps_its_retry_key(app, platform):
    adapter = LineAdapter(app.config)
    adapter.send(Recipient(USER), Outgoing("Hello", key="41:1"))
    adapter.send(Recipient(USER), Outgoing("Hello", key="41:1"))
    adapter.send(Recipient(USER), Outgoing("Hello", key="41:2"))
    first, again, other = platform.calls(r"^/v2/bot/message/push$")
    assert first.headers["x-line-retry-key"] == again.headers["x-line-retry-key"]
    assert other.headers["x-line-retry-key"] != first.headers["x-line-retry-key"]
