"""Every public form, fuzzed with Hypothesis: what a careless or hostile client can send.

Each form (every POST an anonymous visitor can reach, and the GET forms: search, directory
and job filters, the fee calculator, article and hotline country choice, the language
switch) gets random submissions: text in every script of the site (Burmese, Zawgyi-typed
Burmese, Khmer, Thai, Lao, Devanagari), 100,000-letter values, missing and empty fields,
repeated keys, text in number fields, impossible numbers, unknown choices, HTML and script
payloads, multipart bodies and raw bodies with broken percent-encoding and invalid UTF-8.
The reader's language (the ``gd_lang`` cookie) is drawn per example. For each, we prove:

1. the site answers without a 500 or an unhandled exception;
2. a refused submission shows an error, and every error shown is a message of the reader's
   language's catalog (no English left in the other five languages);
3. a refused submission stores nothing (every table unchanged, row for row), and an
   accepted one adds exactly its one row (or makes exactly its one change) with the text
   as sent after the site's normalisation; no string reaches the database that PostgreSQL
   would refuse (a NUL character, or more characters than its column holds);
4. no payload comes back unescaped.

``test_every_public_form_is_fuzzed`` fails when an anonymous POST route (or a public GET
form) appears that ``FORMS`` does not cover. ``GOLDENDREAMS_FUZZ_EXAMPLES=2000`` runs more
examples per form than the few that CI runs.
"""

from __future__ import annotations

import html
import itertools
import os
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import String, event, inspect, select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from goldendreams.accounts import resets
from goldendreams.accounts import services as account_services
from goldendreams.accounts.views import PENDING_LOGIN
from goldendreams.agencies.models import (
    COUNTRIES,
    DIRECTORY_KINDS,
    LICENCE_LABELS,
    SECTORS,
    ProfileClaim,
)
from goldendreams.cases import choices as case_choices
from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.config import LOCALES, PROJECT_ROOT
from goldendreams.core import tracking
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.security import keyed_hash
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.inbox import choices as inbox_choices
from goldendreams.inbox.models import Conversation, Message
from goldendreams.jobs import choices as job_choices
from goldendreams.jobs.models import Application
from goldendreams.reviews import choices as review_choices
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from goldendreams.rights import choices as rights_choices
from goldendreams.search.documents import KINDS as SEARCH_KINDS
from goldendreams.search.forms import SEARCH_COUNTRIES
from tests.conftest import (
    TEST_PASSWORD,
    RequestContextClient,
    make_config,
    second_factor_code,
)
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ArticleTextFactory,
    CaseFactory,
    ContactFactory,
    ConversationFactory,
    CsoFactory,
    HotlineFactory,
    InvitationFactory,
    JobFactory,
    MessageFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    UserFactory,
    network_cso,
)
from tests.reviews.test_services import GOOD, ZAWGYI_BODY

# --- how many examples ----------------------------------------------------------------------

# Hypothesis keeps caches (Unicode tables, constants) in ./.hypothesis even without an example
# database: keep them out of the repository.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "goldendreams-hypothesis")

#: Examples per form: a few in CI, thousands when asked for (GOLDENDREAMS_FUZZ_EXAMPLES=2000).
EXAMPLES = int(os.environ.get("GOLDENDREAMS_FUZZ_EXAMPLES") or 25)
#: A fixed seed makes a run repeatable: CI picks one, prints it, and a failure replays with
#: GOLDENDREAMS_FUZZ_SEED=<that number>. Unset: Hypothesis picks a fresh one each run.
SEED = (
    int(os.environ["GOLDENDREAMS_FUZZ_SEED"]) if os.environ.get("GOLDENDREAMS_FUZZ_SEED") else None
)

settings.register_profile(
    "goldendreams-fuzz",
    max_examples=EXAMPLES,
    deadline=None,  # a request with a 100,000-letter value may take a while
    database=None,  # no .hypothesis folder in the repository; failures print their example
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("goldendreams-fuzz")

#: Examples run, and accepted, per form: reported at the end of the module.
RUN: Counter[str] = Counter()
ACCEPTED: Counter[str] = Counter()


@pytest.fixture
def app_config(database_url) -> dict:
    # Hundreds of posts from one client in a minute: the rate limits are not under test here.
    lots = "1000000 per minute"
    return make_config(
        database_url,
        REVIEW_RATE_LIMIT=lots,
        CODE_RATE_LIMIT=lots,
        FLAG_RATE_LIMIT=lots,
        APPLY_RATE_LIMIT=lots,
        LOGIN_RATE_LIMIT=lots,
        LOGIN_LOCKOUT=lots,
        SEARCH_RATE_LIMIT=lots,
        PASSWORD_RESET_LIMIT=lots,
        CLAIM_RATE_LIMIT=lots,
        ASK_RATE_LIMIT=lots,
        WRITE_RATE_LIMIT=lots,
    )


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request):
    """One line at the end: how many examples each form got (to quote the figure)."""
    yield
    if not RUN:
        return
    line = f"fuzzed {len(RUN)} public forms, {sum(RUN.values())} examples (accepted)"
    line += f" with GOLDENDREAMS_FUZZ_SEED={SEED}: " if SEED is not None else ": "
    line += ", ".join(f"{name} {RUN[name]} ({ACCEPTED[name]})" for name in sorted(RUN))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


# --- what a client can send ----------------------------------------------------------------

SCRIPTS = {
    "my": (0x1000, 0x109F),
    "km": (0x1780, 0x17FF),
    "th": (0x0E00, 0x0E7F),
    "lo": (0x0E80, 0x0EFF),
    "ne": (0x0900, 0x097F),
}
PUNCTUATION = " \n,.:!?0123456789"


def script_text(low: int, high: int, **size) -> st.SearchStrategy[str]:
    letters = st.characters(min_codepoint=low, max_codepoint=high)
    return st.text(letters | st.sampled_from(PUNCTUATION), **size)


#: Burmese as the Zawgyi font has it typed: real samples, and text built from the code points
#: Zawgyi uses differently (ေ and ျ before the consonant, ္ as asat, U+1060 to U+1097).
ZAWGYI_SAMPLES = (ZAWGYI_BODY, "လစာ ေနာက္က်", "ျမန္မာ", "မဂၤလာပါ", "ေက်းဇူးတင္ပါတယ္")
zawgyi_text = st.sampled_from(ZAWGYI_SAMPLES) | st.text(
    st.characters(min_codepoint=0x1000, max_codepoint=0x1021)
    | st.sampled_from("\u1031\u103b\u1039\u103a ")
    | st.characters(min_codepoint=0x1060, max_codepoint=0x1097),
    min_size=1,
    max_size=40,
)

#: Any character a UTF-8 client can send (no lone surrogates: they cannot be encoded).
unicode_text = st.text(st.characters(codec="utf-8"), max_size=60)
site_scripts = st.one_of(*(script_text(a, b, max_size=60) for a, b in SCRIPTS.values()))
mixed_scripts = st.lists(site_scripts | unicode_text | zawgyi_text, max_size=4).map(" ".join)
whitespace = st.text(st.sampled_from(" \t\n\r\u00a0\u200b\u3000\u2060\ufeff"), max_size=6)

#: Markup that must come back escaped. Each is long enough not to occur in a page by chance.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(document.cookie)</script>",
    '<a href="javascript:alert(1)">tap</a>',
    "<iframe src=//evil.example>",
    "{{ 7*7 }}<b onmouseover=alert(1)>",
)
payload_text = st.tuples(unicode_text | site_scripts, st.sampled_from(PAYLOADS), mixed_scripts).map(
    "".join
)

NUMBER_JUNK = (
    "-1", "0", "-0", "1e999", "-1e999", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "0x1F",
    "1,000", "1 000", "၁၅၀၀၀", "๑๕๐๐๐", "١٢٣", "१२", "²", "1.5.5", "+4", " 4 ", "4.0", "9" * 400,
    "2147483648", "-2147483649", "99999999999999999999999",
)  # fmt: skip
number_text = (
    st.sampled_from(NUMBER_JUNK)
    | st.integers(-(10**30), 10**30).map(str)
    | st.decimals(allow_nan=True, allow_infinity=True).map(str)
    | st.floats().map(repr)
)


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


#: Values far beyond any limit (100,000 letters), in the site's scripts too.
huge_text = st.builds(
    repeated,
    st.sampled_from(["a", "9", "မြန်မာ ", "ខ្មែរ", "ไทย ", "ລາວ", "नेपाली ", "<script>", "ေျ"])
    | st.text(min_size=1, max_size=5),
    st.sampled_from([1_001, 5_001, 100_000]),
)

