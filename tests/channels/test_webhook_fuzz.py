"""Whatever a platform (or someone holding its secret) signs and sends, the webhook answers
200 (stored, or nothing to keep) or 400 (not the platform's format), never an error page,
and the queue's handling of what was stored never fails. Hypothesis builds the bodies: any
JSON, and each platform's envelope with any values inside (SMS: any form fields).

The webhooks are not forms, so tests/test_fuzz_forms.py leaves them to this module.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from goldendreams.core.queue import FailedTask
from goldendreams.extensions import db
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes import line as line_fake
from tests.channels.fakes import twilio as twilio_fake
from tests.channels.fakes import viber as viber_fake
from tests.channels.test_messenger import sign as meta_sign
from tests.factories import network_cso

EXAMPLES = int(os.environ.get("GOLDENDREAMS_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)  # fmt: skip


def fields(*names: str):
    """Dicts with some of ``names`` (the platform's own keys), each any JSON value."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, json_values))


#: Per platform: the envelope, with anything inside.
SHAPES = {
    "messenger": st.builds(
        lambda entries: {"object": "page", "entry": entries},
        st.lists(
            st.builds(
                lambda m: {"id": "1", "time": 1, "messaging": m},
                st.lists(
                    fields(
                        "sender",
                        "recipient",
                        "timestamp",
                        "message",
                        "delivery",
                        "read",
                        "postback",
                    ),
                    max_size=3,
                ),
            ),
            max_size=2,
        ),
    ),
    "whatsapp": st.builds(
        lambda value: {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        },
        fields("messaging_product", "metadata", "contacts", "messages", "statuses"),
    ),
    "viber": fields("event", "timestamp", "message_token", "sender", "message", "user_id", "desc"),
    "line": st.builds(
        lambda events: {"destination": "U1", "events": events},
        st.lists(
            fields(
                "type",
                "message",
                "source",
                "replyToken",
                "timestamp",
                "webhookEventId",
                "postback",
                "mode",
            ),
            max_size=3,
        ),
    ),
    "telegram": fields("update_id", "message", "callback_query", "edited_message"),
}


def signed(platform: str, raw: bytes) -> dict:
    if platform in ("messenger", "whatsapp"):
        secret = CREDENTIALS[f"{platform.upper()}_APP_SECRET"]
        return {"X-Hub-Signature-256": meta_sign(raw, secret)}
    if platform == "viber":
        return {"X-Viber-Content-Signature": viber_fake.sign(raw, CREDENTIALS["VIBER_AUTH_TOKEN"])}
    if platform == "line":
        return {"X-Line-Signature": line_fake.sign(raw, CREDENTIALS["LINE_CHANNEL_SECRET"])}
    return {"X-Telegram-Bot-Api-Secret-Token": CREDENTIALS["TELEGRAM_SECRET_TOKEN"]}


def assert_handled_cleanly(response) -> None:
    assert response.status_code in (200, 400), response.status_code
    db.session.rollback()
    failed = db.session.scalars(select(FailedTask.task_name, FailedTask.error)).all()
    assert failed == [], failed


@pytest.mark.parametrize("platform_name", sorted(SHAPES))
def test_any_signed_json_gets_200_or_400_and_handles_cleanly(app, client, platform, platform_name):
    network_cso()

    @FUZZ
    @given(body=st.one_of(SHAPES[platform_name], json_values))
    def post(body):
        raw = json.dumps(body).encode()
        response = client.post(f"/channels/{platform_name}/webhook", data=raw,
                               headers={"Content-Type": "application/json",
                                        **signed(platform_name, raw)})  # fmt: skip
        assert_handled_cleanly(response)

    post()


def test_any_signed_form_to_the_sms_webhook_gets_200_or_400(app, client, platform):
    network_cso()
    app.config["SITE_URL"] = "http://localhost"
    names = ("From", "To", "Body", "MessageSid", "NumMedia", "MediaUrl0", "MediaContentType0",
             "MessageStatus", "ErrorCode")  # fmt: skip

    @FUZZ
    @given(form=st.fixed_dictionaries(
        {"AccountSid": st.just(CREDENTIALS["SMS_ACCOUNT_SID"])},
        optional=dict.fromkeys(names, st.text(max_size=40)),
    ))  # fmt: skip
    def post(form):
        signature = twilio_fake.sign(CREDENTIALS["SMS_AUTH_TOKEN"],
                                     "http://localhost/channels/sms/webhook", form)  # fmt: skip
        response = client.post("/channels/sms/webhook", data=form,
                               headers={"X-Twilio-Signature": signature})  # fmt: skip
        assert_handled_cleanly(response)

    post()
