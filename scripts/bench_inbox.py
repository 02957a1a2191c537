"""The worker-voice part of the benchmark data (scripts/bench_data.py runs it): caseworkers
who can log in, 250,000 conversations with 1,000,000 messages over three years, the contacts
workers left, saved answers and logged calls (the default sizes).

The network's volume: 15,000-20,000 contacts a month and growing, so three years of it.
Most conversations are old and closed; the last two months hold the open ones (new,
waiting for us, waiting for the worker) in the shares an answering desk has. Messages are
mostly the workers' (every thread starts with one), with caseworkers' replies and notes.
A thread's state agrees with its messages (new: nobody answered; waiting for us: the worker
wrote last). The CSOs' shares are uneven (the first takes about a fifth: the busiest inbox
is the one the load benchmark opens).

The caseworkers are real accounts, so the load benchmark can log in the way a caseworker
does: ``caseworker1.cso<ID>@bench.example.org`` with ``PASSWORD`` and a confirmed second
factor whose key is ``TOTP_SECRET`` (known to anyone who reads this file: benchmark data
is never a real site's). A web conversation's private code is ``worker_code(id)``.
"""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import timedelta
from itertools import accumulate

from sqlalchemy import func, insert, select

from goldendreams.extensions import db

#: How a bench caseworker logs in (scripts/bench_load.py): their password and TOTP key.
PASSWORD = "bench caseworker password"  # noqa: S105  (benchmark data only)
TOTP_SECRET = base64.b32encode(hashlib.sha256(b"bench totp").digest()[:20]).decode()
DAYS = 3 * 365
CHUNK = 10_000
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # goldendreams.core.tracking.ALPHABET
APPS = ("messenger", "whatsapp", "viber", "line", "telegram", "sms")


def caseworker_email(cso_id: int, number: int = 1) -> str:
    return f"caseworker{number}.cso{cso_id}@bench.example.org"


def worker_code(conversation_id: int) -> str:
    """The private code of a bench web conversation (a valid code, different for each)."""
    value, digits = (conversation_id * 1_000_003 + 7_777_777) % 30**12, []
    for _ in range(12):
        value, digit = divmod(value, 30)
        digits.append(CODE_ALPHABET[digit])
    raw = "".join(digits)
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _pick(rng: random.Random, shares: dict) -> str:
    return rng.choices(list(shares), list(shares.values()))[0]


#: Of conversations opened in the last two months; older ones are nearly all closed.
RECENT_STATES = {"new": 12, "waiting_for_us": 22, "waiting_for_worker": 33, "closed": 33}
OLD_STATES = {"closed": 96, "waiting_for_worker": 3, "waiting_for_us": 1}
CHANNELS = {"web": 60, "messenger": 14, "whatsapp": 8, "line": 7, "viber": 5, "sms": 4,
            "telegram": 2}  # fmt: skip
TOPICS = {"question": 45, "work": 30, "recruitment": 20, "emergency": 5}
OUTCOMES = {"information": 40, "referred_to_service": 15, "case_opened": 5, "no_reply": 25,
            "not_in_scope": 5, "closed_by_worker": 10}  # fmt: skip
CALL_OUTCOMES = {"information": 55, "referred_to_service": 25, "no_reply": 5, "not_in_scope": 15}
#: After the first (the worker's), what each further message is.
NEXT_KIND = {"from_worker": 45, "to_worker": 42, "note": 13}