junk = st.one_of(
    unicode_text, site_scripts, zawgyi_text, mixed_scripts, whitespace, payload_text,
    number_text, huge_text, st.just(""),
)  # fmt: skip
#: What replaces a field: missing (None), junk, or the key repeated with several values.
bad_value = st.none() | junk | st.lists(junk, min_size=2, max_size=3)
#: Keys no form has: they must be ignored.
EXTRA_KEYS = ("unexpected", "csrf_token", "submit", "id", "status")

#: Appended to one value of a raw body: broken percent-escapes, invalid UTF-8, a NUL.
BREAKAGE = (
    b"%FF", b"%E1%80", b"%C3", b"%ZZ", b"%", b"%2", b"\xff\xfe", b"\xe1\x80", b"%ED%A0%80",
    b"%00", b"&&==&", b"%C0%AF", b"\xc3(", b"%F4%90%80%80",
)  # fmt: skip


def choice_of(keys) -> st.SearchStrategy[str]:
    return st.sampled_from([str(key) for key in keys])


def optional(strategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def submissions(draw, valid: st.SearchStrategy[dict], names: tuple[str, ...]) -> dict:
    """A valid submission (None: leave the field out), then up to four of its fields (or
    unknown ones) replaced by bad values: missing, junk, or repeated."""
    values = dict(draw(valid))
    # Sorted: a set's order follows PYTHONHASHSEED, and a seeded run must draw the same.
    for name in sorted(draw(st.sets(st.sampled_from(names + EXTRA_KEYS), max_size=4))):
        values[name] = draw(bad_value)
    return {name: value for name, value in values.items() if value is not None}


def first(data: dict, name: str) -> str | None:
    """The value a form field reads: the first of repeated keys."""
    value = data.get(name)
    return value[0] if isinstance(value, list) else value


def blank(data: dict, name: str) -> bool:
    value = first(data, name)
    return value is None or not normalise(value).text


def raw_body(data: dict, breakage: bytes, where: int) -> bytes:
    """``data`` urlencoded by hand, with ``breakage`` appended to one of its values."""
    parts = [
        quote_plus(name).encode() + b"=" + quote_plus(value).encode()
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ] or [b"x="]
    parts[where % len(parts)] += breakage
    return b"&".join(parts)


encodings = st.sampled_from(["form", "form", "multipart", "raw"])


# --- what the site says ----------------------------------------------------------------------


def _catalog(locale: str) -> dict[str, str]:
    """msgid → translation ("" when missing), singular and plural forms alike."""
    path = PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale=locale)
    found = {}
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            found.update(zip(ids, texts, strict=False))
    return found


def _pattern(messages) -> re.Pattern:
    """Matches any of ``messages`` (a placeholder matches any text), longest first."""
    parts = [
        ".+?".join(re.escape(piece) for piece in re.split(r"%\(\w+\)[sd]", message))
        for message in sorted(set(messages), key=len, reverse=True)
        if message
    ]
    return re.compile("|".join(parts))


CATALOGS = {locale: _catalog(locale) for locale in LOCALES if locale != "en"}
#: English is the msgids; every other language is its catalog's translations.
MESSAGES = {"en": _pattern(CATALOGS["my"])} | {
    locale: _pattern(catalog.values()) for locale, catalog in CATALOGS.items()
}
#: English texts whose translation differs: they must not show in another language.
ENGLISH = {
    locale: _pattern(m for m, text in catalog.items() if text and text != m and len(m) > 3)
    for locale, catalog in CATALOGS.items()
}

ERROR_HTML = (
    re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S),
    re.compile(r'<div class="notice warn" role="alert">(.*?)</div>', re.S),
    re.compile(r'<p class="flash error"[^>]*>(.*?)</p>', re.S),
)


def errors_shown(response) -> list[str]:
    """The error messages on a page: under fields, above the form, in flashes, and the
    title of an error page."""
    page = response.get_data(as_text=True)
    found = [match for pattern in ERROR_HTML for match in pattern.findall(page)]
    if response.status_code >= 400:
        found += re.findall(r"<h1>(.*?)</h1>", page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def says(response, message: str) -> bool:
    """Whether the page shows ``message`` (its start, before any placeholder) in the
    page's language."""
    page = response.get_data(as_text=True)
    locale = re.search(r'<html lang="([a-z]+)"', page)[1]
    text = message if locale == "en" else CATALOGS[locale][message]
    return html.escape(text.split("%(")[0], quote=False) in page


def assert_in_language(errors: list[str], locale: str) -> None:
    """Every error is made of the catalog's messages of ``locale``, and nothing else."""
    for error in errors:
        left = MESSAGES[locale].sub("", error).strip()
        assert not left, f"error not from the {locale} catalog: {error!r} (left: {left!r})"
        if locale != "en":
            english = ENGLISH[locale].search(error)
            assert english is None, f"English in a {locale} page: {english.group()!r}"


def assert_escaped(response, data) -> None:
    page = response.get_data(as_text=True)
    sent = " ".join(str(v) for values in data.values() for v in _listed(values))
    for payload in PAYLOADS:
        if payload in sent:
            assert payload not in page, f"unescaped payload in the page: {payload!r}"
    location = response.headers.get("Location", "")
    assert not location.lower().startswith(("javascript:", "//", "http:", "https:")) or (
        urlsplit(location).netloc == "localhost"
    ), f"redirect off the site: {location!r}"


def _listed(values) -> list:
    return values if isinstance(values, list) else [values]


# --- the database ----------------------------------------------------------------------------

Snapshot = dict[str, list[tuple]]


def snapshot() -> Snapshot:
    """Every row of every table (the tests' tables hold a few dozen rows)."""
    db.session.rollback()  # see what the requests committed
    rows = {
        table.name: [
            tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key))
        ]
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()
    return rows


def added(before: Snapshot, after: Snapshot) -> dict[str, int]:
    """Tables whose rows changed, with how many rows each gained (0: changed in place)."""
    return {
        name: len(after[name]) - len(before[name]) for name in before if before[name] != after[name]
    }


@pytest.fixture
def postgres_rules(app):
    """What PostgreSQL refuses and SQLite stores: a NUL in text, and a string longer than
    its VARCHAR column. Both would be a 500 in production; record them here."""
    broken: list[str] = []

    def no_nul(_conn, _cursor, statement, parameters, _context, _many):
        for value in _flatten(parameters):
            if isinstance(value, str) and "\x00" in value:
                broken.append(f"NUL in a parameter of {statement[:80]!r}")

    def fits(session, _context, _instances):
        for obj in (*session.new, *session.dirty):
            for attribute in inspect(obj).mapper.column_attrs:
                column, value = attribute.columns[0], getattr(obj, attribute.key, None)
                length = getattr(column.type, "length", None)
                too_long = isinstance(value, str) and length and len(value) > length
                if isinstance(column.type, String) and too_long:
                    broken.append(f"{column} holds {length} characters, got {len(value)}")

    engine = db.engine
    event.listen(engine, "before_cursor_execute", no_nul)
    event.listen(Session, "before_flush", fits)
    yield broken
    event.remove(engine, "before_cursor_execute", no_nul)
    event.remove(Session, "before_flush", fits)


def _flatten(parameters):
    if isinstance(parameters, dict):
        yield from parameters.values()
    elif isinstance(parameters, list | tuple):
        for item in parameters:
            yield from _flatten(item)
    else:
        yield parameters


# --- the forms -------------------------------------------------------------------------------


@dataclass
class Target:
    """Where one example sends its form, and what the form's records are."""

    url: str
    records: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PublicForm:
    name: str
    endpoint: str
    method: str
    #: Makes the records one example needs (in the test's app context).
    prepare: Callable[[st.DataObject], Target]
    #: Valid submissions (a dict strategy) and the field names to spoil.
    valid: Callable[[Target], st.SearchStrategy[dict]]
    names: tuple[str, ...]
    #: Checks the effect of the response; returns whether the submission was accepted.
    accepted: Callable[[Target, dict, object, Snapshot, Snapshot], bool]
    #: True when a submission must be refused (required fields missing, ...).
    must_reject: Callable[[Target, dict], bool] = lambda _target, _data: False


def _stored_as_sent(stored: str | None, data: dict, name: str) -> None:
    """Stored text is the text sent after the site's normalisation (NFC, Zawgyi converted,
    control characters dropped, ends trimmed)."""
    sent = first(data, name)
    assert stored == (normalise(sent or "").text or None), f"{name} stored as {stored!r}"


