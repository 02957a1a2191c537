"""Find and hide personal data in review text, so that a review cannot identify its writer.

Reviews are written in English, Burmese, Khmer, Thai, Lao or Nepali, often with local digits.
Every pattern runs on ``to_ascii_digits(text)``, which has the same length as the text, so the
offsets it finds are valid for the original. Thai, Lao, Khmer and Burmese letters count as ``\\w``,
so the patterns use explicit look-arounds such as ``(?<!\\d)`` instead of ``\\b``.

Money, wages, years, dates, times, counts and room numbers are deliberately left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the ORIGINAL text (str indices)
    end: int
    kind: str  # one of: "phone", "email", "link", "handle", "id", "number"


# Burmese writers often type the letter WA (U+101D) for zero; it is a zero only next to a digit
# and not followed by a Burmese letter or vowel sign (then it starts a word).
_WA_RUN = re.compile("\u101d+")
_BURMESE_LETTER = re.compile(r"[\u1000-\u103f\u1050-\u108f\u109a-\u109f]")


def to_ascii_digits(text: str) -> str:
    """Return text with the digits of every script as ASCII digits; the length is unchanged."""
    chars = [ch if (value := unicodedata.decimal(ch, None)) is None else str(value) for ch in text]
    for run in _WA_RUN.finditer(text):
        before = chars[run.start() - 1] if run.start() > 0 else ""
        after = chars[run.end()] if run.end() < len(chars) else ""
        if (before.isdigit() or after.isdigit()) and not _BURMESE_LETTER.match(after):
            chars[run.start() : run.end()] = "0" * len(run.group())
    return "".join(chars)


# --- Phones -------------------------------------------------------------------------------------
# Between digit groups: a space, a dash, a dot or a bracket, each optional ("081 - 234 - 5678").
_SEP = r"[ \t]?[.\-()]?[ \t]?"
# +66 / 0066 / (+95) then 7-12 digits: Thailand, Myanmar, Cambodia, Laos, Nepal, Malaysia.
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\d+])\(?(?:\+|00)[ \t]?(?:855|856|977|66|95|60)\)?"
    rf"(?:{_SEP}\(0\))?(?:{_SEP}\d){{7,12}}(?!\d)"
)
# Local numbers with the trunk 0: 9-11 digits in all six countries (081-234-5678, 09 450 123 456).
_PHONE_LOCAL = re.compile(rf"(?<![\d+])0(?:{_SEP}\d){{8,10}}(?!\d)")
# Myanmar mobiles may carry up to 10 digits after 09 (09-4501234567).
_PHONE_MYANMAR = re.compile(rf"(?<![\d+])09(?:{_SEP}\d){{7,10}}(?!\d)")
# Old landlines with a one-digit area code are shorter: Yangon 01-234567.
_PHONE_LANDLINE = re.compile(r"(?<![\d+])0\d[ .\-]\d{6,7}(?!\d)")
# Nepali mobiles are written without the trunk 0: 98XXXXXXXX and 97XXXXXXXX.
_PHONE_NEPAL = re.compile(rf"(?<![\d+])9[78](?:{_SEP}\d){{8}}(?!\d)")
# Dates (15.03.2024 09:00, 2024-05-12) and times look like digit groups; a local phone never
# overlaps one.
_DATE_OR_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}([./\-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./\-])\d{1,2}\2\d{1,2}"
    r"|\d{1,2}:\d{2})(?!\d)"
)

# --- Email and links ----------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# A URL ends before whitespace and before punctuation that closes the sentence.
_URL_TAIL = r"[^\s<>\"']*[^\s<>\"'.,;:!?)\]]"
_LINK_URL = re.compile(rf"(?:(?:https?|viber|line|tg|whatsapp)://|www\.){_URL_TAIL}", re.I)
# Bare links such as facebook.com/aung or jobs.co.th; "Co., Ltd." has no letters after its dot.
_LINK_BARE = re.compile(
    r"(?<![A-Za-z0-9@.\-/])(?P<host>(?:[A-Za-z0-9\-]+\.)+"
    r"(?P<tld>com|net|org|me|ee|ly|be|gl|io|th|mm|kh|la|np|my))(?![A-Za-z0-9\-])"
    rf"(?P<path>/{_URL_TAIL})?",
    re.I,
)
_SHORT_HOSTS = {"m.me", "t.me", "wa.me", "fb.me", "line.me", "lin.ee", "youtu.be", "bit.ly"}
_SECOND_LEVEL = re.compile(r"\.(?:co|com|or|org|go|gov|ac|edu|net)\.[a-z]{2}$", re.I)

# --- Handles ------------------------------------------------------------------------------------
# @username with a letter in it ("@500 baht" is a price); an email's "@" follows its local part.
_HANDLE_AT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])@(?=[A-Za-z0-9_.]*[A-Za-z_])[A-Za-z0-9_][A-Za-z0-9_.]+[A-Za-z0-9_]"
)
# "LINE ID: somchai99", "Viber: aung.aung": the chat ID after the keyword.
_CHAT_ID = re.compile(
    r"(?<![A-Za-z])(?:line|viber|we[ ]?chat|telegram|tg|whats[ ]?app|fb|facebook|messenger|ig"
    r"|instagram|tiktok|imo|ไลน์|เฟสบุ๊ก|เฟซบุ๊ก)"
    r"[ \t]*(?:id[ \t]*:?|:)[ \t]*(?P<id>@?[A-Za-z0-9_][A-Za-z0-9._\-]+[A-Za-z0-9_])",
    re.I,
)

# --- ID numbers ---------------------------------------------------------------------------------
# Passports: 1-2 capital letters and 6-8 digits (MA123456, N01234567); RM/RS/K start a price.
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?!RM|RS|K\d)[A-Z]{1,2}\d{6,8}(?![A-Za-z0-9])")
_PASSPORT_WORDS = "passport|หนังสือเดินทาง|ပတ်စ်ပို့|ပတ်စပို့|លិខិតឆ្លងដែន|ໜັງສືຜ່ານແດນ|पासपोर्ट|राहदानी"
_NUMBER_WORDS = "no|number|num|nr|เลขที่|เลข|နံပါတ်|លេខ|ເລກທີ|ເລກ|नम्बर|नं"
# Any 6-9 character token with a digit right after a passport word ("passport no: 12AB3456").
_PASSPORT_AFTER_WORD = re.compile(
    rf"(?:{_PASSPORT_WORDS})[\s:#.]*(?:(?:{_NUMBER_WORDS})(?![A-Za-z0-9])[\s:#.]*)?"
    r"(?P<id>(?=[A-Za-z]*\d)[A-Za-z0-9]{6,9})(?![A-Za-z0-9])",
    re.I,
)
# Thai national ID: 13 digits grouped 1-4-5-2-1; only accepted with a valid check digit.
_THAI_ID = re.compile(r"(?<![\d\-])\d[ \-]?\d{4}[ \-]?\d{5}[ \-]?\d{2}[ \-]?\d(?![\d])")
# Myanmar NRC: state 1-14 / township code (Latin or Burmese) (type) 5-6 digits.
_MYANMAR_NRC = re.compile(
    r"(?<!\d)(?:1[0-4]|[1-9])[ \t]*/[ \t]*(?:[A-Za-z]+(?:[ \t][A-Za-z]+){0,3}|[\u1000-\u103f]+)"
    r"[ \t]*\([ \t]*(?:N|E|P|C|AC|NC|V|M|Naing|နိုင်|ဧည့်|ပြု|သ|စ)[ \t]*\)[ \t]*\d{5,6}(?!\d)",
    re.I,
)

# --- Long digit runs ----------------------------------------------------------------------------
# Bank accounts and card numbers; a run next to a currency is an amount of money instead.
_LONG_NUMBER = re.compile(r"(?<!\d)\d{9,}(?!\d)")
_CURRENCY = (
    r"(?:baht|บาท|thb|฿|ringgit|rm|myr|kyats?|ကျပ်|mmk|riels?|រៀល|khr|kip|ກີບ|lak"
    r"|rupees?|rs|रुपैयाँ|रु|रू|npr|usd|us\$|\$|dollars?|ដុល្លារ|ดอลลาร์|ဒေါ်လာ)"
)
_CURRENCY_AFTER = re.compile(rf"[ \t]?{_CURRENCY}", re.I)
_CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z]){_CURRENCY}\.?[ \t]?$", re.I)


def _scan(
    pattern: re.Pattern[str],
    text: str,
    accept: Callable[[re.Match[str]], bool] = lambda m: True,
    group: int | str = 0,
) -> Iterator[tuple[int, int]]:
    """Yield accepted matches; after a rejected one, search again from its next character."""
    pos = 0
    while match := pattern.search(text, pos):
        if accept(match):
            yield match.start(group), match.end(group)
            pos = max(match.end(), match.start() + 1)
        else:
            pos = match.start() + 1


def _phones(text: str) -> Iterator[tuple[int, int]]:
    dates = [m.span() for m in _DATE_OR_TIME.finditer(text)]

    def not_a_date(m: re.Match[str]) -> bool:
        return all(m.end() <= start or end <= m.start() for start, end in dates)

    yield from _scan(_PHONE_INTERNATIONAL, text)
    for pattern in (_PHONE_LOCAL, _PHONE_MYANMAR, _PHONE_LANDLINE, _PHONE_NEPAL):
        yield from _scan(pattern, text, not_a_date)


def _emails(text: str) -> Iterator[tuple[int, int]]:
    yield from _scan(_EMAIL, text)


def _links(text: str) -> Iterator[tuple[int, int]]:
    def is_link(m: re.Match[str]) -> bool:
        host = m["host"].lower()
        return bool(
            m["path"]
            or m["tld"].lower() in {"com", "net", "org"}
            or host in _SHORT_HOSTS
            or _SECOND_LEVEL.search(host)
        )

    yield from _scan(_LINK_URL, text)
    yield from _scan(_LINK_BARE, text, is_link)


def _handles(text: str) -> Iterator[tuple[int, int]]:
    yield from _scan(_HANDLE_AT, text)
    yield from _scan(_CHAT_ID, text, group="id")


def _thai_id_is_valid(digits: str) -> bool:
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    return check == int(digits[12])


def _ids(text: str) -> Iterator[tuple[int, int]]:
    yield from _scan(_PASSPORT, text)
    yield from _scan(_PASSPORT_AFTER_WORD, text, group="id")
    yield from _scan(_THAI_ID, text, lambda m: _thai_id_is_valid(re.sub(r"\D", "", m[0])))
    yield from _scan(_MYANMAR_NRC, text)


def _is_money(text: str, start: int, end: int) -> bool:
    return bool(
        _CURRENCY_AFTER.match(text, end) or _CURRENCY_BEFORE.search(text, max(0, start - 12), start)
    )


def _numbers(text: str) -> Iterator[tuple[int, int]]:
    # One digit repeated ("555555555") is Thai laughter, not an account number.
    def is_account(m: re.Match[str]) -> bool:
        return len(set(m[0])) > 1 and not _is_money(text, m.start(), m.end())

    yield from _scan(_LONG_NUMBER, text, is_account)


# On overlap the span that starts first wins; at the same start, the earlier kind here.
_DETECTORS: list[tuple[str, Callable[[str], Iterator[tuple[int, int]]]]] = [
    ("email", _emails),
    ("link", _links),
    ("id", _ids),
    ("phone", _phones),
    ("handle", _handles),
    ("number", _numbers),
]


def _merge(spans: list[Span]) -> list[Span]:
    """Sort spans and merge overlapping ones, keeping the kind of the first."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def find_personal_data(text: str) -> list[Span]:
    """Non-overlapping spans, sorted by start; overlapping matches merged (keep the first kind)."""
    ascii_text = to_ascii_digits(text)
    spans = [
        Span(start, end, kind) for kind, detect in _DETECTORS for start, end in detect(ascii_text)
    ]
    return _merge(spans)


def redact(text: str, spans: list[Span], marker: str = "[•••]") -> str:
    """Replace each span by the marker."""
    parts: list[str] = []
    pos = 0
    for span in _merge(spans):
        parts.append(text[pos : span.start])
        parts.append(marker)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
