"""The contact log (/inbox/calls): a caseworker logs a call in one short form for their CSO;
the page lists their CSO's calls and its contact figures. Admins see every CSO's log but
take no calls; nobody else gets in."""

import re

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import call_log, services
from goldendreams.inbox.call_views import CALLS_PAGE_SIZE
from goldendreams.inbox.models import CallLog
from tests.factories import (
    CallLogFactory,
    ConversationFactory,
    CsoFactory,
    MessageFactory,
    UserFactory,
    network_cso,
)

URL = "/inbox/calls/"
GOOD = {
    "topic": "recruitment",
    "outcome": "referred_to_service",
    "category": "FEE-01",
    "language": "km",
    "country": "MY",
    "channel": "viber",
    "minutes": "12",
}


@pytest.fixture(autouse=True)
def _taxonomy(app):
    taxonomy.load()


def calls() -> list[CallLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(CallLog).order_by(CallLog.id)))


def selected(page: str, name: str) -> str | None:
    menu = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)[0]
    found = re.search(r'<option selected value="([^"]*)">', menu)
    return found[1] if found else None


def test_a_caseworker_logs_a_call_for_their_cso(client, login_as):
    me = login_as(Role.CASEWORKER)
    page = client.get(URL).get_data(as_text=True)
    assert "No call logged yet." in page
    # The CSO's first language and its country to start with, a phone call.
    assert (selected(page, "language"), selected(page, "country")) == ("my", "TH")
    assert selected(page, "channel") == "phone"

    response = client.post(URL, data=GOOD)
    assert response.status_code == 302
    # The next call starts with the same channel, language and country.
    assert response.headers["Location"].endswith(
        "/inbox/calls/?channel=viber&language=km&country=MY"
    )
    (call,) = calls()
    assert (call.owner_id, call.logged_by_id, call.logged_on) == (
        me.organisation_id,
        me.id,
        today(),
    )
    assert (call.topic, call.outcome, call.category.code) == (
        "recruitment",
        "referred_to_service",
        "FEE-01",
    )
    assert (call.language, call.country, call.channel, call.minutes) == ("km", "MY", "viber", 12)
    assert call.logged_by_id == me.id and call.logged_on == today()
    # No audit row: its time (the end of the call) would tell the hotline's records whose
    # call it was.
    assert db.session.scalars(select(AuditLog)).all() == []

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The call is counted." in page
    assert (selected(page, "language"), selected(page, "country")) == ("km", "MY")
    assert selected(page, "channel") == "viber" and selected(page, "topic") is None
    listing = page.split("Calls logged", 1)[1]
    assert "Recruitment problem" in listing and "12 minutes" in listing
    assert "Referred to a service" in listing and "Viber" in listing