def _one_row(table: str):
    def accepted(target, data, response, before, after) -> bool:
        change = added(before, after)
        if not change:
            return False
        assert change == {table: 1}, f"an accepted {table} submission changed {change}"
        return True

    return accepted


# Writing a review -------------------------------------------------------------------------


def prepare_review(data) -> Target:
    kind = data.draw(st.sampled_from(["agency", "employer"]), label="kind")
    org = AgencyFactory() if kind == "agency" else OrganisationFactory()
    return Target(f"/organisations/{org.id}/review", {"kind": kind})


def review_valid(target: Target) -> st.SearchStrategy[dict]:
    criteria = review_choices.CRITERIA_BY_KIND[target.records["kind"]]
    this_year = today().year
    title = st.one_of(site_scripts, zawgyi_text, payload_text, unicode_text).filter(
        lambda t: 0 < len(t) <= review_services.TITLE_MAX
    )
    body = st.one_of(mixed_scripts, zawgyi_text, payload_text, site_scripts).map(
        lambda t: (t + " wages were never paid on time")[: review_services.BODY_MAX]
    )
    answers = {
        name: optional(choice_of(review_choices.ANSWERS))
        for name in review_choices.YES_NO_QUESTIONS
    }
    fees = st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {
                "fees_paid": st.just("yes"),
                "fee_amount": optional(st.decimals(0, 99_999_999, places=2).map(str)),
                "fee_currency": choice_of(review_choices.CURRENCIES),
                "fee_paid_to": optional(choice_of(review_choices.FEE_PAID_TO)),
            }
        ),
        st.fixed_dictionaries({"fees_paid": choice_of(["no", "unsure"])}),
    )
    base = st.fixed_dictionaries(
        {
            "rating": choice_of(range(1, 6)),
            "relationship_kind": choice_of(review_choices.RELATIONSHIPS),
            "year": choice_of(range(this_year - review_services.YEARS_BACK, this_year + 1)),
            "documents_holder": optional(choice_of(review_choices.DOCUMENT_HOLDERS)),
            "origin_country": optional(choice_of(["", *review_choices.ORIGIN_COUNTRIES])),
            "migration_stage": optional(choice_of(["", *review_choices.MIGRATION_STAGES])),
            "title": title,
            "body": body,
            **answers,
            **{f"sub_{c}": optional(choice_of(["", *range(1, 6)])) for c in criteria},
        }
    )
    return st.tuples(base, fees).map(lambda parts: {**parts[0], **parts[1]})


REVIEW_FIELDS = (
    "rating", "relationship_kind", "year", "fees_paid", "fee_amount", "fee_currency",
    "fee_paid_to", "documents_holder", *review_choices.YES_NO_QUESTIONS, "title", "body",
    "origin_country", "migration_stage", "sub_honest_costs", "sub_respect", "sub_wages",
    "sub_housing",
)  # fmt: skip


def review_accepted(target, data, response, before, after) -> bool:
    if not _one_row("reviews")(target, data, response, before, after):
        return False
    review = db.session.scalars(select(Review).order_by(Review.id.desc())).first()
    _stored_as_sent(review.title, data, "title")
    _stored_as_sent(review.body, data, "body")
    assert review.status == "pending" and str(review.rating) == first(data, "rating")
    return True


def review_must_reject(target, data) -> bool:
    required = ("rating", "relationship_kind", "year", "title", "body")
    body = first(data, "body")
    return any(blank(data, name) for name in required) or len(normalise(body).text) < 20


# Reporting a review or a job ----------------------------------------------------------------


def report_valid(reasons) -> Callable[[Target], st.SearchStrategy[dict]]:
    note = optional(st.one_of(mixed_scripts, payload_text, zawgyi_text).map(lambda t: t[:500]))
    return lambda _target: st.fixed_dictionaries({"reason": choice_of(reasons), "note": note})


def report_accepted(table: str):
    def accepted(target, data, response, before, after) -> bool:
        if not _one_row(table)(target, data, response, before, after):
            return False
        assert response.status_code == 302
        row = after[table][-1]
        columns = [c.key for c in db.metadata.tables[table].columns]
        _stored_as_sent(row[columns.index("note")], data, "note")
        assert row[columns.index("reason")] == first(data, "reason")
        return True

    return accepted


def prepare_review_report(_data) -> Target:
    return Target(f"/reviews/{PublishedReviewFactory().public_id}/report")


def prepare_job_report(_data) -> Target:
    return Target(f"/jobs/{JobFactory().id}/report")


# The tracking code: looking up, answering "was it fixed?", withdrawing -----------------------


def _review_with_code() -> tuple[Review, str]:
    return review_services.submit_review(AgencyFactory(), GOOD)


def code_variants(code: str) -> st.SearchStrategy[str]:
    """The code as a worker might type it, or some other code."""
    return st.one_of(
        st.just(code),
        st.just(code.lower().replace("-", " ")),
        st.just(code.replace("-", "")),
        st.just(f"  {code}\n"),
        st.just(code + " " * 30),  # found, but longer than the field takes
        st.text(st.sampled_from(tracking.ALPHABET + "-"), min_size=12, max_size=14),
    )


def prepare_check(data) -> Target:
    """A code of each kind: a review's, an application's, a conversation's, and one read out
    for a case logged from a call."""
    _review, review_code = _review_with_code()
    application_code = tracking.new_code()
    ApplicationFactory(tracking_hash=tracking.code_hash(application_code))
    _conversation, conversation_code = _conversation_with_code(contact=True)
    case_code = tracking.new_code()
    CaseFactory(code_hash=tracking.code_hash(case_code))
    codes = [review_code, application_code, conversation_code, case_code]
    return Target("/check", {"codes": codes})


def code_matches(target: Target, data: dict) -> bool:
    typed = first(data, "code")
    if typed is None or len(typed) > 40:
        return False
    return tracking.canonical(typed) in {tracking.canonical(c) for c in target.records["codes"]}


def check_accepted(target, data, response, before, after) -> bool:
    assert not added(before, after), "looking up a code changed the database"
    found = code_matches(target, data)
    assert (not errors_shown(response)) == found, "a code was found, or not, wrongly"
    return found


def prepare_answer(_data) -> Target:
    taxonomy.load()
    review, code = _review_with_code()
    moderator = UserFactory(role="moderator")
    network_cso()  # the catch-all routing rule: a moderator's case goes to its CSO
    case = case_services.open_from_review(review, moderator, ["FEE-01"], "low", 1)
    case.status = "referred"
    db.session.commit()
    case_services.record_remediation(
        case, UserFactory(role="caseworker"), "fee_repayment", None, None, None, None
    )
    return Target("/check/answer", {"codes": [code], "case_id": case.id})


def _answerable(**fields) -> Case:
    """A referred case with a fix recorded: its worker may answer "Was it fixed?"."""
    taxonomy.load()
    case = CaseFactory(status="referred", **fields)
    case_services.record_remediation(
        case, UserFactory(role="caseworker"), "fee_repayment", None, None, None, None
    )
    return case


def prepare_answer_in_conversation(_data) -> Target:
    """A case opened from a conversation: its worker answers with the conversation's code."""
    conversation, code = _conversation_with_code(contact=True)
    case = _answerable(source="message")
    conversation.case_id = case.id
    db.session.commit()
    return Target("/check/answer", {"codes": [code], "case_id": case.id})


def prepare_answer_with_case_code(_data) -> Target:
    """A case logged from a call: its worker answers with the code a caseworker read out."""
    code = tracking.new_code()
    case = _answerable(code_hash=tracking.code_hash(code))
    return Target("/check/answer", {"codes": [code], "case_id": case.id})


def answer_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    if not change:
        if not code_matches(target, data):
            assert response.status_code in (400, 413)  # 413: a field over MAX_FORM_MEMORY_SIZE
        return False
    assert change == {"cases": 0}, f"answering changed {change}"
    case = db.session.get(Case, target.records["case_id"])
    assert code_matches(target, data) and case.worker_answer == first(data, "answer")
    return True


def prepare_withdraw(_data) -> Target:
    _review, code = _review_with_code()
    return Target("/check/withdraw", {"codes": [code]})


def withdraw_valid(target: Target) -> st.SearchStrategy[dict]:
    return code_valid(target).map(lambda data: {**data, "confirm": "y"})


