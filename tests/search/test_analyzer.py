"""The analyzer: the same tokens for every script, at index and at query time."""

from __future__ import annotations

import pytest

from goldendreams.search.analyzer import stem, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Whoosh's StandardAnalyzer makes ['าจ', 'างไม', 'ได', 'าย'] of this sentence.
        ("ค่าจ้างไม่ได้จ่าย", ["ค่า", "จ้าง", "ไม่", "ได้", "จ่าย"]),
        ("ນາຍຈ້າງບໍ່ຈ່າຍຄ່າແຮງ", ["ນາຍ", "ຈ້າງ", "ບໍ່", "ຈ່າຍ", "ຄ່າແຮງ"]),
        ("និយោជកមិនបានបង់ប្រាក់ខែ", ["និយោជក", "មិនបាន", "បង់ប្រាក់", "ខែ"]),
        ("အလုပ်ရှင်ကလုပ်ခမပေးဘူး", ["အလုပ်ရှင်", "က", "လုပ်ခ", "မ", "ပေး", "ဘူး"]),
        ("कामदारहरूलाई तलब दिइएन।", ["कामदार", "तलब", "दिइएन"]),
        ("Workers were NOT paid, fees: 20,000!", ["worker", "were", "not", "paid", "fee", "20000"]),
    ],
)
def test_words_are_found_in_every_script(text, expected):
    assert tokens(text) == expected


def test_zawgyi_is_read_as_unicode():
    assert tokens("ေက်ာင္း") == tokens("ကျောင်း") == ["ကျောင်း"]


def test_local_digits_and_full_width_letters_fold():
    assert tokens("๑๖๖၉ ១២ १२") == ["1669", "12", "12"]
    full_width = "".join(chr(ord(letter) + 0xFEE0) for letter in "PASSPORT")
    assert tokens(full_width) == tokens("passport")


def test_thai_and_lao_am_match_however_typed():
    assert tokens("ตำรวจ") == tokens("ต\u0e4d\u0e32รวจ")
    assert tokens("ຕຳຫຼວດ") == tokens("ຕ\u0ecd\u0eb2ຫຼວດ")


def test_marks_are_kept_and_punctuation_dropped():
    assert tokens("«ค่าจ้าง» — (ไม่) …") == ["ค่า", "จ้าง", "ไม่"]
    assert tokens("   ...!!!  ") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("wages", "wage"),
        ("renewing", "renew"),
        ("कामदारहरूलाई", "कामदार"),
        ("साहुलाई", "साहु"),
        ("पन्जाहरू", "पन्जा"),
        ("को", "को"),  # too short to lose an ending
        ("ค่าจ้าง", "ค่าจ้าง"),
    ],
)
def test_stems(word, expected):
    assert stem(word) == expected


def test_hostile_input_gives_tokens_not_errors():
    text = "<script>alert(1)</script>' OR 1=1 -- \x00\u202e" + "ก" * 10_000
    found = tokens(text)
    assert "script" in found and all(token.strip() for token in found)


def test_characters_outside_the_bmp_do_not_shift_the_words():
    # ICU counts an emoji as two UTF-16 units; Python as one character.
    bold_a = "\U0001d400"  # MATHEMATICAL BOLD CAPITAL A: NFKC makes it "A"
    assert tokens(f"\U0001f600 passport kept {bold_a} ค่าจ้าง") == [
        "passport", "kept", "a", "ค่า", "จ้าง",
    ]  # fmt: skip


def test_a_run_too_long_to_be_a_word_is_dropped():
    assert tokens("fees " + "x" * 2100 + " passport") == ["fee", "passport"]
