"""The inbox list: one CSO's conversations, newest activity first, filtered, counted per
state, in keyset pages, with a fixed number of statements however many rows there are."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from goldendreams.cases import taxonomy
from goldendreams.cases.models import IssueCategory
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import queries
from tests.factories import ConversationFactory, CsoFactory, MessageFactory, UserFactory


def numbers(page: str) -> list[int]:
    """The conversations listed, in order."""
    return [int(n) for n in re.findall(r'href="/inbox/(\d+)"><strong>', page)]


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/inbox/{query}")
    assert response.status_code == 200
    return numbers(response.get_data(as_text=True))


def days_ago(days: int):
    return today() - timedelta(days=days)


@pytest.mark.parametrize(
    "role",
    [Role.MODERATOR, Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND, Role.GOVERNMENT,
     Role.ASSOCIATION, Role.MOBILIZER],
)  # fmt: skip
def test_roles_that_never_meet_a_conversation_get_403(client, login_as, role):
    ConversationFactory()
    login_as(role)
    assert client.get("/inbox/").status_code == 403
    assert client.get("/inbox/answers/").status_code == 403
    assert "/inbox/" not in client.get("/staff/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_caseworker_sees_their_csos_conversations_newest_activity_first(client, login_as):
    older = ConversationFactory(last_activity_on=days_ago(3))
    newest = ConversationFactory(last_activity_on=days_ago(0))
    same_day_lower_id = ConversationFactory(last_activity_on=days_ago(1))
    same_day_higher_id = ConversationFactory(last_activity_on=days_ago(1))
    other = ConversationFactory(owner=CsoFactory())
    login_as(Role.CASEWORKER)
    assert listed(client) == [newest.id, same_day_higher_id.id, same_day_lower_id.id, older.id]
    assert other.id not in listed(client, f"?owner={other.owner_id}")  # no such filter for them


def test_admins_see_every_csos_and_filter_by_owner(client, login_as):
    ours = ConversationFactory()
    other = ConversationFactory(owner=CsoFactory(name="Mekong Migrant Aid"))
    login_as(Role.ADMIN)
    page = client.get("/inbox/").get_data(as_text=True)
    assert sorted(numbers(page)) == [ours.id, other.id]
    assert "Mekong Migrant Aid" in page  # whose it is
    assert 'New <span class="count">' not in page  # no count over the whole network
    assert 'Conversations waiting <span class="count">2</span>' in page
    assert listed(client, f"?owner={other.owner_id}") == [other.id]
    page = client.get(f"/inbox/?owner={other.owner_id}").get_data(as_text=True)
    assert 'New <span class="count">1</span>' in page
    assert sorted(listed(client, "?owner=999999")) == [ours.id, other.id]  # unknown: left out


@pytest.fixture
def varied():
    """Conversations that differ in one thing each from ``plain``."""
    taxonomy.load()
    me = UserFactory(role="caseworker", email="me@example.org")
    colleague = UserFactory(role="caseworker", email="colleague@example.org")
    passport = db.session.query(IssueCategory).filter_by(code="ILO-07").one()
    items = {
        "plain": ConversationFactory(),
        "closed": ConversationFactory(state="closed", outcome="information"),
        "waiting": ConversationFactory(state="waiting_for_us"),
        "thai": ConversationFactory(language="th"),
        "malaysia": ConversationFactory(country="MY"),
        "phone": ConversationFactory(channel="phone", code_hash=None),
        "question": ConversationFactory(topic="question"),
        "passport": ConversationFactory(categories=[passport]),
        "urgent": ConversationFactory(urgent=True),
        "mine": ConversationFactory(assignee=me),
        "colleague": ConversationFactory(assignee=colleague),
    }
    db.session.commit()
    return me, colleague, items


def test_filters(client, varied):
    from tests.conftest import login

    me, colleague, items = varied
    login(client, me)
    everyone = {item.id for item in items.values()}
    assert set(listed(client)) == everyone
    cases = {
        "?state=closed": {"closed"},
        "?state=waiting_for_us": {"waiting"},
        "?language=th": {"thai"},
        "?country=MY": {"malaysia"},
        "?channel=phone": {"phone"},
        "?topic=question": {"question"},
        "?issue=ILO-07": {"passport"},
        "?urgent=y": {"urgent"},
        "?assignee=me": {"mine"},
        f"?assignee={colleague.id}": {"colleague"},
        "?language=th&state=closed": set(),
    }
    for query, names in cases.items():
        assert set(listed(client, query)) == {items[n].id for n in names}, query
    assert set(listed(client, "?assignee=nobody")) == everyone - {
        items["mine"].id, items["colleague"].id,
    }  # fmt: skip
    assert set(listed(client, "?state=new")) == everyone - {
        items["closed"].id, items["waiting"].id,
    }  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["?language=xx", "?state=lost", "?country=FR", "?channel=fax", "?topic=%00", "?issue=NOPE",
     "?assignee=12345", "?assignee=-1", "?older=yesterday", "?newer=2026-13-01.5",
     "?older=2026-01-01.99999999999", "?owner=1"],
)  # fmt: skip
def test_unknown_filter_values_are_left_out(client, varied, query):
    from tests.conftest import login

    me, _colleague, items = varied
    login(client, me)
    response = client.get(f"/inbox/{query}")
    assert response.status_code == 200
    assert set(numbers(response.get_data(as_text=True))) == {i.id for i in items.values()}


def test_counts_per_state_in_the_tabs(client, login_as):
    ConversationFactory.create_batch(3)
    ConversationFactory(state="waiting_for_us")
    ConversationFactory.create_batch(2, state="closed", outcome="information")
    ConversationFactory(owner=CsoFactory())  # another CSO's: not counted
    login_as(Role.CASEWORKER)
    page = client.get("/inbox/?language=th").get_data(as_text=True)  # counts: the whole inbox
    assert 'New <span class="count">3</span>' in page
    assert 'Waiting for us <span class="count">1</span>' in page
    assert 'Waiting for the worker <span class="count">0</span>' in page
    assert 'Closed <span class="count">2</span>' in page
    # What waits (new + waiting for us), on the staff pages.
    assert 'Conversations waiting <span class="count">4</span>' in page
    home = client.get("/staff/").get_data(as_text=True)
    assert 'Inbox <span class="count">4</span>' in home


def test_the_row_shows_the_start_of_the_workers_last_message(client, login_as):
    item = ConversationFactory()
    MessageFactory(conversation=item, text="First message")
    MessageFactory(conversation=item, text="Second message " + "x" * 200)
    MessageFactory(conversation=item, kind="to_worker", text="Our reply is not the snippet")
    MessageFactory(conversation=item, kind="note", text="A note is not the snippet")
    erased = ConversationFactory()
    MessageFactory(conversation=erased, text=None)
    login_as(Role.CASEWORKER)
    page = client.get("/inbox/").get_data(as_text=True)
    assert "Second message " + "x" * 64 + "…" in page
    assert "x" * 70 not in page
    assert "First message" not in page and "not the snippet" not in page
    assert "Erased by the worker." in page


def test_keyset_pages(app, client, login_as):
    app.config["INBOX_PAGE_SIZE"] = 2
    items = [ConversationFactory(last_activity_on=days_ago(n // 2)) for n in range(5)]
    # Newest activity first; on the same day the higher number first.
    order = [c.id for c in sorted(items, key=lambda c: (c.last_activity_on, c.id), reverse=True)]
    login_as(Role.CASEWORKER)
    first = client.get("/inbox/?state=new").get_data(as_text=True)
    assert numbers(first) == order[:2]
    assert 'rel="prev"' not in first
    older = re.search(r'href="([^"]+)" rel="next"', first)[1].replace("&amp;", "&")
    assert "state=new" in older  # the filters stay
    second = client.get(older).get_data(as_text=True)
    assert numbers(second) == order[2:4]
    third_url = re.search(r'href="([^"]+)" rel="next"', second)[1].replace("&amp;", "&")
    third = client.get(third_url).get_data(as_text=True)
    assert numbers(third) == order[4:]
    assert 'rel="next"' not in third
    back = re.search(r'href="([^"]+)" rel="prev"', third)[1].replace("&amp;", "&")
    assert numbers(client.get(back).get_data(as_text=True)) == order[2:4]
    back = re.search(r'href="([^"]+)" rel="prev"', second)[1].replace("&amp;", "&")
    page = client.get(back).get_data(as_text=True)
    assert numbers(page) == order[:2]
    assert 'rel="prev"' not in page


def test_cursors():
    assert queries.parse_cursor("2026-01-31.12") == (date(2026, 1, 31), 12)
    for bad in (None, "", "2026-01-31", "2026-01-31.", "2026-1-31.5", "x.5", "2026-01-31.0",
                "2026-01-31.-4", f"2026-01-31.{2**31}"):  # fmt: skip
        assert queries.parse_cursor(bad) is None, bad


def statements(client, url: str) -> int:
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(counted)


def add(count: int, people: list) -> None:
    taxonomy.load()
    passport = db.session.query(IssueCategory).filter_by(code="ILO-07").first()
    for number in range(count):
        item = ConversationFactory(
            assignee=people[number % len(people)], categories=[passport], urgent=True
        )
        MessageFactory(conversation=item)
        MessageFactory(conversation=item, kind="to_worker", author=people[0])
        MessageFactory(conversation=item, kind="note", author=people[-1])
    db.session.commit()


@pytest.mark.parametrize("url", ["/inbox/", "/inbox/?issue=ILO-07&urgent=y&assignee=me"])
def test_no_statement_per_row(client, login_as, url):
    me = login_as(Role.CASEWORKER)
    people = [me, UserFactory(role="caseworker"), UserFactory(role="caseworker")]
    add(3, people)
    client.get(url)
    few = statements(client, url)
    add(12, people)
    assert statements(client, url) == few
    assert few <= 15


def test_no_statement_per_message(client, login_as):
    me = login_as(Role.CASEWORKER)
    people = [me, UserFactory(role="caseworker"), UserFactory(role="caseworker")]
    item = ConversationFactory()

    def more(count: int) -> None:
        for number in range(count):
            MessageFactory(conversation=item, personal_data=[{"start": 0, "end": 3, "kind": "id"}])
            MessageFactory(conversation=item, kind="to_worker", author=people[number % 3])
            MessageFactory(conversation=item, kind="note", author=people[(number + 1) % 3])
        db.session.commit()

    more(2)
    url = f"/inbox/{item.id}"
    client.get(url)
    few = statements(client, url)
    more(10)
    assert statements(client, url) == few
    assert few <= 20