def withdraw_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    confirmed = first(data, "confirm") not in (None, "", "false")  # nothing goes unless ticked
    assert bool(change) == (code_matches(target, data) and confirmed), f"withdrawing: {change}"
    if change:
        # (The search feed hears of every changed review; a pending one is not indexed.)
        assert change.get("reviews") == 0 and set(change) <= {"reviews", "search_changes"}
        assert (
            db.session.scalars(select(Review).order_by(Review.id)).all()[-1].status == "withdrawn"
        )
    else:
        assert response.status_code in (400, 413)  # 413: a field over MAX_FORM_MEMORY_SIZE
    return bool(change)


def prepare_referral_consent(_data) -> Target:
    """A case from a review whose CSO asks the worker (through their code) to send it on."""
    from goldendreams.cases import referrals
    from goldendreams.cases.models import CaseReferral
    from tests.factories import CsoFactory, network_cso

    taxonomy.load()
    network_cso()  # the routing rules' default takes the case
    review, code = _review_with_code()
    case = case_services.open_from_review(review, UserFactory(role="moderator"), ["FEE-01"],
                                          "low", 1)  # fmt: skip
    referral = referrals.propose(case, UserFactory(role="caseworker"), CsoFactory(),
                                 "Needs a lawyer in Yangon.", "worker_code")  # fmt: skip
    assert db.session.get(CaseReferral, referral.id).status == "asking_worker"
    return Target("/check/referral", {"codes": [code], "referral_id": referral.id})


def referral_consent_valid(target: Target) -> st.SearchStrategy[dict]:
    return code_valid(target).flatmap(
        lambda data: st.sampled_from([{**data, "yes": "y"}, {**data, "no": "n"}])
    )


def referral_consent_accepted(target, data, response, before, after) -> bool:
    from goldendreams.cases.models import CaseReferral

    change = added(before, after)
    if not change:
        if not code_matches(target, data):
            assert response.status_code in (400, 413)  # 413: a field over MAX_FORM_MEMORY_SIZE
        return False
    # Only the referral's status changes, and a "yes" is kept as the worker's consent
    # (dated the day they were asked): no audit row, no date of the answer, nothing else.
    referral = db.session.get(CaseReferral, target.records["referral_id"])
    wanted = "proposed" if first(data, "yes") not in (None, "", "false") else "worker_refused"
    consented = {"consent_records": 1} if wanted == "proposed" else {}
    assert change == {"case_referrals": 0, **consented}, f"answering changed {change}"
    assert code_matches(target, data) and referral.status == wanted
    assert referral.decided_on is None
    return True


def prepare_retaliation(_data) -> Target:
    """A case sent to its organisation: its worker reports retaliation with their code."""
    from tests.factories import CaseFactory, referred

    code = tracking.new_code()
    case = referred(CaseFactory(code_hash=tracking.code_hash(code)))
    return Target("/check/retaliation", {"codes": [code], "case_id": case.id})


def retaliation_valid(target: Target) -> st.SearchStrategy[dict]:
    from goldendreams.safeguarding.choices import RETALIATION_KINDS

    return code_valid(target).flatmap(
        lambda data: choice_of(RETALIATION_KINDS).map(lambda kind: {**data, "kind": kind})
    )


def retaliation_accepted(target, data, response, before, after) -> bool:
    """One report (the month only), the case made urgent; no audit row."""
    from goldendreams.safeguarding.models import RetaliationReport

    change = added(before, after)
    if not change:
        if not code_matches(target, data):
            assert response.status_code in (400, 413), response.status_code
        return False
    assert response.status_code == 200 and code_matches(target, data)
    assert change.get("retaliation_reports") == 1 and "audit_log" not in change, change
    report = db.session.scalars(select(RetaliationReport)).all()[-1]
    assert report.kind == first(data, "kind") and report.reported_on.day == 1
    return True


def code_valid(target: Target) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"code": st.sampled_from(target.records["codes"]).flatmap(code_variants)}
    )


def answer_valid(target: Target) -> st.SearchStrategy[dict]:
    comment = optional(st.one_of(mixed_scripts, payload_text).map(lambda t: t[:2000]))
    return st.tuples(
        code_valid(target),
        st.fixed_dictionaries(
            {"answer": choice_of(case_choices.WORKER_ANSWERS), "comment": comment}
        ),
    ).map(lambda parts: {**parts[0], **parts[1]})


# Asking for help (/ask), and the worker's thread with their code -----------------------------

ASK_FIELDS = ("topic", "country", "text", "organisation", "contact_method", "contact_value")
worker_text = st.one_of(mixed_scripts, zawgyi_text, payload_text, site_scripts).map(
    lambda t: (t + " my passport was taken")[:5000]
)


def prepare_ask(_data) -> Target:
    network_cso()  # the routing rules' default answers
    AgencyFactory(name="Golden Land Recruitment", country="TH")
    return Target("/ask")


def ask_valid(_target) -> st.SearchStrategy[dict]:
    contact = st.one_of(
        st.just({}),
        st.fixed_dictionaries({"contact_method": st.just(""), "contact_value": st.just("")}),
        st.fixed_dictionaries(
            {
                "contact_method": choice_of(inbox_choices.CONTACT_METHODS),
                "contact_value": st.one_of(phones, site_scripts, unicode_text)
                .map(lambda t: ("x" + t)[:100])
                .filter(lambda t: t.strip() and normalise(t).text),
            }
        ),
    )
    base = st.fixed_dictionaries(
        {
            "topic": choice_of(inbox_choices.TOPICS),
            "country": choice_of(COUNTRIES),
            "text": worker_text,
            "organisation": optional(
                st.sampled_from(["", "Golden Land Recruitment", "golden land RECRUITMENT"])
                | mixed_scripts.map(lambda t: t[:200])
            ),
        }
    )
    return st.tuples(base, contact).map(lambda parts: {**parts[0], **parts[1]})


def ask_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    if not change:
        return False
    contact = {"conversation_contacts": 1} if first(data, "contact_method") else {}
    assert change == {"conversations": 1, "messages": 1, **contact}, f"asking changed {change}"
    conversation = db.session.scalars(select(Conversation).order_by(Conversation.id.desc())).first()
    _stored_as_sent(conversation.messages[0].text, data, "text")
    assert (conversation.topic, conversation.country) == (
        first(data, "topic"),
        first(data, "country"),
    )
    assert re.search(
        r'<p class="code" translate="no">[A-Z0-9-]+</p>', response.get_data(as_text=True)
    )
    return True


def ask_must_reject(_target, data) -> bool:
    return (
        first(data, "topic") not in inbox_choices.TOPICS
        or first(data, "country") not in COUNTRIES
        or blank(data, "text")
        or len(first(data, "text") or "") > 5000
        or len(first(data, "contact_value") or "") > 100
    )


def ask_start_valid(_target) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "topic": optional(choice_of(["", *inbox_choices.TOPICS])),
            "country": optional(choice_of(["", *COUNTRIES])),
        }
    )


def ask_start_must_reject(_target, data) -> bool:
    return unknown_choice(data, topic=inbox_choices.TOPICS, country=COUNTRIES)


def _conversation_with_code(contact: bool = False) -> tuple[Conversation, str]:
    code = tracking.new_code()
    conversation = ConversationFactory(code_hash=tracking.code_hash(code))
    MessageFactory(conversation=conversation)
    if contact:
        ContactFactory(conversation=conversation)
    return conversation, code


def prepare_thread_write(_data) -> Target:
    network_cso()
    _conversation, code = _conversation_with_code()
    _review, review_code = _review_with_code()  # a review's code writes in its thread
    return Target("/check/write", {"codes": [code, review_code]})


def thread_write_valid(target: Target) -> st.SearchStrategy[dict]:
    return st.tuples(code_valid(target), st.fixed_dictionaries({"text": worker_text})).map(
        lambda parts: {**parts[0], **parts[1]}
    )


def thread_write_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    if not change:
        if not code_matches(target, data):
            assert response.status_code in (400, 413)  # 413: a field over MAX_FORM_MEMORY_SIZE
        return False
    assert code_matches(target, data)
    assert change.get("messages") == 1 and set(change) <= {"messages", "conversations"}, change
    message = db.session.scalars(select(Message).order_by(Message.id.desc())).first()
    _stored_as_sent(message.text, data, "text")
    assert message.kind == "from_worker"
    return True


def thread_write_must_reject(_target, data) -> bool:
    return blank(data, "text") or len(first(data, "text") or "") > 5000


