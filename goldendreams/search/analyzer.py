"""One analyzer for every language: the same tokens at index and at query time.

Normalise (Zawgyi → Unicode, NFC then NFKC, invisible characters), local digits → ASCII,
case fold,
then ICU word segmentation: Thai, Lao, Khmer and Burmese have no spaces between words, and
ICU's dictionaries find the words. Punctuation and spaces are dropped. English words are
stemmed (Porter), Nepali words lose their case endings ("कामदारहरूलाई" → "कामदार").
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import icu
from whoosh.lang.porter import stem as english_stem

from goldendreams.core.pii import to_ascii_digits
from goldendreams.core.text import normalise

#: Nepali postpositions and plural endings written onto the word, longest first.
NEPALI_SUFFIXES = tuple(
    sorted(
        {
            "हरूलाई",
            "हरूले",
            "हरूको",
            "हरूका",
            "हरूकी",
            "हरूमा",
            "हरूबाट",
            "हरूसँग",
            "हरू",
            "लाई",
            "ले",
            "को",
            "का",
            "की",
            "मा",
            "बाट",
            "सँग",
            "देखि",
            "सम्म",
            "भन्दा",
            "तिर",
            "हरु",
            "हरुको",
            "हरुलाई",
            "हरुले",
            "हरुमा",
        },
        key=len,
        reverse=True,
    )
)
#: A word keeps at least this many characters after its ending is taken off.
NEPALI_MIN_STEM = 2

#: Longer "words" are dropped (a run of letters pasted without spaces).
MAX_TOKEN = 100

_local = threading.local()


@dataclass(frozen=True)
class Word:
    """A word of the original text: where it is, and the token it stands for."""

    start: int
    end: int
    token: str


def _breaker() -> icu.BreakIterator:
    # BreakIterators are not thread-safe; one per thread is cheap.
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        breaker = _local.breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return breaker


def _is_word(piece: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in piece)


def _is_devanagari(token: str) -> bool:
    return "\u0900" <= token[0] <= "\u097f"


def stem(token: str) -> str:
    """The token's stem: English by Porter, Nepali without its case ending, others as is."""
    if token.isascii() and token.isalpha():
        return english_stem(token)
    if _is_devanagari(token):
        for suffix in NEPALI_SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= NEPALI_MIN_STEM:
                return token[: -len(suffix)]
    return token


def _token(piece: str) -> str:
    # Numbers lose their thousands separators.
    token = piece.casefold()
    if token[0].isdigit():
        token = token.replace(",", "")
    return stem(token)


def display_form(text: str) -> str:
    """The text normalised (Zawgyi → Unicode, NFC), then NFKC: full-width letters become
    plain ones and Thai/Lao "am" is spelled one way (ำ = ํ + า) whichever way it was typed."""
    return unicodedata.normalize("NFKC", normalise(text or "").text)


def prepare(text: str) -> str:
    """The text as it is segmented: ``display_form`` with ASCII digits (same length)."""
    return to_ascii_digits(display_form(text))


def _python_offsets(text: str) -> list[int] | None:
    """ICU counts UTF-16 units: a character outside the BMP (an emoji) counts two. The
    Python index of each UTF-16 offset, or None when the two agree."""
    if all(ord(ch) < 0x10000 for ch in text):
        return None
    offsets = []
    for index, ch in enumerate(text):
        offsets.extend([index] * (2 if ord(ch) >= 0x10000 else 1))
    offsets.append(len(text))
    return offsets


def words(text: str) -> Iterator[Word]:
    """The words of an already prepared text, with their places and tokens. Runs longer
    than ``MAX_TOKEN`` characters are no words anyone types (and PostgreSQL refuses them)."""
    breaker = _breaker()
    breaker.setText(text)
    offsets = _python_offsets(text)
    start = breaker.first()
    for end in breaker:
        begin, finish = (start, end) if offsets is None else (offsets[start], offsets[end])
        piece = text[begin:finish]
        if _is_word(piece) and len(piece) <= MAX_TOKEN:
            yield Word(begin, finish, _token(piece))
        start = end


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``, in order (duplicates kept: they count)."""
    return [word.token for word in words(prepare(text))]
