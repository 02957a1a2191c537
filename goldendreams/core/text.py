"""Text as workers type it: Unicode NFC, Burmese Zawgyi converted, language from the script."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import icu
from myanmartools import ZawgyiDetector

#: Above this probability a Burmese text is taken to be Zawgyi and converted.
ZAWGYI_THRESHOLD = 0.95

#: (first, last) code point of each script, and the language written in it on this site.
SCRIPT_LANGUAGES = (
    (0x1000, 0x109F, "my"),
    (0x1780, 0x17FF, "km"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x0900, 0x097F, "ne"),
)


@dataclass(frozen=True)
class NormalisedText:
    text: str
    zawgyi_converted: bool


@cache
def _zawgyi_detector() -> ZawgyiDetector:
    return ZawgyiDetector()


@cache
def _zawgyi_to_unicode() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Zawgyi-my")


def _has_myanmar(text: str) -> bool:
    return any("\u1000" <= ch <= "\u109f" for ch in text)


def normalise(text: str) -> NormalisedText:
    """Convert Zawgyi Burmese to Unicode (when the detector is sure), NFC-normalise, drop
    control characters other than line breaks and tabs, join digits split by invisible
    characters, and trim the ends."""
    converted = False
    if _has_myanmar(text) and _zawgyi_detector().get_zawgyi_probability(text) >= ZAWGYI_THRESHOLD:
        text = _zawgyi_to_unicode().transliterate(text)
        converted = True
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _join_digits("".join(_clean_char(ch) for ch in text))
    return NormalisedText(text.strip(), converted)


#: Invisible characters that hide nothing but can split a phone number or fake a length.
#: (Zero-width joiners are kept: Devanagari and Khmer spelling needs them.)
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")


def _clean_char(ch: str) -> str:
    """Control and invisible characters go; every kind of space becomes a plain one."""
    if ch in "\n\t":
        return ch
    if ch in _INVISIBLE or unicodedata.category(ch) == "Cc":
        return ""
    return " " if unicodedata.category(ch) == "Zs" else ch


def _join_digits(text: str) -> str:
    """Drop the invisible characters between two digits (of any script), which can hide a phone
    number from the redactor; elsewhere they stay: Devanagari, Khmer and emoji need them."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and is_invisible(text[j]):
            j += 1
        if j == i:
            out.append(text[i])
            i += 1
            continue
        if not (out and out[-1][-1].isdecimal() and j < len(text) and text[j].isdecimal()):
            out.append(text[i:j])
        i = j
    return "".join(out)


def is_invisible(ch: str) -> bool:
    """A format character (Cf: joiners, U+2063, direction marks) or a combining mark (Mn, Me:
    CGJ, variation selectors): it shows nothing on its own."""
    return unicodedata.category(ch) in ("Cf", "Mn", "Me")


def detect_language(text: str, default: str = "en") -> str:
    """The site language whose script most letters are in; Latin letters count as English."""
    counts: Counter[str] = Counter()
    for ch in text:
        code = ord(ch)
        for first, last, language in SCRIPT_LANGUAGES:
            if first <= code <= last:
                counts[language] += 1
                break
        else:
            if ch.isascii() and ch.isalpha():
                counts["en"] += 1
    return counts.most_common(1)[0][0] if counts else default