def prepare_thread_close(_data) -> Target:
    _conversation, code = _conversation_with_code(contact=True)
    return Target("/check/close", {"codes": [code]})


def prepare_thread_erase(_data) -> Target:
    _conversation, code = _conversation_with_code(contact=True)
    return Target("/check/erase", {"codes": [code]})


def thread_end_accepted(changed: set[str]):
    """Closing or erasing: nothing unless the code is right and the box ticked; then the
    contact goes, and the conversation (closing) or the worker's messages (erasing) change."""

    def accepted(target, data, response, before, after) -> bool:
        change = added(before, after)
        confirmed = first(data, "confirm") not in (None, "", "false")
        assert bool(change) == (code_matches(target, data) and confirmed), change
        if not change:
            assert response.status_code in (400, 413)
            return False
        assert change == {"conversation_contacts": -1, **dict.fromkeys(changed, 0)}, change
        return True

    return accepted


# Applying to a job -------------------------------------------------------------------------

#: Digits as phones show them in the region's scripts.
DIGITS = ("0123456789", "၀၁၂၃၄၅၆၇၈၉", "๐๑๒๓๔๕๖๗๘๙", "០១២៣៤៥៦៧៨៩", "໐໑໒໓໔໕໖໗໘໙", "०१२३४५६७८९")
phones = st.builds(
    lambda digits, prefix, number, sep: prefix + sep.join(digits[int(d)] for d in number),
    st.sampled_from(DIGITS),
    st.sampled_from(["", "+66 ", "0066", "+95-"]),
    st.text("0123456789", min_size=8, max_size=11),
    st.sampled_from(["", " ", "-"]),
)


def prepare_apply(_data) -> Target:
    return Target(f"/jobs/{JobFactory().id}/apply")


def apply_valid(_target: Target) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "name": st.one_of(site_scripts, zawgyi_text, payload_text).map(lambda t: t[:120]),
            "phone": phones,
            "origin_country": choice_of(job_choices.ORIGIN_COUNTRIES),
            "origin_region": optional(st.one_of(site_scripts, payload_text).map(lambda t: t[:100])),
            "language": choice_of(LANGUAGE_NAMES),
            "consent": st.sampled_from(["y", "on", "1"]),
        }
    )


def apply_accepted(target, data, response, before, after) -> bool:
    if not _one_row("applications")(target, data, response, before, after):
        return False
    application = db.session.scalars(select(Application).order_by(Application.id.desc())).first()
    _stored_as_sent(application.name, data, "name")
    _stored_as_sent(application.origin_region, data, "origin_region")
    return True


def apply_must_reject(target, data) -> bool:
    return blank(data, "name") or first(data, "consent") in (None, "", "false")


# Asking for an account ("Work here?"), for a listed company or one to be added ---------------

#: A fresh address per example: a repeated request is refused (tests/agencies/test_claims.py).
CLAIM_EMAILS = (f"hr{n}@seafood.example" for n in itertools.count())
claim_text = st.one_of(site_scripts, zawgyi_text, payload_text, unicode_text).map(lambda t: t[:120])


def prepare_claim(data) -> Target:
    kind = data.draw(st.sampled_from(["agency", "employer"]), label="kind")
    org = AgencyFactory() if kind == "agency" else OrganisationFactory()
    return Target(f"/organisations/{org.id}/claim", {"kind": kind, "email": next(CLAIM_EMAILS)})


def claim_valid(target: Target) -> st.SearchStrategy[dict]:
    fields = {
        "name": claim_text,
        "email": st.sampled_from([email := target.records["email"], email.upper(), f" {email} "]),
        "job_title": claim_text,
        "licence_number": optional(st.one_of(site_scripts, payload_text).map(lambda t: t[:100])),
        "locale": choice_of(LANGUAGE_NAMES),
    }
    if target.records.get("new"):
        fields |= {
            "org_name": claim_text,
            "org_kind": choice_of(["employer", "agency"]),
            "org_country": choice_of(COUNTRIES),
        }
    return st.fixed_dictionaries(fields)


CLAIM_FIELDS = ("name", "email", "job_title", "licence_number", "locale")


def claim_accepted(target, data, response, before, after) -> bool:
    if not _one_row("profile_claims")(target, data, response, before, after):
        return False
    claim = db.session.scalars(select(ProfileClaim).order_by(ProfileClaim.id.desc())).first()
    _stored_as_sent(claim.claimant_name, data, "name")
    _stored_as_sent(claim.job_title, data, "job_title")
    assert claim.email == first(data, "email").strip().lower()
    assert claim.status == "pending" and says(response, "What happens next")
    if target.records.get("new"):
        _stored_as_sent(claim.new_org_name, data, "org_name")
    if _claim_kind(target, data) == "agency":
        _stored_as_sent(claim.licence_number, data, "licence_number")
    else:
        assert claim.licence_number is None  # employers hold no recruitment licence
    return True


def _claim_kind(target: Target, data: dict) -> str | None:
    return first(data, "org_kind") if target.records.get("new") else target.records["kind"]


def claim_must_reject(target, data) -> bool:
    required = ("name", "email", "job_title") + (("org_name",) if target.records.get("new") else ())
    licence_missing = _claim_kind(target, data) == "agency" and blank(data, "licence_number")
    return any(blank(data, name) for name in required) or licence_missing


def prepare_claim_new(_data) -> Target:
    return Target("/organisations/claim-new", {"new": True, "email": next(CLAIM_EMAILS)})


# Logging in ---------------------------------------------------------------------------------


def prepare_login(_data) -> Target:
    # No second factor: the password opens the session here (the code: "login-code").
    return Target("/login", {"email": UserFactory(second_factor=False).email})


def login_valid(target: Target) -> st.SearchStrategy[dict]:
    email = target.records["email"]
    return st.fixed_dictionaries(
        {
            "email": st.sampled_from([email, email.upper(), f" {email} ", "x" + email]),
            "password": st.sampled_from([TEST_PASSWORD, TEST_PASSWORD.upper(), ""]),
        }
    )


def login_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    # PBKDF2 (and scrypt, built on it) pads a short password with NUL bytes as an HMAC
    # key: "password" and "password\x00" are the same key. Not a weakness (one must know
    # the password), so a trailing NUL counts as the password.
    typed = (first(data, "password") or "").rstrip("\x00")
    right = (first(data, "email") or "").strip().lower() == target.records[
        "email"
    ] and typed == TEST_PASSWORD
    if len(first(data, "email") or "") > 254:
        right = False
    logged_in = response.status_code == 302
    assert logged_in == right, "a login was let in, or turned away, wrongly"
    # A login opens one session on the server; a refused one changes nothing.
    assert change == ({"staff_sessions": 1} if logged_in else {}), change
    if logged_in:
        assert urlsplit(response.headers["Location"]).path == "/staff/"
    return logged_in


# The code step of a login (/login/code), after a right password -----------------------------


def prepare_login_code(_data) -> Target:
    user = UserFactory(role="admin")  # with the factory's second factor
    pending = {
        PENDING_LOGIN: {
            "user": user.id,
            "at": int(time.time()),
            "password": keyed_hash(user.password_hash),
        }
    }
    return Target("/login/code", {"session": pending, "code": second_factor_code(user)})


def login_code_valid(target: Target) -> st.SearchStrategy[dict]:
    code = target.records["code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    return st.fixed_dictionaries(
        {"code": st.sampled_from([code, f" {code[:3]} {code[3:]} ", wrong, code[:5], ""])}
    )


def login_code_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    typed = re.sub(r"[\s\-_.]+", "", first(data, "code") or "")
    right = typed == target.records["code"]
    logged_in = response.status_code == 302
    assert logged_in == right, "a code was let in, or turned away, wrongly"
    # A login opens one session and notes the step used; a refused code changes nothing.
    assert change == ({"staff_sessions": 1, "second_factors": 0} if right else {}), change
    if logged_in:
        assert urlsplit(response.headers["Location"]).path == "/staff/"
    return logged_in


# GET forms: they change nothing -----------------------------------------------------------


def get_form(path: str) -> Callable[[st.DataObject], Target]:
    return lambda _data: Target(path)


def no_errors(target, data, response, before, after) -> bool:
    assert not added(before, after), "a GET form changed the database"
    return not errors_shown(response)


pages = optional(st.one_of(st.integers(-5, 12).map(str), number_text))


