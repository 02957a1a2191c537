"""No anonymous action leaves a trace of who did it or exactly when.

For every page a worker uses without an account — writing a review, applying for a job,
reporting a review or a job, checking a code, withdrawing a review, answering "Was it
fixed?" (with a review's code, a conversation's, or the code a caseworker read out for a
case logged from a call), asking for help (leaving a way to be reached) and writing,
closing and erasing in their conversation, writing in their review's thread and
withdrawing the review with its thread — sent
from a distinctive address with a distinctive browser, directly and behind one trusted proxy
(``PROXY_COUNT=1``, so the forwarded address is the one the app sees):

- no value in any table of the database holds the address (the peer's or the forwarded
  one) or the browser;
- no log record, at any level and from any logger, holds them, and the action logs nothing
  at INFO or above (a record carries its own time, so "review submitted" would date it);
- no cell the action created or changed holds its time: a datetime (or time of day) near
  it, a number that is a Unix time near it, or text with its time of day (HH:MM in UTC and
  in the site's zone, ISO forms). A date is allowed: the design keeps dates, never times;
- the rate limiter's storage keys on a salted hash of the address the app saw, never the
  address itself.

Tables and columns are found from the metadata, so a column added later is searched too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from goldendreams.cases import confirmation, taxonomy
from goldendreams.cases import services as case_services
from goldendreams.extensions import db, limiter
from goldendreams.inbox import services as inbox_services
from goldendreams.inbox.models import Conversation
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from tests.conftest import make_config
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    JobFactory,
    PublishedReviewFactory,
    UserFactory,
    consent_to_refer,
    network_cso,
)
from tests.reviews.test_views import CODE, review_form

#: The worker's phone, and the proxy it reaches us through.
WORKER_ADDRESS = "203.0.113.77"
PROXY_ADDRESS = "198.51.100.23"
BROWSER = "Mozilla/5.0 (Linux; Android 9; TestPhone-7731) UniqueBrowser/42.1"
#: Pieces of the above that would survive being shortened or parsed.
IDENTIFYING = (WORKER_ADDRESS, PROXY_ADDRESS, "203.0.113", "TestPhone-7731", "UniqueBrowser")
#: How far from the action a stored time still dates it.
NEAR = timedelta(minutes=10)


@pytest.fixture(params=[0, 1], ids=["direct", "behind-one-proxy"])
def app_config(request, database_url) -> dict:
    return make_config(database_url, PROXY_COUNT=request.param)


def seen_address(app) -> str:
    """The address the app takes as the client's: the forwarded one behind a proxy."""
    return WORKER_ADDRESS if app.config["PROXY_COUNT"] else PROXY_ADDRESS


def send(client, path: str, data: dict):
    """POST as the worker: the peer is the proxy, which forwards the worker's address."""
    return client.post(
        path,
        data=data,
        environ_base={"REMOTE_ADDR": PROXY_ADDRESS},
        headers={"User-Agent": BROWSER, "X-Forwarded-For": WORKER_ADDRESS},
    )


# --- reading the whole database ----------------------------------------------------------


def snapshot() -> dict[tuple[str, tuple], dict]:
    """Every row of every table, by table and primary key."""
    # End the session's transaction first: on SQLite (WAL) an open read transaction keeps
    # seeing the database as it was, not what the request just committed.
    db.session.rollback()
    rows = {}
    for table in db.metadata.sorted_tables:
        key_columns = [column.name for column in table.primary_key.columns]
        for row in db.session.execute(select(table)).mappings():
            rows[(table.name, tuple(row[name] for name in key_columns))] = dict(row)
    return rows


def changed_cells(before: dict, after: dict) -> list[tuple[str, str, object]]:
    """(table, column, value) of every cell that is new or different in ``after``."""
    cells = []
    for key, row in after.items():
        old = before.get(key)
        for column, value in row.items():
            if old is None or old[column] != value:
                cells.append((key[0], column, value))
    return cells


# --- what dates an action ----------------------------------------------------------------


