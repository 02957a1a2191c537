"""The base form: WTForms' own messages go through our catalogs, in the reader's language."""

from __future__ import annotations

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

# WTForms' built-in messages that our forms can show. Listed here so that extraction puts
# them in our catalogs (WTForms ships no Burmese, Khmer, Thai, Lao or Nepali).
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid date value."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Not a valid decimal value."),
    _l("Not a valid integer value."),
)


def options(pairs) -> list[SelectChoice]:
    """Choices for a select or radio field, from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class _CatalogTranslations:
    """What WTForms expects of translations, answered from the project's catalogs."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """Base for every form of the site."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


class FilterForm(Form):
    """A GET form for filters: no CSRF token (it changes nothing), no prefix in the URL."""

    class Meta:
        csrf = False
