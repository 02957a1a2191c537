"""Every catalog is complete, matches the code, and no template hides English from extraction."""

from __future__ import annotations

import ast
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from goldendreams.config import LOCALES, PROJECT_ROOT

TRANSLATED = [locale for locale in LOCALES if locale != "en"]
ONE_PLURAL_FORM = {"my", "km", "th", "lo"}  # CLDR: these languages do not mark plurals
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
PACKAGE = PROJECT_ROOT / "goldendreams"


def load_catalog(locale: str):
    path = PROJECT_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def extracted_ids() -> set[str]:
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=keywords
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_complete(locale):
    catalog = load_catalog(locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_matches_the_code(locale):
    """Run `pybabel extract` + `pybabel update` (see README) when this fails."""
    in_catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for m in load_catalog(locale)}
    in_catalog.discard("")
    in_code = extracted_ids()
    assert in_code - in_catalog == set(), "strings missing from the catalog"
    assert in_catalog - in_code == set(), "strings no longer in the code"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_plural_forms_follow_cldr(locale):
    catalog = load_catalog(locale)
    assert catalog.num_plurals == (1 if locale in ONE_PLURAL_FORM else 2)


JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
TEXT_ATTRIBUTE = re.compile(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"')


def visible_english(template: str) -> list[str]:
    """Letters left once Jinja code and tags are removed: text that extraction misses."""
    without_jinja = JINJA.sub(" ", template)
    found = [
        value for value in TEXT_ATTRIBUTE.findall(without_jinja) if re.search("[A-Za-z]", value)
    ]
    text = TAG.sub(" ", without_jinja)
    found += [word for word in text.split() if re.search("[A-Za-z]", word)]
    return found


TEMPLATES = sorted(PACKAGE.rglob("templates/**/*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_templates_hold_no_untranslated_text(path):
    assert visible_english(path.read_text()) == []


def test_the_template_check_catches_bare_text():
    assert visible_english("<p>Hello {{ _('World') }}</p>") == ["Hello"]
    assert visible_english('<a title="Open me">{{ x }}</a>') == ["Open me"]
    assert visible_english("<p>{{ _('Fine') }} · {{ n }}</p>") == []


# The arguments of each call that a reader sees (``append`` covers form.errors lists).
USER_FACING_ARGUMENTS = {
    "flash": slice(0, 1),
    "render_error": slice(1, None),
    "abort": slice(1, None),
    "append": slice(0, 1),
}


def literal_user_strings(source: str) -> list[str]:
    """Literal strings passed straight to flash() or render_error(): not translated."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in USER_FACING_ARGUMENTS:
                for arg in node.args[USER_FACING_ARGUMENTS[name]]:
                    if isinstance(arg, ast.Constant | ast.JoinedStr) and isinstance(
                        getattr(arg, "value", ""), str
                    ):
                        found.append(ast.unparse(arg))
    return found


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_views_flash_only_translated_strings(path):
    assert literal_user_strings(path.read_text()) == []


def test_the_view_check_catches_bare_strings():
    assert literal_user_strings('flash("Saved.")') == ["'Saved.'"]
    assert literal_user_strings('render_error(400, f"Bad {x}")') == ["f'Bad {x}'"]
    assert literal_user_strings('flash(_("Saved."), "success")') == []


def form_classes():
    from goldendreams.core.forms import Form
    from goldendreams.reviews.forms import review_form_for

    review_form_for("agency"), review_form_for("employer")
    found, todo = set(), [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.add(sub)
            todo.append(sub)
    return sorted(found, key=lambda c: c.__qualname__)


def test_every_validator_message_is_ours():
    """WTForms' default messages are English and often plural-formatted: give our own."""
    from wtforms import validators as v

    needs_message = (v.Length, v.NumberRange, v.DataRequired, v.InputRequired, v.Email, v.URL)
    missing = []
    for form_class in form_classes():
        for name in dir(form_class):
            unbound = getattr(form_class, name)
            for validator in getattr(unbound, "kwargs", {}).get("validators", []) or []:
                if isinstance(validator, needs_message) and validator.message is None:
                    if isinstance(validator, v.Email | v.URL):
                        continue  # their default message is in WTFORMS_MESSAGES
                    missing.append(f"{form_class.__qualname__}.{name}: {type(validator).__name__}")
    assert missing == []