class Moment:
    """The span in which the action happened, and the ways a stored value could name it."""

    def __init__(self, start: datetime, end: datetime, site_zone: str):
        self.start, self.end = start - NEAR, end + NEAR
        zones = (UTC, ZoneInfo(site_zone))
        # A list: the same instant in two zones compares equal, and a set would keep one.
        minutes, at = [], start.replace(second=0, microsecond=0) - timedelta(minutes=1)
        while at <= end + timedelta(minutes=1):
            minutes += [at.astimezone(zone) for zone in zones]
            at += timedelta(minutes=1)
        self.times_of_day = {m.time().replace(tzinfo=None) for m in minutes}
        self.texts = set()
        for m in minutes:
            self.texts |= {
                m.strftime("%H:%M"),  # 12:34, in either zone
                m.strftime("%Y-%m-%dT%H"),  # ISO 8601, as isoformat() writes it
                m.strftime("%Y-%m-%d %H:"),  # as SQL and str(datetime) write it
                m.strftime("%Y%m%dT%H%M"),  # ISO 8601 basic
            }

    def _unix_near(self, number: float) -> bool:
        return any(
            self.start.timestamp() <= number / scale <= self.end.timestamp()
            for scale in (1, 1000, 1_000_000)  # seconds, milliseconds, microseconds
        )

    def traces(self, value) -> list[str]:
        """Why ``value`` dates the action (empty when it does not)."""
        if isinstance(value, datetime):
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            return [f"datetime {value}"] if self.start <= aware <= self.end else []
        if isinstance(value, time):
            within = value.replace(second=0, microsecond=0, tzinfo=None) in self.times_of_day
            return [f"time of day {value}"] if within else []
        if isinstance(value, bool):
            return []
        if isinstance(value, (int, float)):
            return [f"Unix time {value}"] if self._unix_near(value) else []
        if isinstance(value, (dict, list)):
            return self.traces(json.dumps(value, default=str))
        if isinstance(value, (str, bytes)):
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
            found = [f"text {marker!r}" for marker in self.texts if marker in text]
            found += [
                f"Unix time {digits}"
                for digits in re.findall(r"\d{10,16}", text)
                if self._unix_near(int(digits))
            ]
            return found
        return []


class Witness:
    """Watches one anonymous action: the database before and after, and the logs."""

    def __init__(self, app, caplog):
        self.app, self.caplog = app, caplog

    def __enter__(self):
        self.before = snapshot()
        self.caplog.clear()
        self.started = datetime.now(UTC)
        return self

    def __exit__(self, *exc):
        self.ended = datetime.now(UTC)
        return False

    def assert_no_trace(self) -> None:
        after = snapshot()
        changed = changed_cells(self.before, after)
        assert changed, "the action stored nothing: this test would prove nothing"
        moment = Moment(self.started, self.ended, self.app.config["SITE_TIMEZONE"])
        dated = [
            (table, column, value, why)
            for table, column, value in changed
            for why in moment.traces(value)
        ]
        assert dated == [], "stored cells that say when the worker acted"

        identifying = [
            (table, column)
            for (table, _key), row in after.items()
            for column, value in row.items()
            if any(piece in str(value) for piece in IDENTIFYING)
        ]
        assert identifying == [], "stored values that hold the worker's address or browser"

        for record in self.caplog.records:
            line = f"{record.getMessage()} {record.args!r} {record.__dict__!r}"
            assert not any(piece in line for piece in IDENTIFYING), record.name
        # A log record carries its own time, so even "review submitted" would date the
        # worker's action: nothing at INFO or above (what production logs), and nothing at
        # all from the app's own loggers. (Today nothing is logged at any level.)
        loud = [
            (r.name, r.levelname, r.getMessage())
            for r in self.caplog.records
            if r.levelno >= logging.INFO or r.name.split(".")[0] == "goldendreams"
        ]
        assert loud == [], "an anonymous action was logged"

        self.assert_limiter_keeps_no_address()

    def assert_limiter_keeps_no_address(self) -> None:
        storage = limiter.storage
        keys = [str(key) for key in getattr(storage, "storage", {})]
        assert keys, "the limiter counted nothing"
        dump = repr(vars(storage))
        assert not any(piece in dump for piece in IDENTIFYING)
        # It keys on the day's keyed hash of the address the app saw (the forwarded one
        # behind the proxy), cut to 20 bits: worked out here independently, this proves the
        # proxy setting took effect, so the search above was made where the address would be.
        secret = str(self.app.config["SECRET_KEY"]).encode()
        day = datetime.now(UTC).date().isoformat()
        message = f"client:{day}:{seen_address(self.app)}".encode()
        digest = hmac.new(secret, message, hashlib.sha256).hexdigest()[:5]
        assert any(f"/{digest}/" in key for key in keys), keys
        # The storage also holds when each window ends (as Redis holds a key's expiry): a
        # time, but under a key that stands for thousands of addresses and changes daily,
        # tied to no record, and gone within the limit's period. Counting tries cannot be
        # done without it.