def search_valid(_target):
    return st.fixed_dictionaries(
        {
            "q": optional(st.one_of(mixed_scripts, zawgyi_text, payload_text, unicode_text)),
            "type": optional(choice_of(["", *SEARCH_KINDS])),
            "country": optional(choice_of(["", *SEARCH_COUNTRIES])),
            "page": pages,
        }
    )


def unknown_choice(data: dict, **allowed) -> bool:
    """True when a choice field was sent with a value that is not one of its choices."""
    return any(first(data, name) not in (None, "", *values) for name, values in allowed.items())


def search_must_reject(_target, data) -> bool:
    too_long = len(first(data, "q") or "") > 200
    return too_long or unknown_choice(data, type=SEARCH_KINDS, country=SEARCH_COUNTRIES)


def directory_must_reject(_target, data) -> bool:
    return unknown_choice(
        data, kind=DIRECTORY_KINDS, country=COUNTRIES, sector=SECTORS, licence=LICENCE_LABELS
    )


def directory_valid(_target):
    return st.fixed_dictionaries(
        {
            "kind": optional(choice_of(["", *DIRECTORY_KINDS])),
            "country": optional(choice_of(["", *COUNTRIES])),
            "province": optional(st.sampled_from(["", "Samut Sakhon", "Yangon"])),
            "sector": optional(choice_of(["", *SECTORS])),
            "licence": optional(choice_of(["", *LICENCE_LABELS])),
            "page": pages,
        }
    )


def jobs_valid(_target):
    return st.fixed_dictionaries(
        {
            "country": optional(choice_of(["", *job_choices.DESTINATION_CURRENCIES])),
            "province": optional(st.sampled_from(["", "Samut Sakhon", "Selangor"])),
            "sector": optional(choice_of(["", *SECTORS])),
            "employer_pays": optional(st.sampled_from(["y", "", "false"])),
            "min_salary": optional(st.decimals(0, 100_000, places=0).map(str)),
            "recruiting_from": optional(choice_of(["", *job_choices.ORIGIN_COUNTRIES])),
            "language": optional(choice_of(["", *job_choices.JOB_LANGUAGES])),
            "sort": optional(st.sampled_from(["newest", "salary"])),
            "page": pages,
        }
    )


def _zero(value: str) -> bool:
    try:
        return Decimal(value) == 0
    except ArithmeticError:
        return False


def jobs_must_reject(_target, data) -> bool:
    """Pay is compared within one country: a lowest pay (other than none: 0) or sorting
    by pay needs a country."""
    pay = first(data, "min_salary")
    wants_pay = (pay not in (None, "") and not _zero(pay)) or first(data, "sort") == "salary"
    return blank(data, "country") and wants_pay


amounts = st.decimals(Decimal("0.01"), Decimal("1e9"), places=2).map(str)


def calculator_valid(_target):
    currency = choice_of(job_choices.FEE_CURRENCIES)
    return st.fixed_dictionaries(
        {
            "fee": amounts,
            "fee_currency": currency,
            "wage": amounts,
            "wage_currency": currency,
            "living": optional(amounts),
            "interest": optional(st.decimals(0, 100, places=2).map(str)),
            "rate": optional(st.decimals(Decimal("0.001"), 10_000, places=3).map(str)),
        }
    )


def calculator_accepted(target, data, response, before, after) -> bool:
    assert not added(before, after), "the calculator changed the database"
    answered = 'class="result"' in response.get_data(as_text=True)
    assert answered != bool(errors_shown(response)) or "fee" not in data
    return answered or "fee" not in data


def calculator_must_reject(_target, data) -> bool:
    return "fee" in data and (blank(data, "fee") or blank(data, "wage"))


def article_list_must_reject(_target, data) -> bool:
    return unknown_choice(data, country=rights_choices.DESTINATIONS)


def article_list_valid(_target):
    return st.fixed_dictionaries(
        {"country": optional(choice_of(["", *rights_choices.DESTINATIONS]))}
    )


def hotlines_valid(_target):
    return st.fixed_dictionaries(
        {"country": optional(choice_of(["", "all", *rights_choices.HOTLINE_COUNTRIES]))}
    )


def hotlines_accepted(target, data, response, before, after) -> bool:
    assert not added(before, after)
    country = first(data, "country")
    known = not country or country in ("all", *rights_choices.HOTLINE_COUNTRIES)
    assert (response.status_code == 200) == known
    return response.status_code == 200


def partners_valid(_target):
    return st.fixed_dictionaries({"country": optional(choice_of(["", *COUNTRIES]))})


def partners_must_reject(_target, data) -> bool:
    return unknown_choice(data, country=COUNTRIES)


def services_valid(_target):
    from goldendreams.agencies.models import CSO_LANGUAGES
    from goldendreams.support.models import ServiceKind

    return st.fixed_dictionaries(
        {
            "country": optional(choice_of(["", *COUNTRIES])),
            "kind": optional(choice_of(["", *ServiceKind])),
            "language": optional(choice_of(["", *CSO_LANGUAGES])),
            "page": pages,
        }
    )


def services_must_reject(_target, data) -> bool:
    from goldendreams.agencies.models import CSO_LANGUAGES
    from goldendreams.support.models import ServiceKind

    return unknown_choice(data, country=COUNTRIES, kind=ServiceKind, language=CSO_LANGUAGES)


# The language switch: /language/<code>?next=… ---------------------------------------------------


def language_valid(_target):
    return st.fixed_dictionaries(
        {
            "code": choice_of(LOCALES),
            "next": optional(
                st.sampled_from(
                    [
                        "/",
                        "/jobs/?country=TH",
                        "//evil.example/",
                        "https://evil.example/",
                        "javascript:alert(1)",
                        "/\\evil.example",
                        "/search?q=%3Cscript%3E",
                    ]
                )
                | unicode_text
            ),
        }
    )


def language_accepted(target, data, response, before, after) -> bool:
    assert not added(before, after)
    code = first(data, "code")
    switched = response.status_code == 302
    assert switched == (code in LOCALES), f"language {code!r}: {response.status_code}"
    if switched:
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost") and location.path.startswith("/")
        assert f"gd_lang={code}" in response.headers["Set-Cookie"]
    return switched


# One-time links: setting a password from an invitation or a reset link; asking for a link ----

PASSWORDS = (
    "plum kettle harbour violin", "ကော်ဖီ ရေနွေး ပန်းခြံ မြစ်ကမ်း", "ေျမာက္ဘက္ ျမစ္ကမ္း ပန္းျခံ",
    "short", "password1234", "aaaaaaaaaaaaaaaa",
)  # fmt: skip


def password_valid(_target: Target) -> st.SearchStrategy[dict]:
    good = st.sampled_from(PASSWORDS[:3])
    typed = good | good | st.sampled_from(PASSWORDS) | unicode_text | site_scripts | payload_text
    return typed.flatmap(
        lambda new: st.fixed_dictionaries(
            {"new": st.just(new), "again": st.sampled_from([new, new, new + "x", ""])}
        )
    )


def password_must_reject(_target, data) -> bool:
    return blank(data, "new") or first(data, "new") != first(data, "again")


def prepare_accept(_data) -> Target:
    invitation = InvitationFactory()
    return Target(f"/invitation/{invitation.token}", {"email": invitation.email})


def accept_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    if response.status_code != 302:
        return False
    assert change == {"users": 1, "invitations": 0, "audit_log": 1}, change
    assert account_services.authenticate(target.records["email"], first(data, "new"))
    return True


def prepare_reset(_data) -> Target:
    user = UserFactory(role="agency_staff", organisation=AgencyFactory())
    return Target(f"/login/reset/{resets.issue(user)}", {"email": user.email})


def reset_accepted(target, data, response, before, after) -> bool:
    change = added(before, after)
    if response.status_code != 302:
        return False
    assert change == {"users": 0, "password_resets": 0, "audit_log": 1}, change
    assert account_services.authenticate(target.records["email"], first(data, "new"))
    return True


def prepare_forgot(_data) -> Target:
    return Target("/login/forgot", {"email": UserFactory(role="agency_staff").email})


def forgot_valid(target: Target) -> st.SearchStrategy[dict]:
    email = target.records["email"]
    typed = [email, email.upper(), f" {email} ", "x" + email, "nobody@example.org"]
    return st.fixed_dictionaries({"email": st.sampled_from(typed)})