class InboxData:
    """Adds the inbox to a bench_data.Generator's database (organisations, reviews and cases
    are in already)."""

    def __init__(self, generator, sizes, seed: int):
        # An own generator: the rows of the other steps stay what they were.
        self.rng = random.Random(f"inbox-{seed}")
        self.base, self.sizes, self.today = generator, sizes, generator.today
        self.text = generator.text

    def paragraph(self, locale: str, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.text[locale], k=self.rng.randint(low, high)))

    # -- staff ---------------------------------------------------------------------------
    def staff(self) -> None:
        """Caseworkers of every bench CSO, each with a confirmed second factor."""
        from werkzeug.security import generate_password_hash

        from goldendreams.accounts.models import SecondFactor, User
        from goldendreams.core.base import utcnow

        hashed = generate_password_hash(PASSWORD)  # once: scrypt is slow on purpose
        users, factors, self.caseworkers = [], [], {}
        number = db.session.scalar(select(func.max(User.id))) or 0
        for cso in self.base.csos:
            for k in range(1, self.sizes.caseworkers + 1):
                number += 1
                users.append({
                    "id": number, "email": caseworker_email(cso, k), "password_hash": hashed,
                    "role": "caseworker", "organisation_id": cso, "preferred_locale": "en",
                    "active": True, "org_admin": k == 1, "muted_notifications": [],
                    "created_at": utcnow(),
                })  # fmt: skip
                factors.append({"user_id": number, "secret": TOTP_SECRET,
                                "confirmed_at": utcnow(), "last_step": 0})  # fmt: skip
                self.caseworkers.setdefault(cso, []).append(number)
        self.base.insert(User, users)
        self.base.insert(SecondFactor, factors)

    # -- conversations and messages ------------------------------------------------------
    def inbox(self) -> None:
        from goldendreams.agencies.models import Organisation
        from goldendreams.cases import taxonomy
        from goldendreams.cases.models import Case

        rng, count = self.rng, self.sizes.conversations
        self.languages = dict(
            db.session.execute(
                select(Organisation.id, Organisation.languages).where(
                    Organisation.id.in_(self.base.csos)
                )
            ).all()
        )
        self.categories = [c.id for c in taxonomy.current()]
        # Cases not from a review, by CSO: a conversation "case opened" is tied to one.
        self.free_cases: dict[int, list[int]] = {}
        for case_id, owner in db.session.execute(
            select(Case.id, Case.owner_id).where(Case.review_id.is_(None)).order_by(Case.id)
        ):
            self.free_cases.setdefault(owner, []).append(case_id)
        self.threads = list(rng.sample(self.base.published_reviews, count // 100))
        self.named = self.base.agencies + self.base.employers
        self.named_weights = list(accumulate(1 / (rank + 10) for rank in range(len(self.named))))
        # The busiest CSO first, then fewer and fewer.
        owner_weights = list(accumulate(1 / (rank + 2) for rank in range(len(self.base.csos))))
        # Contacts a day grow by half over the three years.
        day_weights = list(accumulate(1.5 - age / DAYS / 2 for age in range(DAYS)))
        ages = sorted(rng.choices(range(DAYS), cum_weights=day_weights, k=count), reverse=True)
        owners = rng.choices(self.base.csos, cum_weights=owner_weights, k=count)
        states = [_pick(rng, RECENT_STATES if age <= 60 else OLD_STATES) for age in ages]
        # Each thread has the worker's first message; the rest go to threads at random,
        # more to long-running ones (a new one has at most a follow-up).
        lengths = [1] * count
        weights = [
            (0.1 if state == "new" else rng.expovariate(1.0) * (1 + min(age, 60) / 30))
            for state, age in zip(states, ages, strict=True)
        ]  # fmt: skip
        for index in rng.choices(
            range(count), cum_weights=list(accumulate(weights)), k=self.sizes.messages - count
        ):
            lengths[index] += 1
        self.message_id = 0
        for start in range(0, count, CHUNK):
            end = min(count, start + CHUNK)
            self.chunk([
                (number + 1, ages[number], owners[number], states[number], lengths[number])
                for number in range(start, end)
            ])  # fmt: skip

    def chunk(self, plans: list[tuple[int, int, int, str, int]]) -> None:
        from goldendreams.inbox.models import (
            Contact,
            Conversation,
            Message,
            conversation_categories,
        )

        conversations, messages, contacts, tags = [], [], [], []
        for conversation_id, age, owner, state, length in plans:
            row, thread = self.conversation(conversation_id, age, owner, state, length)
            conversations.append(row)
            messages.extend(thread)
            if row["state"] != "closed" and age <= 90 and self.rng.random() < 0.4:
                contacts.append({
                    "id": conversation_id, "conversation_id": conversation_id,
                    "method": self.rng.choice(("phone", "line", "viber", "messenger", "whatsapp")),
                    "value": f"+66 8{conversation_id:08d}", "given_on": row["opened_on"],
                })  # fmt: skip
            if self.rng.random() < 0.35:
                for category in self.rng.sample(self.categories, self.rng.randint(1, 2)):
                    tags.append({"conversation_id": conversation_id, "category_id": category})
        self.base.insert(Conversation, conversations)
        self.base.insert(Message, messages)
        self.base.insert(Contact, contacts)
        if tags:
            db.session.execute(insert(conversation_categories), tags)
        db.session.commit()

    def conversation(self, conversation_id, age, owner, state, length) -> tuple[dict, list]:
        from goldendreams.core import tracking

        rng = self.rng
        opened = self.today - timedelta(days=age)
        channel = _pick(rng, CHANNELS)
        topic = _pick(rng, TOPICS)
        spoken = self.languages[owner] or ["my"]
        language = rng.choice(spoken) if rng.random() < 0.85 else rng.choice(list(self.text))
        kinds = self.kinds(state, length)
        if state != "closed":  # the state follows who wrote last
            last = next(kind for kind in reversed(kinds) if kind != "note")
            if "to_worker" not in kinds:
                state = "new"
            else:
                state = "waiting_for_us" if last == "from_worker" else "waiting_for_worker"
        # The thread runs over some days (longer threads, more days), never past today.
        span = min(age, rng.randint(0, 3 * length))
        last_day = opened + timedelta(days=span)
        if state != "closed" and age > 60:
            last_day = opened + timedelta(days=min(age, rng.randint(30, 90)))
        days = sorted(opened + timedelta(days=rng.randint(0, span)) for _ in range(length))
        days[0] = opened
        outcome = _pick(rng, OUTCOMES) if state == "closed" else None
        case_id, pool = None, self.free_cases.get(owner)
        if outcome == "case_opened" or (state != "closed" and rng.random() < 0.02):
            if pool:
                case_id = pool.pop()
            elif outcome == "case_opened":
                outcome = "information"  # the CSO's cases are all taken
        review_id = None
        if channel == "web" and self.threads and rng.random() < 0.02:
            review_id = self.threads.pop()[0]
        workers = self.base_caseworkers(owner)
        assignee = rng.choice(workers) if rng.random() < (0.1 if state == "new" else 0.75) else None
        organisation_id, organisation_name = None, None
        pick = rng.random()
        if pick < 0.45:
            organisation_id = rng.choices(self.named, cum_weights=self.named_weights)[0]
        elif pick < 0.6:
            organisation_name = f"{rng.choice(('Golden', 'Siam', 'Lucky'))} farm near the river"
        row = {
            "id": conversation_id, "owner_id": owner, "channel": channel, "language": language,
            "country": rng.choices(("TH", "MY", "MM", "KH", "LA", "NP"), (60, 30, 4, 2, 2, 2))[0],
            "topic": topic, "state": state,
            "urgent": topic == "emergency" or rng.random() < 0.02, "assignee_id": assignee,
            "organisation_id": organisation_id, "organisation_name": organisation_name,
            "outcome": outcome,
            "code_hash": tracking.code_hash(worker_code(conversation_id))
            if channel == "web" and review_id is None else None,
            "sender_hash": hashlib.sha256(f"bench-sender-{conversation_id}".encode()).hexdigest()
            if channel != "web" else None,
            "review_id": review_id, "case_id": case_id, "opened_on": opened,
            "last_activity_on": max(days[i] for i, k in enumerate(kinds) if k != "note")
            if state == "closed" else last_day,
            "closed_on": min(self.today, days[-1] + timedelta(days=rng.randint(0, 14)))
            if state == "closed" else None,
        }  # fmt: skip
        if state != "closed":
            days[-1] = last_day
        erased = outcome == "closed_by_worker" and rng.random() < 0.2
        thread = [
            self.message(row, kind, day, workers, assignee, erased)
            for kind, day in zip(kinds, days, strict=True)
        ]
        return row, thread

    def base_caseworkers(self, owner: int) -> list[int]:
        return self.caseworkers.get(owner) or [None]

    def kinds(self, state: str, length: int) -> list[str]:
        kinds = ["from_worker"] + [_pick(self.rng, NEXT_KIND) for _ in range(length - 1)]
        if state == "new":
            return ["from_worker" if kind == "to_worker" else kind for kind in kinds]
        spoken = [i for i, kind in enumerate(kinds) if kind != "note"]
        if state == "waiting_for_us" and len(spoken) > 1:
            kinds[spoken[-1]] = "from_worker"
            if "to_worker" not in kinds and spoken[-2] > 0:  # the first is the worker's
                kinds[spoken[-2]] = "to_worker"
        elif state == "waiting_for_worker" and len(spoken) > 1:
            kinds[spoken[-1]] = "to_worker"
        return kinds

    def message(self, row, kind, day, workers, assignee, erased) -> dict:
        rng = self.rng
        self.message_id += 1
        app = row["channel"] in APPS
        language = row["language"] if kind != "note" else "en"
        text, found = self.paragraph(language, 1, 2)[:1500], []
        if kind == "from_worker" and rng.random() < 0.05:
            # A phone number, marked as the write layer's pii.find_personal_data marks it
            # (tests/test_bench_inbox.py checks that it does).
            found = [{"start": len(text) + 1, "end": len(text) + 11, "kind": "phone"}]
            text += f" 08{rng.randint(10_000_000, 99_999_999)}"
        if kind == "from_worker" and erased:
            text, found = None, []
        author = None if kind == "from_worker" else (assignee or rng.choice(workers))
        delivery = "stored"
        if app and kind == "to_worker":
            delivery = rng.choices(("delivered", "sent", "failed"), (90, 8, 2))[0]
        return {
            "id": self.message_id, "conversation_id": row["id"], "kind": kind, "text": text,
            "personal_data": found, "attachments": [], "author_id": author,
            "delivery": delivery,
            "platform_id": f"bench-{self.message_id}" if app and kind != "note" else None,
            "sent_on": day,
        }  # fmt: skip

    # -- saved answers and logged calls --------------------------------------------------
    def desk(self) -> None:
        from goldendreams.inbox.models import CallLog, SavedAnswer

        rng, answers, calls = self.rng, [], []
        for cso in self.base.csos:
            for language in ["en", *(self.languages[cso] or [])]:
                for _ in range(self.sizes.saved_answers):
                    answers.append({
                        "id": len(answers) + 1, "owner_id": cso, "language": language,
                        "title": rng.choice(self.text[language])[:100],
                        "body": self.paragraph(language, 2, 4)[:3000],
                    })  # fmt: skip
        owner_weights = list(accumulate(1 / (rank + 2) for rank in range(len(self.base.csos))))
        day_weights = list(accumulate(1.5 - age / DAYS / 2 for age in range(DAYS)))
        for number in range(1, self.sizes.call_logs + 1):
            owner = rng.choices(self.base.csos, cum_weights=owner_weights)[0]
            calls.append({
                "id": number, "owner_id": owner, "channel": "phone",
                "topic": _pick(rng, TOPICS),
                "category_id": rng.choice(self.categories) if rng.random() < 0.5 else None,
                "language": rng.choice(self.languages[owner] or ["my"]),
                "country": rng.choices(("TH", "MY", "MM"), (60, 30, 10))[0],
                "outcome": _pick(rng, CALL_OUTCOMES), "minutes": rng.randint(1, 45),
                "logged_by_id": rng.choice(self.base_caseworkers(owner)),
                "logged_on": self.today - timedelta(
                    days=rng.choices(range(DAYS), cum_weights=day_weights)[0]
                ),
            })  # fmt: skip
        self.base.insert(SavedAnswer, answers)
        self.base.insert(CallLog, calls)


def add_arguments(parser) -> None:
    parser.add_argument("--conversations", type=int, default=250_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--caseworkers", type=int, default=8, help="per CSO")
    parser.add_argument("--saved-answers", type=int, default=6, help="per CSO and language")
    parser.add_argument("--call-logs", type=int, default=60_000)


def fill(generator, sizes, seed: int, report) -> None:
    """The inbox steps, each committed and timed by ``report(step, seconds)``."""
    import time

    data = InboxData(generator, sizes, seed)
    for step in ("staff", "inbox", "desk"):
        started = time.perf_counter()
        getattr(data, step)()
        db.session.commit()
        report(step, time.perf_counter() - started)