@pytest.fixture
def witness(app, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    return Witness(app, caplog)


# --- the actions --------------------------------------------------------------------------


def write_review(client, agency) -> str:
    """Send a review of ``agency`` as the worker; returns its tracking code."""
    response = send(client, f"/organisations/{agency.id}/review", review_form())
    assert response.status_code == 200
    return CODE.search(response.get_data(as_text=True)).group(1)


def test_writing_a_review(client, witness):
    agency = AgencyFactory()
    with witness:
        write_review(client, agency)
    witness.assert_no_trace()
    review = db.session.scalars(select(Review)).one()
    assert "081 234 5678" in review.body  # the text was stored: the search had data to see


def test_applying_for_a_job(client, witness):
    """Name and phone are given by design (the agency calls back); nothing else is kept."""
    job = JobFactory()
    form = {"name": "Ko Min", "phone": "09 450 333 444", "origin_country": "MM",
            "language": "my", "consent": "y"}  # fmt: skip
    with witness:
        page = send(client, f"/jobs/{job.id}/apply", form).get_data(as_text=True)
    assert CODE.search(page), page
    witness.assert_no_trace()


def test_reporting_a_review(client, witness):
    review = PublishedReviewFactory()
    with witness:
        data = {"reason": "false", "note": "x"}
        response = send(client, f"/reviews/{review.public_id}/report", data)
    assert response.status_code == 302
    witness.assert_no_trace()


def test_reporting_a_job(client, witness):
    job = JobFactory()
    with witness:
        response = send(client, f"/jobs/{job.id}/report", {"reason": "scam", "note": "fake"})
    assert response.status_code == 302
    witness.assert_no_trace()


def test_checking_and_withdrawing_a_review(client, witness):
    """A published, reported review: withdrawing it also closes the report and recomputes
    the organisation's scores, and the search index is told. None of it is dated."""
    page = client.post(f"/organisations/{AgencyFactory().id}/review", data=review_form())
    code = CODE.search(page.get_data(as_text=True)).group(1)
    review = db.session.scalars(select(Review)).one()
    review_services.publish_review(review, UserFactory(role="moderator"), set(), [])
    FlagFactory(review=review)
    limiter.reset()  # only the witnessed requests may be counted
    with witness:
        # A mistyped code first: only wrong codes are counted, so the limiter's key is seen.
        send(client, "/check", {"code": "2222-2222-2222"})
        checked = send(client, "/check", {"code": code.lower().replace("-", " ")})
        assert "Withdraw" in checked.get_data(as_text=True)
        withdrawn = send(client, "/check/withdraw", {"code": code, "confirm": "y"})
        assert withdrawn.status_code == 200
    witness.assert_no_trace()
    assert db.session.scalars(select(Review)).one().status == "withdrawn"


def test_answering_was_it_fixed(client, witness):
    """The worker's answer is stored on the case, undated, and audited nowhere."""
    taxonomy.load()
    code = write_review(client, AgencyFactory())
    review = db.session.scalars(select(Review)).one()
    caseworker = UserFactory(role="caseworker")
    case = case_services.open_from_review(review, UserFactory(role="moderator"), ["FEE-01"],
                                          "medium", 1)  # fmt: skip
    case_services.move(case, caseworker, "triaged")
    consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    case_services.record_remediation(case, caseworker, "fee_repayment", None, None, 1, None)
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        response = send(client, "/check/answer", {"code": code, "answer": "partly",
                                                  "comment": "Half was paid back."})  # fmt: skip
    assert response.status_code == 200
    witness.assert_no_trace()


def test_asking_for_help_and_talking_with_a_caseworker(client, witness):
    """A question asked at /ask with a way to be reached, then written to again, closed and
    erased with the code: nothing dates any of it finer than a day. An emergency, so its
    caseworkers are mailed at once: the queue's sending leaves no dated log either."""
    network_cso()
    with witness:
        asked = {"topic": "emergency", "country": "TH", "text": "They locked us in the dormitory.",
                 "contact_method": "line", "contact_value": "ko.min.77"}  # fmt: skip
        page = send(client, "/ask", asked)
        code = CODE.search(page.get_data(as_text=True)).group(1)
    witness.assert_no_trace()
    conversation = db.session.scalars(select(Conversation)).one()
    inbox_services.reply(conversation, UserFactory(role="caseworker", organisation=network_cso()),
                         "We are calling the police with you now.")  # fmt: skip
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        assert send(client, "/check", {"code": code}).status_code == 200
        assert send(client, "/check/write", {"code": code, "text": "Thank you."}).status_code == 200
        assert send(client, "/check/close", {"code": code, "confirm": "y"}).status_code == 200
        assert send(client, "/check/erase", {"code": code, "confirm": "y"}).status_code == 200
    witness.assert_no_trace()


def _fixed(case, caseworker) -> None:
    """Take a case to where the worker can answer: referred, with a fix recorded."""
    case_services.move(case, caseworker, "triaged")
    consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    case_services.record_remediation(case, caseworker, "fee_repayment", None, None, 1, None)


def test_writing_in_a_reviews_thread(client, witness):
    """A review's worker adds details with the review's code (it starts the review's
    thread), answers a caseworker's question there, then withdraws the review (its thread
    goes with it): none of it is dated or traced."""
    network_cso()
    code = write_review(client, AgencyFactory())
    review = db.session.scalars(select(Review)).one()
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        added = {"code": code, "text": "The broker was Ko Zaw from Myawaddy."}
        assert send(client, "/check/write", added).status_code == 200
    witness.assert_no_trace()
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.review_id == review.id and len(conversation.messages) == 1
    caseworker = UserFactory(role="caseworker", organisation=network_cso())
    inbox_services.ask_reviewer(review, caseworker, "How much did you pay him?")
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})
        answered = {"code": code, "text": "20,000 baht, in cash."}
        assert send(client, "/check/write", answered).status_code == 200
    witness.assert_no_trace()
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})
        withdrawn = send(client, "/check/withdraw", {"code": code, "confirm": "y"})
        assert withdrawn.status_code == 200
    witness.assert_no_trace()
    db.session.refresh(conversation)
    assert conversation.is_closed
    assert all(m.text is None for m in conversation.messages if m.kind == "from_worker")