def forgot_accepted(target, data, response, before, after) -> bool:
    """The same answer for every address; a link (one row) only for the account's."""
    change = added(before, after)
    if response.status_code != 200 or errors_shown(response):
        assert not change, change
        return False
    assert says(
        response,
        "If an account has this address, we sent a link to it. The link works for "
        "%(minutes)s minutes, once.",
    )
    typed = (first(data, "email") or "").strip().lower()
    found = typed == target.records["email"]
    assert change == ({"password_resets": 1, "audit_log": 1} if found else {}), change
    return True


FORMS = (
    PublicForm("review", "reviews.write", "POST", prepare_review, review_valid, REVIEW_FIELDS,
               review_accepted, review_must_reject),
    PublicForm("report-review", "reviews.report", "POST", prepare_review_report,
               report_valid(review_choices.FLAG_REASONS), ("reason", "note"),
               report_accepted("review_flags"), lambda _t, d: blank(d, "reason")),
    PublicForm("check", "desk.check", "POST", prepare_check, code_valid, ("code",),
               check_accepted),
    PublicForm("check-answer", "desk.answer", "POST", prepare_answer, answer_valid,
               ("code", "answer", "comment"), answer_accepted,
               lambda _t, d: blank(d, "answer")),
    PublicForm("check-answer-conversation", "desk.answer", "POST",
               prepare_answer_in_conversation, answer_valid, ("code", "answer", "comment"),
               answer_accepted, lambda _t, d: blank(d, "answer")),
    PublicForm("check-answer-case-code", "desk.answer", "POST", prepare_answer_with_case_code,
               answer_valid, ("code", "answer", "comment"), answer_accepted,
               lambda _t, d: blank(d, "answer")),
    PublicForm("check-withdraw", "desk.withdraw", "POST", prepare_withdraw, withdraw_valid,
               ("code", "confirm"), withdraw_accepted),
    PublicForm("check-referral", "desk.referral_consent", "POST", prepare_referral_consent,
               referral_consent_valid, ("code", "yes", "no"), referral_consent_accepted),
    PublicForm("check-retaliation", "safeguarding_worker.report", "POST", prepare_retaliation,
               retaliation_valid, ("code", "kind"), retaliation_accepted,
               lambda _t, d: blank(d, "kind")),
    PublicForm("ask", "ask.send", "POST", prepare_ask, ask_valid, ASK_FIELDS, ask_accepted,
               ask_must_reject),
    PublicForm("ask-start", "ask.ask", "GET", get_form("/ask"), ask_start_valid,
               ("topic", "country"), no_errors, ask_start_must_reject),
    PublicForm("check-write", "desk.write", "POST", prepare_thread_write, thread_write_valid,
               ("code", "text"), thread_write_accepted, thread_write_must_reject),
    PublicForm("check-close", "desk.close", "POST", prepare_thread_close, withdraw_valid,
               ("code", "confirm"), thread_end_accepted({"conversations"})),
    PublicForm("check-erase", "desk.erase", "POST", prepare_thread_erase, withdraw_valid,
               ("code", "confirm"), thread_end_accepted({"messages"})),
    PublicForm("apply", "jobs.apply", "POST", prepare_apply, apply_valid,
               ("name", "phone", "origin_country", "origin_region", "language", "consent"),
               apply_accepted, apply_must_reject),
    PublicForm("report-job", "jobs.report", "POST", prepare_job_report,
               report_valid(job_choices.FLAG_REASONS), ("reason", "note"),
               report_accepted("job_flags"), lambda _t, d: blank(d, "reason")),
    PublicForm("claim", "agencies.claim", "POST", prepare_claim, claim_valid, CLAIM_FIELDS,
               claim_accepted, claim_must_reject),
    PublicForm("claim-new", "agencies.claim_new", "POST", prepare_claim_new, claim_valid,
               (*CLAIM_FIELDS, "org_name", "org_kind", "org_country"), claim_accepted,
               claim_must_reject),
    PublicForm("login", "accounts.login", "POST", prepare_login, login_valid,
               ("email", "password"), login_accepted),
    PublicForm("accept-invitation", "users.accept_invitation", "POST", prepare_accept,
               password_valid, ("new", "again"), accept_accepted, password_must_reject),
    PublicForm("reset-password", "password_reset.reset", "POST", prepare_reset,
               password_valid, ("new", "again"), reset_accepted, password_must_reject),
    PublicForm("forgot-password", "password_reset.forgot", "POST", prepare_forgot,
               forgot_valid, ("email",), forgot_accepted, lambda _t, d: blank(d, "email")),
    PublicForm("login-code", "two_factor.login_code", "POST", prepare_login_code,
               login_code_valid, ("code",), login_code_accepted, lambda _t, d: blank(d, "code")),
    PublicForm("search", "search.search", "GET", get_form("/search"), search_valid,
               ("q", "type", "country", "page"), no_errors, search_must_reject),
    PublicForm("directory", "profile.directory", "GET", get_form("/directory/"),
               directory_valid, ("kind", "country", "province", "sector", "licence", "page"),
               no_errors, directory_must_reject),
    PublicForm("jobs", "jobs.job_list", "GET", get_form("/jobs/"), jobs_valid,
               ("country", "province", "sector", "employer_pays", "min_salary",
                "recruiting_from", "language", "sort", "page"), no_errors, jobs_must_reject),
    PublicForm("calculator", "rights.calculator", "GET", get_form("/rights/calculator"),
               calculator_valid,
               ("fee", "fee_currency", "wage", "wage_currency", "living", "interest", "rate"),
               calculator_accepted, calculator_must_reject),
    PublicForm("rights", "rights.article_list", "GET", get_form("/rights/"),
               article_list_valid, ("country",), no_errors, article_list_must_reject),
    PublicForm("hotlines", "rights.hotlines", "GET", get_form("/help/"), hotlines_valid,
               ("country",), hotlines_accepted),
    PublicForm("partners", "network.partners", "GET", get_form("/partners"), partners_valid,
               ("country",), no_errors, partners_must_reject),
    PublicForm("services", "support.service_directory", "GET", get_form("/services/"),
               services_valid, ("country", "kind", "language", "page"), no_errors,
               services_must_reject),
    PublicForm("language", "core.set_language", "GET", get_form("/language/"),
               language_valid, ("code", "next"), language_accepted),
)  # fmt: skip


# --- the fuzzing ------------------------------------------------------------------------------


def seed_public_pages() -> None:
    """Something for the lists, the search and the help page to show."""
    JobFactory()
    PublishedReviewFactory()
    ArticleTextFactory(article__slug="recruitment-fees")
    HotlineFactory()
    CsoFactory()
    from tests.support.factories import ServiceFactory

    ServiceFactory()


def as_server_reads(body: bytes, method: str) -> dict:
    """A raw body or query string as Werkzeug parses it (invalid escapes stay as they are,
    invalid UTF-8 drops the body): the submission the site really got."""
    if method == "GET":
        environ = EnvironBuilder(query_string=body.decode("latin-1")).get_environ()
        values = Request(environ).args
    else:
        environ = EnvironBuilder(
            method="POST", data=body, content_type="application/x-www-form-urlencoded"
        ).get_environ()
        values = Request(environ).form
    return {name: found[0] if len(found) == 1 else found for name, found in values.lists()}