def test_only_the_topic_is_needed(client, login_as):
    login_as(Role.CASEWORKER)
    assert client.post(URL, data={"topic": "question", "language": "my"}).status_code == 302
    (call,) = calls()
    assert (call.outcome, call.channel, call.country, call.category, call.minutes) == (
        "information", "phone", None, None, None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"topic": ""}, "Choose what it is about."),
        ({"minutes": "0"}, "Enter the minutes as a number from 1 to 600."),
        ({"minutes": "601"}, "Enter the minutes as a number from 1 to 600."),
        ({"minutes": "ten"}, "Enter a whole number."),
        ({"channel": "web"}, "Choose an answer from the list."),  # a conversation counts itself
        ({"outcome": "closed_by_worker"}, "Choose an answer from the list."),
        ({"category": "NOPE-9"}, "Choose an answer from the list."),
        ({"language": "fr"}, "Choose an answer from the list."),
    ],
)
def test_bad_input_keeps_what_was_typed_and_logs_nothing(client, login_as, change, error):
    login_as(Role.CASEWORKER)
    response = client.post(URL, data={**GOOD, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and error in page
    assert selected(page, "country") == "MY"  # what was chosen is still there
    if "topic" not in change:
        assert selected(page, "topic") == "recruitment"
    assert calls() == []


def test_the_service_checks_what_the_form_checks(app):
    worker = UserFactory(role="caseworker")
    fields = {
        "channel": "phone", "topic": "question", "category": None, "language": "my",
        "country": "TH", "outcome": "information", "minutes": None,
    }  # fmt: skip
    for change in (
        {"channel": "web"}, {"topic": "gossip"}, {"category": "NOPE-9"}, {"language": "xx"},
        {"country": "FR"}, {"outcome": "closed_by_worker"}, {"minutes": 0}, {"minutes": 601},
    ):  # fmt: skip
        with pytest.raises(services.InboxError):
            call_log.log_call(worker, **{**fields, **change})
    assert call_log.log_call(worker, **{**fields, "minutes": 600}).minutes == 600
    assert len(calls()) == 1


def test_admins_see_every_csos_calls_but_take_none(client, login_as):
    other = CsoFactory(name="Mekong Migrant Aid")
    CallLogFactory(owner_id=other.id, topic="emergency")
    CallLogFactory(topic="work")
    admin = login_as(Role.ADMIN)
    page = client.get(URL).get_data(as_text=True)
    assert "Calls are logged by the caseworkers of an organisation." in page
    assert 'name="topic"' not in page
    assert "Mekong Migrant Aid" in page and "ILM Test Network" in page
    assert client.post(URL, data=GOOD).status_code == 403
    assert len(calls()) == 2
    with pytest.raises(services.InboxError):
        call_log.log_call(admin, "phone", "question", None, "my", "TH", "information", None)


def test_a_caseworker_sees_only_their_csos_calls_and_figures(client, login_as):
    other = CsoFactory(name="Mekong Migrant Aid")
    for _ in range(4):
        CallLogFactory(owner_id=other.id, topic="emergency")
        ConversationFactory(owner=other)
    CallLogFactory(topic="work", minutes=7)
    login_as(Role.CASEWORKER)
    page = client.get(URL).get_data(as_text=True)
    listing = page.split("Calls logged", 1)[1]
    assert "Mekong Migrant Aid" not in page and "An emergency" not in listing
    assert "7 minutes" in listing
    month = today().strftime("%Y-%m")
    # Our own figures are whole: one call is 1, not "fewer than 3".
    row = re.search(rf'<tr><th scope="row">{month}</th>(.*?)</tr>', page)[1]
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "1", "0"]
    by_topic = page.split("Calls this month by topic", 1)[1].split("<h2>", 1)[0]
    assert "Problem at work" in by_topic and "fewer than 3" not in by_topic


def test_the_figures_count_conversations_and_workers_messages(client, login_as):
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation)
    MessageFactory(conversation=conversation)
    MessageFactory(conversation=conversation, kind="to_worker")  # ours: not counted
    CallLogFactory()
    login_as(Role.CASEWORKER)
    page = client.get(URL).get_data(as_text=True)
    row = re.search(rf'<tr><th scope="row">{today():%Y-%m}</th>(.*?)</tr>', page)[1]
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "2"]


def test_the_list_is_paginated(client, login_as):
    login_as(Role.CASEWORKER)
    for _ in range(CALLS_PAGE_SIZE + 1):
        CallLogFactory()
    first = client.get(URL).get_data(as_text=True)
    assert first.count('<li class="card">') == CALLS_PAGE_SIZE and "Page 1 of 2" in first
    assert client.get(URL + "?page=2").get_data(as_text=True).count('<li class="card">') == 1
    assert client.get(URL + "?page=3").status_code == 404


OUTSIDERS = [Role.MODERATOR, Role.MOBILIZER, Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND,
             Role.GOVERNMENT, Role.ASSOCIATION]  # fmt: skip


@pytest.mark.parametrize("role", OUTSIDERS)
def test_nobody_else_gets_in(client, login_as, role):
    CallLogFactory()
    login_as(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=GOOD).status_code == 403
    assert db.session.scalar(select(func.count(CallLog.id))) == 1


def test_anonymous_readers_are_sent_to_log_in(client):
    network_cso()
    assert client.get(URL).status_code == 302
    assert client.post(URL, data=GOOD).status_code == 302
    assert calls() == []


def test_the_page_says_nothing_of_the_caller(client, login_as):
    """Nothing identifies a caller: no field for a name, a number or a time."""
    login_as(Role.CASEWORKER)
    page = client.get(URL).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/inbox/calls/".*?</form>', page, re.S)[0]
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names <= {"csrf_token", "topic", "outcome", "category", "language", "country",
                     "channel", "minutes", "submit"}  # fmt: skip
