"""SMS through a Twilio-compatible gateway, end to end: forms POSTed over HTTP to the running
site, signed over SITE_URL + the path as the gateway signs them; the site's calls to the
Messages resource answered by the fake gateway (fakes/twilio.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select, text

from goldendreams.channels.adapters.base import Outgoing, PlatformError, Recipient
from goldendreams.channels.adapters.sms import EMPTY_TWIML, SmsAdapter, signature
from goldendreams.channels.models import Inbound
from goldendreams.core import files
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import AppSender, Conversation, Delivery, MessageKind
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.telegram import photo_with_location
from tests.channels.fakes.twilio import incoming, sign, status, too_many_requests
from tests.factories import network_cso

URL = "/channels/sms/webhook"
SID = CREDENTIALS["SMS_ACCOUNT_SID"]
TOKEN = CREDENTIALS["SMS_AUTH_TOKEN"]
PHONE = "+959123456789"  # a Myanmar number


def post(site, params: dict, signed: str | None = None, path: str = URL):
    """POST as the gateway does: a form, signed over the public URL it called."""
    headers = {"X-Twilio-Signature": sign(TOKEN, str(site.base_url).rstrip("/") + path, params)}
    if signed is not None:
        headers = {"X-Twilio-Signature": signed} if signed else {}
    return site.post(path, data=params, headers=headers)


def message(number: int, body: str = "", media=(), sender: str = PHONE) -> dict:
    return incoming(number, sender, body, list(media), account=SID)


def conversations() -> list[Conversation]:
    db.session.rollback()
    return list(db.session.scalars(select(Conversation).filter_by(channel="sms")))


def sent(platform) -> list[dict]:
    return [
        {name: values[0] for name, values in call.form.items()}
        for call in platform.calls(r"/Messages\.json$", "POST")
    ]


def test_the_signature_is_twilios_documented_one():
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
              "From": "+12349013030", "To": "+18005551212"}  # fmt: skip
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert sign("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.mark.parametrize("signed", ["", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="])
def test_a_wrong_or_missing_signature_is_refused(site, platform, signed):
    network_cso()
    assert post(site, message(1, "Hello"), signed=signed).status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None


def test_another_accounts_delivery_is_refused(site, platform):
    network_cso()
    params = incoming(2, PHONE, "Hello", account="AC" + "f" * 32)
    assert post(site, params).status_code == 403
    assert conversations() == []


def test_a_signature_over_another_address_is_refused(site, platform):
    network_cso()
    params = message(3, "Hello")
    forged = sign(TOKEN, "https://elsewhere.example" + URL, params)
    assert post(site, params, signed=forged).status_code == 403


def test_the_signature_covers_the_query_string(site, platform):
    network_cso()
    assert post(site, message(4, "Hello"), path=URL + "?account=main").status_code == 200
    params = message(5, "Hello")
    forged = sign(TOKEN, str(site.base_url).rstrip("/") + URL, params)
    assert post(site, params, signed=forged, path=URL + "?account=main").status_code == 403


def test_a_text_starts_a_conversation_greeted_with_the_languages(site, platform):
    network_cso()
    response = post(site, message(10, "My agent kept my passport"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == EMPTY_TWIML
    [conversation] = conversations()
    assert conversation.channel == "sms"
    assert conversation.language == "my" and conversation.country == "MM"  # the number's
    worker, greeting = conversation.messages
    assert worker.kind == MessageKind.FROM_WORKER and worker.text == "My agent kept my passport"
    assert greeting.delivery == Delivery.SENT and len(greeting.platform_id) == 64  # hashed
    [greeted] = sent(platform)
    assert greeted["To"] == PHONE and greeted["From"] == CREDENTIALS["SMS_FROM"]
    assert greeted["StatusCallback"] == str(site.base_url).rstrip("/") + URL
    assert "English, မြန်မာ, " in greeted["Body"]
    assert "/rights" in greeted["Body"] and len(greeted["Body"]) <= 1600
    raw = db.session.execute(text("SELECT platform_user_id, phone FROM app_senders")).one()
    assert all(PHONE not in str(value) and PHONE[1:] not in str(value) for value in raw)
    sender = db.session.scalar(select(AppSender))
    assert sender.platform_user_id == PHONE and sender.phone == PHONE


def test_the_same_delivery_twice_is_one_message(site, platform):
    network_cso()
    params = message(11, "Hello")
    assert post(site, params).status_code == 200
    assert post(site, params).status_code == 200
    [conversation] = conversations()
    assert [m.text for m in conversation.messages if m.from_worker] == ["Hello"]
    assert len(sent(platform)) == 1


@pytest.mark.parametrize("params", [
    incoming(12, PHONE, "", account=SID),  # an empty text
    status("SM" + "1" * 32, "sent", SID),  # a status this site does not show
    status("SM" + "2" * 32, "queued", SID),
])  # fmt: skip
def test_deliveries_not_used_are_acknowledged_and_not_stored(site, platform, params):
    network_cso()
    assert post(site, params).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(Inbound.id)) is None


def test_a_form_that_is_not_the_gateways_is_refused(site, platform):
    assert post(site, {"AccountSid": SID, "Hello": "there"}).status_code == 400


def test_choosing_a_language_greets_again_in_it(site, platform):
    network_cso()
    post(site, message(20, "Hello"))
    post(site, message(21, "ខ្មែរ"))
    [conversation] = conversations()
    assert conversation.language == "km"
    first, again = sent(platform)
    assert again["Body"] != first["Body"] and "English, " in again["Body"]


def test_mms_photo_and_voice_are_kept_without_the_photos_location(site, platform):
    network_cso()
    photo = platform.twilio.add_media(platform.base, photo_with_location(), "image/jpeg")
    voice = platform.twilio.add_media(platform.base, b"#!AMR\n" + b"\1" * 100, "audio/amr")
    post(site, message(30, "my room", [(photo, "image/jpeg"), (voice, "audio/amr")]))
    [conversation] = conversations()
    [worker] = [m for m in conversation.messages if m.from_worker]
    kept_photo, kept_voice = worker.attachments
    assert kept_photo["kind"] == "photo" and kept_voice["kind"] == "voice"
    image = Image.open(io.BytesIO(files.load(kept_photo["key"])))
    assert image.size == (64, 48) and not image.getexif()
    assert files.load(kept_voice["key"]) == b"#!AMR\n" + b"\1" * 100
    assert kept_voice["mime"] == "audio/amr"
    # Fetched with the account's credentials, then from where the gateway sent them.
    media_calls = platform.calls(r"/Media/ME\w+$", "GET")
    assert len(media_calls) == 2 and all(c.headers["authorization"] for c in media_calls)
    assert len(platform.calls(r"^/twilio-cdn/")) == 2


class TestSmallCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CHANNEL_MEDIA_MAX_BYTES": 100}

    def test_an_attachment_over_the_cap_is_not_kept(self, site, platform):
        network_cso()
        video = platform.twilio.add_media(platform.base, b"v" * 500, "video/mp4")
        post(site, message(40, "", [(video, "video/mp4")]))
        [conversation] = conversations()
        [worker] = [m for m in conversation.messages if m.from_worker]
        assert worker.attachments == [{"kind": "video", "missing": "too_large"}]


def _conversation_with_greeting(site, platform, number: int = 50):
    post(site, message(number, "Hello"))
    [conversation] = conversations()
    return conversation


def test_a_caseworker_reply_is_sent_and_long_ones_in_parts(site, platform, user_for):
    network_cso()
    conversation = _conversation_with_greeting(site, platform)
    caseworker = user_for(Role.CASEWORKER, conversation.owner)
    inbox.reply(conversation, caseworker, "Call the hotline 1506.")
    long_text = ("word " * 400).strip()  # 1999 letters: two messages
    inbox.reply(conversation, caseworker, long_text)
    db.session.rollback()
    replies = [m for m in conversation.messages if m.kind == MessageKind.TO_WORKER][1:]
    assert [m.delivery for m in replies] == [Delivery.SENT, Delivery.SENT]
    assert all(len(m.platform_id) == 64 for m in replies)
    bodies = [form["Body"] for form in sent(platform)[1:]]
    assert bodies[0] == "Call the hotline 1506."
    assert len(bodies) == 3 and all(len(b) <= 1600 for b in bodies)
    assert " ".join(bodies[1:]) == long_text


def test_status_callbacks_mark_delivered_and_failed(site, platform, user_for):
    network_cso()
    conversation = _conversation_with_greeting(site, platform)
    caseworker = user_for(Role.CASEWORKER, conversation.owner)
    inbox.reply(conversation, caseworker, "First")
    inbox.reply(conversation, caseworker, "Second")
    db.session.rollback()
    first, second = conversation.messages[-2:]
    first_sid, second_sid = [a["sid"] for a in platform.answered(r"/Messages\.json$")[-2:]]
    assert post(site, status(first_sid, "sent", SID)).status_code == 200
    assert post(site, status(first_sid, "delivered", SID)).status_code == 200
    assert post(site, status(second_sid, "undelivered", SID, "30003")).status_code == 200
    db.session.rollback()
    assert first.delivery == Delivery.DELIVERED
    assert second.delivery == Delivery.FAILED
    assert second.delivery_error == "SMS: error 30003"


def test_a_refused_number_fails_with_the_gateways_reason(site, platform, user_for):
    network_cso()
    conversation = _conversation_with_greeting(site, platform)
    platform.twilio.unsubscribed.add(PHONE)
    inbox.reply(conversation, user_for(Role.CASEWORKER, conversation.owner), "Are you safe?")
    db.session.rollback()
    reply = conversation.messages[-1]
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error == "SMS: Attempt to send to unsubscribed recipient"


def test_the_number_is_cut_out_of_the_gateways_reason(app, platform):
    adapter = SmsAdapter(app.config)
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient("+95 9123", phone="+95 9123"), Outgoing("Hello"))
    assert caught.value.retry is False
    assert caught.value.reason == "SMS: The 'To' number … is not a valid phone number."


def test_a_rate_limit_is_a_retry(app, platform):
    adapter = SmsAdapter(app.config)
    platform.fail_next(too_many_requests(4))
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(PHONE, phone=PHONE), Outgoing("Hello"))
    assert caught.value.retry is True and caught.value.retry_after == 4
    assert adapter.send(Recipient(PHONE, phone=PHONE), Outgoing("Hello")).startswith("SM")


def test_wrong_credentials_are_not_retried(app, platform):
    adapter = SmsAdapter({**app.config, "SMS_AUTH_TOKEN": "wrong"})
    with pytest.raises(PlatformError) as caught:
        adapter.send(Recipient(PHONE, phone=PHONE), Outgoing("Hello"))
    assert caught.value.retry is False and caught.value.reason == "SMS: Authenticate"


def test_stop_forgets_the_worker(site, platform):
    network_cso()
    post(site, message(60, "Hello"))
    post(site, message(61, "STOP"))
    [conversation] = conversations()
    assert conversation.is_closed
    assert conversation.sender_hash is None and conversation.app_sender is None
    assert db.session.scalar(select(AppSender.id)) is None
    assert all(not m.text for m in conversation.messages if m.from_worker)
    assert sent(platform)[-1]["To"] == PHONE
