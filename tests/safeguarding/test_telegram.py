"""On-call alerts reach a caseworker's own Telegram chat with the network's bot, through
the channels' adapter, against the fake platform server of tests/channels."""

from __future__ import annotations

from goldendreams.safeguarding import services
from tests.channels.conftest import app_config, platform  # noqa: F401  (the fixtures)
from tests.factories import CaseFactory, UserFactory, referred
from tests.safeguarding.factories import HIGH, SAFE_CONTACT, OnCallFactory

CHAT = "987654321"


def sent(fake) -> list[dict]:
    return [call.json for call in fake.calls(r"/sendMessage$", "POST")]


def test_an_alert_goes_to_the_on_call_persons_telegram_chat(app, platform, mailbox):  # noqa: F811
    person = OnCallFactory(telegram_chat=CHAT).user
    OnCallFactory()  # on call, no Telegram: e-mail only
    case = CaseFactory()
    services.assess_case(case, UserFactory(role="caseworker"), HIGH, SAFE_CONTACT)
    [message] = sent(platform)
    assert message["chat_id"] == CHAT
    assert message["text"].startswith("An urgent case needs you: ")
    assert f"/cases/{case.id}" in message["text"]
    for secret in (SAFE_CONTACT, case.summary, case.organisation.name):
        assert secret not in message["text"]
    assert mailbox.to(person.email)


def test_a_chat_the_bot_cannot_reach_still_leaves_the_email(app, platform, mailbox):  # noqa: F811
    person = OnCallFactory(telegram_chat=CHAT).user
    platform.telegram.blocked.add(CHAT)
    services.assess_case(CaseFactory(), UserFactory(role="caseworker"), HIGH, None)
    assert mailbox.to(person.email)


def test_the_workers_own_report_is_never_sent_on_telegram(app, platform, mailbox):  # noqa: F811
    """Every chat would hold the case and the hour the worker acted: e-mail only, linking
    to the case list."""
    person = OnCallFactory(telegram_chat=CHAT).user
    case = referred(CaseFactory())
    services.worker_reports_retaliation(case, "threats")
    assert sent(platform) == [] and mailbox.to(person.email)
    services.report_retaliation(case, UserFactory(role="caseworker"), "pay_cut", None)
    [message] = sent(platform)  # a caseworker's report: as before
    assert f"/cases/{case.id}" in message["text"]
