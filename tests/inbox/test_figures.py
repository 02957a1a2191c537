"""Counting every contact: conversations and logged calls by month, channel and language,
messages from workers apart; in public only what happened before today, every figure under
3 hidden (and a month's breakdown with its total)."""

import re
from datetime import date, timedelta

import pytest

from goldendreams.core.base import today
from goldendreams.inbox import figures
from tests.factories import (
    CallLogFactory,
    ConversationFactory,
    CsoFactory,
    MessageFactory,
    network_cso,
)

JAN = date(2026, 1, 15)
FEB = date(2026, 2, 10)


@pytest.fixture(autouse=True)
def _network(app):
    network_cso()


def month(day: date) -> str:
    return day.strftime("%Y-%m")


def test_contacts_are_conversations_and_calls_by_month_channel_and_language(app):
    for _ in range(3):
        ConversationFactory(opened_on=JAN, language="my", channel="web")
    for _ in range(3):
        ConversationFactory(opened_on=JAN, language="km", channel="viber")
    for _ in range(4):
        CallLogFactory(logged_on=JAN, language="my", channel="phone")
    for _ in range(5):
        CallLogFactory(logged_on=FEB, language="ne")
    (jan, feb) = figures.contacts_by_month(before=date(2026, 3, 1))
    assert (jan.month, jan.total, feb.month, feb.total) == ("2026-01", 10, "2026-02", 5)
    assert jan.by_channel == [("phone", 4), ("viber", 3), ("web", 3)]
    assert jan.by_language == [("km", 3), ("my", 7)]
    assert feb.by_channel == [("phone", 5)] and feb.by_language == [("ne", 5)]


def test_only_what_happened_before_the_day_counts(app):
    for _ in range(3):
        ConversationFactory(opened_on=JAN)
        CallLogFactory(logged_on=FEB)
        MessageFactory(conversation=ConversationFactory(opened_on=JAN), sent_on=FEB)
    assert [m.month for m in figures.contacts_by_month(before=FEB)] == ["2026-01"]
    assert figures.contacts_by_month(before=FEB)[0].total == 6
    assert figures.messages_by_month(before=FEB) == []
    assert figures.messages_by_month(before=FEB + timedelta(days=1)) == [("2026-02", 3)]


def test_small_figures_are_hidden_and_a_hidden_month_hides_its_breakdown(app):
    for _ in range(2):
        ConversationFactory(opened_on=JAN, channel="web")
    for _ in range(6):
        CallLogFactory(logged_on=FEB, channel="phone")
    for _ in range(2):
        CallLogFactory(logged_on=FEB, channel="line")
    jan, feb = figures.contacts_by_month(before=date(2026, 3, 1))
    # January (2) is hidden, so February goes too: the months' sum would tell January's.
    assert (jan.total, feb.total) == (None, None)
    assert jan.by_channel == [("web", None)]
    assert feb.by_channel == [("line", None), ("phone", None)]  # its total is hidden


def test_a_shown_months_small_cells_are_hidden(app):
    for day in (JAN, FEB):
        for _ in range(7):
            CallLogFactory(logged_on=day, channel="phone", language="my")
    for _ in range(2):
        CallLogFactory(logged_on=FEB, channel="line", language="lo")
    _jan, feb = figures.contacts_by_month(before=date(2026, 3, 1))
    assert feb.total == 9
    # One hidden cell of 2 beside the total: the cell next to it goes as well.
    assert feb.by_channel == [("line", None), ("phone", None)]
    assert feb.by_language == [("lo", None), ("my", None)]


def test_messages_from_workers_only(app):
    conversation = ConversationFactory(opened_on=JAN)
    for kind in ("from_worker", "from_worker", "from_worker", "to_worker", "note"):
        MessageFactory(conversation=conversation, kind=kind, sent_on=JAN)
    assert figures.messages_by_month(before=FEB) == [("2026-01", 3)]


def test_the_public_figures_carry_labels_in_the_readers_language(app):
    yesterday = today() - timedelta(days=1)
    for _ in range(4):
        ConversationFactory(opened_on=yesterday, language="my")
        CallLogFactory(logged_on=yesterday, language="th")
    found = figures.public_contacts()
    assert found["by_month"] == [(month(yesterday), 8)]
    assert sorted(found["by_channel"]) == [("Phone call", 4), ("This website", 4)]
    assert sorted(found["by_language"]) == [("Burmese", 4), ("Thai", 4)]
    assert found["latest"][0].month == month(yesterday)


def test_metrics_page_shows_contacts_by_month_channel_and_language(client):
    yesterday = today() - timedelta(days=1)
    for _ in range(4):
        ConversationFactory(opened_on=yesterday, channel="web", language="my")
        CallLogFactory(logged_on=yesterday, language="km")
        MessageFactory(conversation=ConversationFactory(opened_on=yesterday), sent_on=yesterday)
    # Today's contacts wait until tomorrow: watching the page tells nobody when one came.
    for _ in range(5):
        CallLogFactory(logged_on=today(), channel="whatsapp", language="ne")
    page = client.get("/metrics").get_data(as_text=True)
    section = page.split("Workers who contacted us", 1)[1]
    assert re.search(rf"<th scope=\"row\">{month(yesterday)}</th>\s*<td>.*?12</td>", section, re.S)
    assert "This website" in section and "Phone call" in section
    assert "Burmese" in section and "Khmer" in section
    assert "WhatsApp" not in section and "Nepali" not in section
    messages = section.split("Messages from workers by month", 1)[1]
    assert re.search(r"</svg> 4</td>", messages)


def test_metrics_page_hides_a_small_count(client):
    CallLogFactory(logged_on=today() - timedelta(days=1))
    page = client.get("/metrics").get_data(as_text=True)
    section = page.split("Workers who contacted us", 1)[1]
    assert "fewer than 3" in section
    assert not re.search(r">\s*1\s*<", section)


def test_staff_figures_are_whole_and_their_csos_own(app):
    other = CsoFactory()
    CallLogFactory(topic="emergency", outcome="referred_to_service")
    CallLogFactory(owner_id=other.id, topic="work")
    ConversationFactory(owner=other)
    mine = figures.staff_figures(network_cso().id)
    assert len(mine["months"]) == figures.STAFF_MONTHS
    this_month = mine["months"][0]
    assert this_month.month == month(today())
    assert (this_month.conversations, this_month.calls, this_month.contacts) == (0, 1, 1)
    assert [str(label) for label, _ in mine["calls_by_topic"]] == ["Emergency"]
    assert [n for _, n in mine["calls_by_outcome"]] == [1]
    network = figures.staff_figures(None)  # admins: every CSO
    assert (network["months"][0].conversations, network["months"][0].calls) == (1, 2)


def test_the_public_figures_are_kept_for_the_day(app, monkeypatch):
    """What happened before today no longer changes: counted once a day, not every minute."""
    app.config["CACHE_SECONDS"] = 60
    yesterday = today() - timedelta(days=1)
    for _ in range(3):
        ConversationFactory(opened_on=yesterday)
    assert figures.public_contacts()["by_month"] == [(month(yesterday), 3)]
    for _ in range(3):  # a late row for yesterday (none comes in real life)
        CallLogFactory(logged_on=yesterday)
    assert figures.public_contacts()["by_month"] == [(month(yesterday), 3)]
    monkeypatch.setattr(figures, "today", lambda: yesterday + timedelta(days=2))
    assert figures.public_contacts()["by_month"] == [(month(yesterday), 6)]