def test_answering_was_it_fixed_in_a_conversation(client, witness):
    """A case opened from the worker's question: they answer "Was it fixed?" with the code
    /ask gave them, undated and audited nowhere."""
    taxonomy.load()
    network_cso()
    asked = {"topic": "work", "country": "TH", "text": "No pay for two months."}
    code = CODE.search(client.post("/ask", data=asked).get_data(as_text=True)).group(1)
    conversation = db.session.scalars(select(Conversation)).one()
    caseworker = UserFactory(role="caseworker", organisation=network_cso())
    case = inbox_services.open_case(conversation, caseworker, AgencyFactory(), ["FEE-01"],
                                    "medium", 1, "Wages unpaid for two months.")  # fmt: skip
    _fixed(case, caseworker)
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        response = send(client, "/check/answer", {"code": code, "answer": "yes",
                                                  "comment": "They paid us."})  # fmt: skip
    assert response.status_code == 200
    witness.assert_no_trace()
    db.session.refresh(case)
    assert case.worker_answer == "yes"


def test_answering_was_it_fixed_with_a_code_read_out(client, witness):
    """A case logged from a call: the worker answers with the code the caseworker read out
    to them, undated and audited nowhere."""
    taxonomy.load()
    caseworker = UserFactory(role="caseworker", organisation=network_cso())
    case = case_services.open_hotline_case(caseworker, AgencyFactory(), "hotline", ["FEE-01"],
                                           "medium", 1, "Fees of 30,000 baht.", None)  # fmt: skip
    code = confirmation.give_worker_code(case, caseworker)
    _fixed(case, caseworker)
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        assert send(client, "/check", {"code": code}).status_code == 200
        response = send(client, "/check/answer", {"code": code, "answer": "no",
                                                  "comment": "Nothing came back."})  # fmt: skip
    assert response.status_code == 200
    witness.assert_no_trace()
    db.session.refresh(case)
    assert case.worker_answer == "no"


def test_reporting_retaliation_with_a_code_read_out(client, witness):
    """The worker of a case sent to the employer says they were punished: the report keeps
    the month only, is audited nowhere, and the on-call alert it sends logs nothing."""
    from goldendreams.safeguarding.models import RetaliationReport

    taxonomy.load()
    caseworker = UserFactory(role="caseworker", organisation=network_cso())
    case = case_services.open_hotline_case(caseworker, AgencyFactory(), "hotline", ["FEE-01"],
                                           "medium", 1, "Fees of 30,000 baht.", None)  # fmt: skip
    code = confirmation.give_worker_code(case, caseworker)
    case_services.move(case, caseworker, "triaged")
    consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    limiter.reset()
    with witness:
        send(client, "/check", {"code": "2222-2222-2222"})  # counted: the key is seen
        response = send(client, "/check/retaliation", {"code": code, "kind": "dismissal"})
    assert response.status_code == 200
    witness.assert_no_trace()
    report = db.session.scalars(select(RetaliationReport)).one()
    assert report.reported_on.day == 1 and report.recorded_by_id is None


def test_the_time_checks_can_fail(app):
    """The checks above would notice each kind of trace (a check that never fires proves
    nothing)."""
    now = datetime.now(UTC)
    moment = Moment(now, now, app.config["SITE_TIMEZONE"])
    bangkok = now.astimezone(ZoneInfo("Asia/Bangkok"))
    assert moment.traces(now)
    assert moment.traces(now.replace(tzinfo=None))
    assert moment.traces(int(now.timestamp()))
    assert moment.traces(now.timestamp() * 1000)
    assert moment.traces(bangkok.time())
    assert moment.traces(f"sent at {bangkok:%H:%M}")
    assert moment.traces({"gaps": {"7": now.timestamp()}})
    assert moment.traces(now.isoformat())
    assert not moment.traces(now.date())  # a date is what the design keeps
    assert not moment.traces(now - timedelta(days=1))
    assert not moment.traces(12345)
    assert not moment.traces("Fees were higher than promised")
