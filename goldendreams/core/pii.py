"""Find and hide personal data in review text, so that a review cannot identify its writer.

Reviews are written in English, Burmese, Khmer, Thai, Lao or Nepali, often with local digits.
Every pattern runs on a scan copy of the text (``_scan_copy``): ASCII digits, ASCII look-alikes
for full-width letters, at signs and every dash, and no invisible characters between digits. Each of
its characters remembers its index in the original, so spans map back to the original text.
Thai, Lao, Khmer and Burmese letters count as ``\\w``, so the patterns use explicit look-arounds
such as ``(?<!\\d)`` instead of ``\\b``. Phone numbers are found by Google's libphonenumber
(``phonenumbers``) and by hand-written rules for what it does not take (commas, underscores).

Money, wages, years, dates, times, counts and room numbers are deliberately left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from goldendreams.core.text import is_invisible


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the ORIGINAL text (str indices)
    end: int
    kind: str  # "phone", "email", "link", "handle", "id", "number"; "check": numbers_to_check


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


# Every dash (category Pd, and U+2212 minus) reads as "-"; full-width forms (U+FF01-U+FF5E: at,
# full stop, letters) as their ASCII twins.
_LOOKALIKES = {
    **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    "\u2212": "-",
    "\ufe6b": "@",
    "\ufe52": ".",
    "\u3002": ".",
}


def _scan_copy(text: str) -> tuple[str, list[int]]:
    """The text as the patterns read it, and for each of its characters (and its end) the index
    in ``text``. Invisible characters between two digits are left out."""
    source = to_ascii_digits(text)
    chars: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(source):
        j = i
        while j < len(source) and is_invisible(source[j]):
            j += 1
        if j > i and chars and chars[-1].isdigit() and j < len(source) and source[j].isdigit():
            i = j  # a digit, invisible characters, a digit: the run goes
            continue
        for k in range(i, max(j, i + 1)):
            ch = source[k]
            dash = unicodedata.category(ch) == "Pd"
            chars.append("-" if dash else _LOOKALIKES.get(ch, ch))
            where.append(k)
        i = max(j, i + 1)
    where.append(len(source))
    return "".join(chars), where


# --- Phones -------------------------------------------------------------------------------------
# Between digit groups: spaces, dashes, dots, slashes, underscores, commas or brackets, a few of
# each ("081 - 234 - 5678", "081--234--5678", "081_234_5678", "081,234,5678").
_SEP = r"[ \t]{0,2}[.\-()/_,]{0,2}[ \t]{0,2}"
# Not inside a number already begun: "45,000 / 50,000" has no phone starting at its zeros.
_START = r"(?<![\d+])(?<!\d[,./_\-])"
# +66 / 0066 / (+95) then 7-12 digits: Thailand, Myanmar, Cambodia, Laos, Nepal, Malaysia.
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\d+])\(?(?:\+|00)[ \t]?(?:855|856|977|66|95|60)\)?"
    rf"(?:{_SEP}\(0\))?(?:{_SEP}\d){{7,12}}(?!\d)"
)
# Any country: "+" then 8-15 digits (the longest numbering plan, E.164, has 15).
_PHONE_ANY_COUNTRY = re.compile(rf"(?<![\d+])\(?\+[ \t]?\(?\d(?:{_SEP}\d){{7,14}}(?!\d)")
# Local numbers with the trunk 0: 9-11 digits in all six countries (081-234-5678, 09 450 123 456).
_PHONE_LOCAL = re.compile(rf"{_START}0(?:{_SEP}\d){{8,10}}(?!\d)")
# Myanmar mobiles may carry up to 10 digits after 09 (09-4501234567).
_PHONE_MYANMAR = re.compile(rf"{_START}09(?:{_SEP}\d){{7,10}}(?!\d)")
# Old landlines with a one-digit area code are shorter: Yangon 01-234567.
_PHONE_LANDLINE = re.compile(rf"{_START}0\d[ .\-]\d{{6,7}}(?!\d)")
# Nepali mobiles are written without the trunk 0: 98XXXXXXXX and 97XXXXXXXX.
_PHONE_NEPAL = re.compile(rf"{_START}9[78](?:{_SEP}\d){{8}}(?!\d)")
# Dates (15.03.2024 09:00, 2024-05-12) and times look like digit groups; a local phone never
# overlaps one.
_DATE_OR_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}([./\-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./\-])\d{1,2}\2\d{1,2}"
    r"|\d{1,2}:\d{2})(?!\d)"
)
# libphonenumber reads national numbers as written in these countries (and "+" numbers of all).
_REGIONS = ("TH", "MY", "MM", "KH", "LA", "NP")
_HAS_PHONE_DIGITS = re.compile(r"\d(?:\D{0,6}\d){6}")
_DIGIT_GROUPS = re.compile(r"[+(]*\d(?:[ \t.\-()/_,]{0,3}\d)*\)?")
_VALID = phonenumbers.Leniency.VALID

# --- Email and links ----------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# Spelled out: "aung @ gmail . com", "aung(at)gmail(dot)com", "aung [at] gmail [dot] com", and
# with bare words "aung at gmail dot com"; then the last part must be a real ending, so that
# "at the office. Com..." is no address.
_TLDS = (
    "com|net|org|info|biz|edu|gov|co|me|io|asia|th|mm|kh|la|np|my|sg|jp|kr|tw|hk|cn|in|ae|qa|sa"
    "|kw|om|bh|uk|us|au"
)
_OPEN, _CLOSE = r"[ \t]*[\[({<][ \t]*", r"[ \t]*[\])}>][ \t]*"
_DOT = rf"(?:[ \t]*\.[ \t]*|{_OPEN}(?:dot|\.){_CLOSE}|[ \t]+dot[ \t]+)"
_EMAIL_SPELLED = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<name>[A-Za-z0-9._%+\-]*[A-Za-z0-9_%+\-])"
    rf"(?P<at>[ \t]*@[ \t]*|{_OPEN}(?:at|@){_CLOSE}|[ \t]+at[ \t]+)"
    rf"(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:{_DOT}[A-Za-z0-9\-]+)*)"
    rf"{_DOT}(?:{_TLDS})(?![A-Za-z0-9\-])",
    re.I,
)
_SPACED_DOT = re.compile(r"[ \t]\.|\.[ \t]")
_MAIL_HOSTS = re.compile(
    r"(?:gmail|yahoo|hotmail|outlook|live|icloud|proton(?:mail)?|mail)\b", re.I
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
# The chat name after a chat app's name, in the six languages.
_CHAT_WORDS = (
    "line|viber|we ?chat|telegram|tg|whats ?app|fb|facebook|messenger|ig|instagram|tiktok|imo"
    "|signal|zalo|kakao(?:talk)?"
    "|ไลน์|เฟสบุ๊ก|เฟซบุ๊ก|เฟสบุค|เฟซบุค|เฟส|วีแชท|เทเลแกรม|ไวเบอร์|วอทส์แอป|วอทส์แอพ|เมสเซนเจอร์"
    "|လိုင်း|ဗိုက်ဘာ|ဗိုင်ဘာ|ဖေ့ဘွတ်|ဖေ့စ်ဘွတ်|ဖေ့ဘုတ်|ဖေ့စ်ဘုတ်|တယ်လီဂရမ်|ဝီချက်|မက်ဆင်ဂျာ"
    "|ឡាញ|តេឡេក្រាម|ហ្វេសប៊ុក|វីឆាត|វ៉ាយប័រ|វ៉ាត់សាប"
    "|ໄລນ໌|ເຟສບຸກ|ວອດແອັບ|ເທເລແກຣມ|ໄວເບີ"
    "|फेसबुक|भाइबर|ह्वाट्सएप|वाट्सएप|ह्वाट्सप|मेसेन्जर|टेलिग्राम|इमो"
)
_CHAT_ID_WORDS = "id|ไอดี|အိုင်ဒီ|អាយឌី|ໄອດີ|आईडी"
_CHAT_NAME_WORDS = "name|account|ชื่อ|บัญชี|နာမည်|အကောင့်|ឈ្មោះ|គណនី|ຊື່|ບັນຊີ|नाम|एकाउन्ट"
_CHAT_NAME = r"[A-Za-z0-9_][A-Za-z0-9._\-]*[A-Za-z0-9_]"
# A display name is the whole name: "my facebook is Aung Aung Myint" (two to four capitals).
_NAME_WORD = r"[A-Z][A-Za-z0-9._\-]*[A-Za-z0-9_]"
_FULL_NAME = rf"{_NAME_WORD}(?:[ \t]{_NAME_WORD}){{1,3}}"
_CHAT_ID = re.compile(
    r"(?P<own>(?<![A-Za-z])(?:my|his|her|their|your|our)[ \t]+)?"
    rf"(?<![A-Za-z])(?P<app>{_CHAT_WORDS})(?:(?<=[A-Za-z])(?![A-Za-z0-9])|(?<![A-Za-z]))"
    rf"(?:[ \t]*(?P<word>{_CHAT_ID_WORDS}|{_CHAT_NAME_WORDS})(?![A-Za-z]))?"
    r"(?:[ \t]*(?P<colon>[:=])|[ \t]*(?P<is>(?<![A-Za-z])is(?![A-Za-z])|คือ))?"
    rf"[ \t]*(?P<id>(?-i:{_FULL_NAME})|@?{_CHAT_NAME})(?![A-Za-z0-9_])",
    re.I,
)
_HANDLE_LIKE = re.compile(r"(?=.*[A-Za-z])(?=.*[0-9_.])")

# --- ID numbers ---------------------------------------------------------------------------------
# Passports: 1-2 capital letters and 6-8 digits (MA123456, MA 123456, N-01234567); RM, RS, KS
# and K start a price.
_PASSPORT = re.compile(
    r"(?<![A-Za-z0-9])(?!RM|RS|KS|K[ \-]?\d)[A-Z]{1,2}[ \-]?\d{6,8}(?![A-Za-z0-9])"
)
_PASSPORT_WORDS = "passport|หนังสือเดินทาง|ပတ်စ်ပို့|ပတ်စပို့|លិខិតឆ្លងដែន|ໜັງສືຜ່ານແດນ|पासपोर्ट|राहदानी"
_NUMBER_WORDS = "no|number|num|nr|เลขที่|เลข|หมายเลข|နံပါတ်|លេខ|ເລກທີ|ເລກ|नम्बर|नं"
# Any 6-9 character token with a digit right after a passport word ("passport no: 12AB3456").
_PASSPORT_AFTER_WORD = re.compile(
    rf"(?:{_PASSPORT_WORDS})[\s:#.]*(?:(?:{_NUMBER_WORDS})(?![A-Za-z0-9])[\s:#.]*)?"
    r"(?P<id>[A-Za-z]{1,3}[ \-]\d[A-Za-z0-9]{4,8}|(?=[A-Za-z]*\d)[A-Za-z0-9]{6,9})"
    r"(?![A-Za-z0-9])",
    re.I,
)
# Employee and worker numbers are short ("worker no. 3321"): only after such words.
_WORKER_WORDS = (
    "employee|worker|staff|emp|พนักงาน|ลูกจ้าง|คนงาน|ဝန်ထမ်း|အလုပ်သမား|បុគ្គលិក|កម្មករ"
    "|ພະນັກງານ|ກຳມະກອນ|ຄົນງານ|कर्मचारी|कामदार|श्रमिक"
)
_WORKER_NUMBER_WORDS = (
    "id|no|number|num|nr|code|card|#|รหัส|เลขที่|เลข|หมายเลข|ไอดี|နံပါတ်|အမှတ်|ကတ်|အိုင်ဒီ"
    "|លេខ|អាយឌី|ລະຫັດ|ເລກທີ|ເລກ|ໄອດີ|नम्बर|नं|आईडी|कोड"
)
# The same words in the other order, outside English: "รหัสพนักงาน", "លេខបុគ្គលិក".
_LOCAL_NUMBER_WORDS = "รหัส|เลข|หมายเลข|နံပါတ်|លេខ|ລະຫັດ|ເລກ|नम्बर"
_WORKER_ID = re.compile(
    rf"(?<![A-Za-z])(?:(?:{_WORKER_WORDS})[ \t]*(?:{_WORKER_NUMBER_WORDS})"
    rf"|(?:{_LOCAL_NUMBER_WORDS})[ \t]*(?:{_WORKER_WORDS})|អត្តលេខ)(?![A-Za-z])"
    r"[ \t:#.]*(?:(?<![A-Za-z])is[ \t]+|คือ[ \t]*)?"
    r"(?P<id>(?:[A-Za-z]{1,4}[\-/]?)?\d(?:[\-/]?\d){1,14})(?!\d|[.,]\d)",
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

# --- Bank accounts and long digit runs ------------------------------------------------------
# Bank accounts and card numbers; a run next to a currency is an amount of money instead.
_LONG_NUMBER = re.compile(r"(?<!\d)\d{9,}(?!\d)")
# Digit groups joined by dashes, like Thai accounts 123-4-56789-0 (9 to 16 digits).
_DASHED_NUMBER = re.compile(r"(?<![\d\-:/.,])\d{1,6}(?:-\d{1,6}){2,3}(?![\d\-:/]|[.,]\d)")
_BANK_WORDS = (
    "bank|account|acc|acct|a/c|ธนาคาร|บัญชี|ဘဏ်စာရင်း|ဘဏ်|အကောင့်|ធនាគារ|គណនី|ທະນາຄານ|ບັນຊີ"
    "|बैंक|बैङ्क|खाता|एकाउन्ट"
)
# 6 or more digits, in groups or not, after a word for bank or account ("acc no. 1234567").
_BANK_ACCOUNT = re.compile(
    rf"(?<![A-Za-z])(?:{_BANK_WORDS})(?![A-Za-z])"
    rf"(?:[ \t]*(?:{_BANK_WORDS}|{_NUMBER_WORDS})(?![A-Za-z]))*"
    r"[ \t:#.]*(?:(?<![A-Za-z])is[ \t]+)?"
    r"(?P<id>\d(?:[ \-]?\d){5,24})(?!\d|[.,]\d)",
    re.I,
)
_CURRENCY = (
    r"(?:baht|บาท|thb|฿|ringgit|rm|myr|kyats?|ကျပ်|ks|k|mmk|riels?|រៀល|khr|kip|ກີບ|lak"
    r"|rupees?|rs|रुपैयाँ|रु|रू|npr|usd|us\$|\$|dollars?|ដុល្លារ|ดอลลาร์|ဒေါ်လာ)"
)
_CURRENCY_AFTER = re.compile(rf"[ \t]?{_CURRENCY}(?![A-Za-z])", re.I)
_CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z]){_CURRENCY}\.?[ \t]?$", re.I)
# What a moderator should look at although no rule matched it.
_DIGIT_RUN = re.compile(r"\d{7,}")


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


@lru_cache(maxsize=1024)
def _valid_numbers(digits: str) -> tuple[tuple[int, int], ...]:
    """Where libphonenumber sees a VALID number (a real number of one of the regions, or of
    its "+" country), which few dates or prices are; "01-05-2024 09" is one in Malaysia."""
    return tuple(
        (found.start, found.end)
        for region in _REGIONS
        for found in phonenumbers.PhoneNumberMatcher(digits, region, _VALID)
    )


def _phones(text: str) -> Iterator[tuple[int, int]]:
    if not _HAS_PHONE_DIGITS.search(text):
        return
    dates = [m.span() for m in _DATE_OR_TIME.finditer(text)]

    def local(start: int, end: int) -> bool:
        no_date = all(end <= date_start or date_end <= start for date_start, date_end in dates)
        return no_date and not _is_money(text, start, end)

    # libphonenumber reads only the runs of digits long enough to be a phone: reading a whole
    # 5000-letter review six times took 0.6 s, these runs take under 0.1 s.
    for run in _DIGIT_GROUPS.finditer(text):
        if sum(ch.isdigit() for ch in run[0]) >= 7:
            for found_start, found_end in _valid_numbers(run[0]):
                start, end = run.start() + found_start, run.start() + found_end
                if text[start] == "+" or local(start, end):
                    yield start, end
    yield from _scan(_PHONE_INTERNATIONAL, text)
    yield from _scan(_PHONE_ANY_COUNTRY, text, lambda m: not _is_money(text, *m.span()))
    for pattern in (_PHONE_LOCAL, _PHONE_MYANMAR, _PHONE_LANDLINE, _PHONE_NEPAL):
        yield from _scan(pattern, text, lambda m: local(*m.span()))


def _emails(text: str) -> Iterator[tuple[int, int]]:
    def unambiguous(m: re.Match[str]) -> bool:
        # "at" as a bare word goes with "dot" words or unspaced dots, never with " . ".
        # And its name must look like an address name, or the host like a mail service:
        # "aung99 at gmail dot com", not "Video at tiktok.com/@x" (a link).
        if m["at"].strip().lower() != "at":
            return True
        return not _SPACED_DOT.search(m["domain"]) and bool(
            _HANDLE_LIKE.match(m["name"]) or _MAIL_HOSTS.match(m["domain"])
        )

    yield from _scan(_EMAIL, text)
    yield from _scan(_EMAIL_SPELLED, text, unambiguous)


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
    def chat_name(m: re.Match[str]) -> bool:
        word = (m["word"] or "").lower()
        if m["colon"] or (word and not m["is"] and word in _CHAT_ID_WORDS.split("|")):
            return True  # "LINE: x", "LINE ID x"
        handle_like = bool(_HANDLE_LIKE.match(m["id"]))
        if m["is"]:  # "my LINE is somchai" but not "the line is slow"
            return handle_like or bool(m["own"])
        if not m["app"].isascii() and not word:  # "ไลน์ somchai.job"
            return handle_like or len(m["id"]) >= 4
        return handle_like  # "FB aung.broker99", not "line 3" nor "FB account was"

    yield from _scan(_HANDLE_AT, text)
    yield from _scan(_CHAT_ID, text, chat_name, group="id")


def _thai_id_is_valid(digits: str) -> bool:
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    return check == int(digits[12])


def _ids(text: str) -> Iterator[tuple[int, int]]:
    yield from _scan(_PASSPORT, text, lambda m: not _is_money(text, *m.span()))
    yield from _scan(_PASSPORT_AFTER_WORD, text, group="id")
    yield from _scan(_THAI_ID, text, lambda m: _thai_id_is_valid(re.sub(r"\D", "", m[0])))
    yield from _scan(_MYANMAR_NRC, text)
    yield from _scan(_WORKER_ID, text, lambda m: not _is_money(text, *m.span("id")), "id")


def _is_money(text: str, start: int, end: int) -> bool:
    return bool(
        _CURRENCY_AFTER.match(text, end) or _CURRENCY_BEFORE.search(text, max(0, start - 12), start)
    )


def _numbers(text: str) -> Iterator[tuple[int, int]]:
    # One digit repeated ("555555555") is Thai laughter, not an account number.
    def is_account(m: re.Match[str]) -> bool:
        return len(set(m[0])) > 1 and not _is_money(text, m.start(), m.end())

    def is_dashed_account(m: re.Match[str]) -> bool:
        digits = sum(ch.isdigit() for ch in m[0])
        return 9 <= digits <= 16 and not _is_money(text, m.start(), m.end())

    yield from _scan(_LONG_NUMBER, text, is_account)
    yield from _scan(_DASHED_NUMBER, text, is_dashed_account)
    yield from _scan(_BANK_ACCOUNT, text, lambda m: not _is_money(text, *m.span("id")), "id")


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
    scan, where = _scan_copy(text)
    spans = [
        Span(where[start], where[end - 1] + 1, kind)
        for kind, detect in _DETECTORS
        for start, end in detect(scan)
        if end > start
    ]
    return _merge(spans)


def numbers_to_check(text: str, spans: list[Span]) -> list[Span]:
    """Runs of seven or more digits (any script, invisible characters between them ignored)
    outside ``spans``: no rule called them personal data, but a moderator should look."""
    scan, where = _scan_copy(text)
    found = (
        Span(where[m.start()], where[m.end() - 1] + 1, "check") for m in _DIGIT_RUN.finditer(scan)
    )
    return [
        run
        for run in found
        if all(run.end <= span.start or span.end <= run.start for span in spans)
    ]


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
