"""Snippets: cut around the first match, starting at a word, with the matches marked."""

from goldendreams.search.analyzer import tokens
from goldendreams.search.results import SNIPPET, highlight


def marked(html: str) -> list[str]:
    return [part.split("</mark>")[0] for part in str(html).split("<mark>")[1:]]


def test_a_snippet_leads_into_a_late_match_from_a_word_start():
    filler = " ".join(f"word{n}" for n in range(400))
    text = f"{filler} the agency kept my passport for two years {filler}"
    snippet = str(highlight(text, set(tokens("passport")), SNIPPET))
    assert snippet.startswith("… word")  # context before the match, from a whole word
    assert "<mark>passport</mark>" in snippet
    before = snippet.split("<mark>")[0]
    assert len(before) > SNIPPET // 5  # not starting at the match itself
    assert snippet.endswith(" …")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET + 10


def test_an_early_match_starts_the_snippet_at_the_beginning():
    text = "Passport kept by the agency. " + "More words here. " * 50
    snippet = str(highlight(text, set(tokens("passport")), SNIPPET))
    assert snippet.startswith("<mark>Passport</mark>")


def test_a_word_cut_by_the_window_is_not_marked():
    text = "x " * 88 + "passports " + "y " * 200
    snippet = str(highlight(text, set(tokens("passport")), SNIPPET))
    for word in marked(snippet):
        assert word in text.split()  # only whole words are marked


def test_thai_text_without_spaces_is_cut_at_the_match():
    text = "นายจ้างเก็บหนังสือเดินทางของฉันไว้" * 30 + "ค่าธรรมเนียม" + "สวัสดี" * 80
    snippet = str(highlight(text, set(tokens("ค่าธรรมเนียม")), SNIPPET))
    assert snippet.startswith("… <mark>")  # no space to start from: at the match
    assert "".join(marked(snippet)) == "ค่าธรรมเนียม"  # ICU: two words, both marked


def test_short_text_is_shown_whole_with_every_match_marked():
    snippet = str(highlight("Fees, fees and more fees", set(tokens("fees")), SNIPPET))
    assert marked(snippet) == ["Fees", "fees", "fees"]
    assert "…" not in snippet