def send(app, form: PublicForm, target: Target, data: dict, encoding: str, locale: str, raw):
    """Sends the submission; returns the response and the submission as the site read it."""
    app.test_client_class = RequestContextClient  # each request in its own app context
    client = app.test_client()  # a fresh one: no session or login left from the last example
    client.set_cookie("gd_lang", locale)
    if "session" in target.records:  # a step that follows another (a login's code)
        with client.session_transaction() as session:
            session.update(target.records["session"])
    url, path_values = target.url, {}
    if form.endpoint == "core.set_language":
        # The language is part of the path: send it percent-encoded, as a browser would.
        path_values = {"code": first(data, "code")} if "code" in data else {}
        url += quote(first(data, "code") or "", safe="")
        data = {name: value for name, value in data.items() if name != "code"}
    if encoding == "raw":
        body = raw_body(data, *raw)
        read = as_server_reads(body, form.method) | path_values
        if form.method == "GET":
            # WSGI keeps the query string as bytes decoded as latin-1: this sends them as is.
            response = client.get(url, query_string=body.decode("latin-1"))
        else:
            content_type = "application/x-www-form-urlencoded"
            response = client.post(url, data=body, content_type=content_type)
    elif form.method == "GET":
        read, response = data | path_values, client.get(url, query_string=data)
    elif encoding == "multipart":
        read = data | path_values
        response = client.post(url, data=data, content_type="multipart/form-data")
    else:
        read, response = data | path_values, client.post(url, data=data)
    # The test client leaves a multipart body over 500 KB in an open temporary file.
    response.request.environ["wsgi.input"].close()
    return response, read


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_fuzz_public_form(app, form: PublicForm, postgres_rules, monkeypatch):
    if SEED is not None:  # the codes the site hands out are part of the examples too
        codes = random.Random(SEED)  # repeatable on purpose
        alphabet, length = tracking.ALPHABET, tracking.LENGTH
        monkeypatch.setattr(
            tracking,
            "new_code",
            lambda: "-".join("".join(codes.choices(alphabet, k=4)) for _ in range(length // 4)),
        )
    seed_public_pages()

    @seed(SEED)  # None: a fresh seed
    @FUZZ
    @given(
        data=st.data(),
        locale=st.sampled_from(LOCALES),
        encoding=encodings,
        raw=st.tuples(st.sampled_from(BREAKAGE), st.integers(0, 20)),
    )
    def example(data, locale, encoding, raw):
        RUN[form.name] += 1
        postgres_rules.clear()
        target = form.prepare(data)
        submission = data.draw(submissions(form.valid(target), form.names), label="form")
        if form.method == "GET" and encoding == "multipart":
            encoding = "form"
        before = snapshot()

        response, read = send(app, form, target, submission, encoding, locale, raw)

        after = snapshot()
        assert response.status_code < 500, response.status_code  # property 1
        assert not postgres_rules, postgres_rules  # PostgreSQL would have answered 500
        assert_escaped(response, submission)  # property 4
        accepted = form.accepted(target, read, response, before, after)  # property 3
        errors = errors_shown(response)
        assert_in_language(errors, locale)  # property 2
        if accepted:
            ACCEPTED[form.name] += 1
            assert not form.must_reject(target, read), "accepted what it must refuse"
        else:
            assert errors, f"refused without saying why ({response.status_code})"
            if form.method == "POST":
                assert not added(before, after), "a refused submission changed the database"

    example()


# --- coverage: no public form escapes the fuzzing ----------------------------------------------


def _placeholder(rule, argument: str):
    converter = rule._converters[argument]
    items = getattr(converter, "items", None)
    if items:
        return sorted(items)[0]
    name = type(converter).__name__.lower()
    if "publicid" in name:
        return "x" * 16  # a random public id's shape, so the route is the one matched
    return 1 if "int" in name else "x"


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


def _public(app, client, method: str) -> set[str]:
    """Endpoints with ``method`` that an anonymous visitor gets past the login wall of."""
    adapter = app.url_map.bind("localhost")
    found = set()
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint == "static":
            continue
        values = {arg: _placeholder(rule, arg) for arg in rule.arguments}
        response = client.open(adapter.build(rule.endpoint, values), method=method)
        response.close()
        if not _is_login_redirect(response):
            found.add(rule.endpoint)
    return found


def _get_form_endpoints() -> set[str]:
    """Endpoints that a template's ``<form method="get">`` sends to."""
    found = set()
    for path in Path(PROJECT_ROOT / "goldendreams").rglob("*.html"):
        text = path.read_text()
        found |= set(re.findall(r"<form[^>]*method=\"get\"[^>]*url_for\('([\w.]+)'", text))
        found |= set(re.findall(r"filter_form\(form, '([\w.]+)'\)", text))
    return found


#: Anonymous POST routes that are not forms: a messaging platform's signed webhook
#: (off here; tests/channels/test_webhook_fuzz.py fuzzes each platform's, signed).
NOT_FORMS = {"channels.webhook"}


def test_every_public_form_is_fuzzed(app, client):
    fuzzed = {(form.endpoint, form.method) for form in FORMS}
    posts = _public(app, client, "POST") - NOT_FORMS
    missing = {endpoint for endpoint in posts if (endpoint, "POST") not in fuzzed}
    assert not missing, f"anonymous POST routes not fuzzed: add them to FORMS: {missing}"
    public_gets = _public(app, client, "GET")
    get_forms = _get_form_endpoints() & public_gets
    missing = {endpoint for endpoint in get_forms if (endpoint, "GET") not in fuzzed}
    assert not missing, f"public GET forms not fuzzed: add them to FORMS: {missing}"
    # The probe itself works: it finds the forms we know of, and not the staff ones.
    assert {"reviews.write", "jobs.apply", "accounts.login"} <= posts
    assert "moderation.publish" not in posts and "search.search" in get_forms
    assert len(get_forms) >= 4


def test_the_checks_catch_what_they_look_for(app, postgres_rules):
    """The properties can fail: English in a Thai page, an unescaped payload, a NUL or an
    over-long string on its way to the database are all caught."""
    with pytest.raises(AssertionError):
        assert_in_language(["Choose an answer from the list."], "th")
    assert_in_language([CATALOGS["th"]["Choose an answer from the list."]], "th")
    sent = {"q": f"x{PAYLOADS[1]}"}
    with pytest.raises(AssertionError):
        assert_escaped(app.response_class(f"<p>{PAYLOADS[1]}</p>"), sent)
    assert_escaped(app.response_class(f"<p>{html.escape(PAYLOADS[1])}</p>"), sent)
    try:
        db.session.execute(select(Review).where(Review.title == "a\x00b")).all()
    except DataError:  # PostgreSQL itself refuses it: what the fixture warns of on SQLite
        db.session.rollback()
    assert postgres_rules and "NUL" in postgres_rules[0]
    postgres_rules.clear()
    try:
        OrganisationFactory(name="n" * 201)
    except DataError:  # PostgreSQL refuses it too
        db.session.rollback()
    assert postgres_rules and "201" in postgres_rules[0]


def test_what_the_fuzzing_found_stays_fixed(app, client, postgres_rules):
    """The submissions that broke the site once, sent every time (the fuzzing draws them
    only now and then)."""
    # "sNaN" as the lowest pay: comparing it raised InvalidOperation, a 500.
    assert client.get("/jobs/", query_string={"min_salary": "sNaN"}).status_code == 200
    # A NUL in the login email or the directory's country reached a query: PostgreSQL
    # refuses it, a 500 there.
    client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    client.get("/directory/", query_string={"country": "T\x00H"})
    assert not postgres_rules, postgres_rules
    # A right code padded past the field's 40 characters: the answer was refused with no
    # message (the code field is hidden); now it is a wrong code, like any other.
    target = prepare_answer(None)
    code = target.records["codes"][0] + " " * 30
    response = client.post("/check/answer", data={"code": code, "answer": "yes"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("unit", "size", "content_type", "status"),
    [
        ("ငါ့ပတ်စ်ပို့ ", 5001, None, 200),  # one letter too many: the form refuses it
        ("my passport ", 150_000, None, 200),  # read whole, then refused by the form
        ("my passport ", 300_000, "multipart/form-data", 413),  # over MAX_FORM_MEMORY_SIZE
        ("ငါ့ပတ်စ်ပို့ ", 2_000_000, None, 413),  # a body over MAX_CONTENT_LENGTH
    ],
)
def test_oversized_worker_forms_are_refused_and_store_nothing(
    app, client, unit, size, content_type, status
):
    """Every size of text a worker could paste into /ask and their thread: over the 5000
    letters a message takes, over the memory a form field may use, over the largest body.
    Never a 500, nothing stored: the form again with the error and what was typed (200, as
    every public form with errors; 400 for a code that opens nothing), or 413 for a body or
    a field too large to read."""
    prepare_ask(None)
    _conversation, code = _conversation_with_code(contact=True)
    text = repeated(unit, size)
    sent = {
        "/ask": {"topic": "work", "country": "TH", "text": text},
        "/check/write": {"code": code, "text": text},
        "/check/close": {"code": code + text, "confirm": "y"},
        "/check/erase": {"code": code + text, "confirm": "y"},
    }
    statuses = {}
    for url, data in sent.items():
        before = snapshot()
        response = client.post(url, data=data, content_type=content_type)
        statuses[url] = response.status_code
        assert not added(before, snapshot()), f"{url} stored something"
        if "text" not in data:  # a code that opens nothing
            assert response.status_code in (400, 413), (url, response.status_code)
        elif response.status_code != 413:
            assert response.status_code == 200, (url, response.status_code)
            assert says(response, "This is too long. Write at most 5000 letters."), url
            assert text[:200] in response.get_data(as_text=True), f"{url} lost what was typed"
    # Each size met the refusal it was chosen for.
    assert statuses["/ask"] == statuses["/check/write"] == status, statuses
