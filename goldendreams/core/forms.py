"""The base form: WTForms' own messages go through our catalogs, in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import wtforms
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

# WTForms' own messages, said our way (plainly, and through our catalogs: WTForms ships no
# Burmese, Khmer, Thai, Lao or Nepali).
WTFORMS_MESSAGES = {
    "This field is required.": _l("Please fill this in."),
    "Not a valid choice.": _l("Choose an answer from the list."),
    "Invalid Choice: could not coerce.": _l("Choose an answer from the list."),
    "Not a valid date value.": _l("Enter a date like 2026-01-31."),
    "Not a valid decimal value.": _l("Enter the amount as a number."),
    "Not a valid integer value.": _l("Enter a whole number."),
    "Invalid email address.": _l("Enter an email address like name@example.org."),
    "Invalid URL.": _l("Enter a web address like https://example.org."),
}


class Finite:
    """A validator to put first on a DecimalField: "NaN" and "Infinity" parse as decimals,
    but are no amounts (and crash NumberRange). Text that is no number stops here too, with
    only the "enter a number" message."""

    def __call__(self, form, field) -> None:
        if field.process_errors:  # not a number at all: that message is enough
            raise StopValidation()
        if isinstance(field.data, Decimal) and not field.data.is_finite():
            raise StopValidation(str(WTFORMS_MESSAGES["Not a valid decimal value."]))


def options(pairs) -> list[SelectChoice]:
    """Choices for a select or radio field, from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def checkboxes(label) -> SelectMultipleField:
    """A multiple choice shown as a list of checkboxes (easier to tap than a select)."""
    return SelectMultipleField(
        label, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False)
    )


class _CatalogTranslations:
    """What WTForms expects of translations, answered from the project's catalogs."""

    def gettext(self, string: str) -> str:
        if string in WTFORMS_MESSAGES:
            return str(WTFORMS_MESSAGES[string])
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """Base for every form of the site."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


class SubForm(wtforms.Form):
    """A group of fields inside a Form (FormField, FieldList): no token of its own."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


class ReportForm(Form):
    """A reader's report on something published: a reason from a list and a short note."""

    reason = RadioField(validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(
        _l("Tell us more (optional)"),
        validators=[Optional(), Length(max=500, message=_l("Write at most 500 letters."))],
    )
    submit = SubmitField(_l("Send report"))

    def __init__(self, *args, question, reasons: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.label.text = question
        self.reason.choices = options(reasons)


class FilterForm(Form):
    """A GET form for filters: no CSRF token (it changes nothing), no prefix in the URL."""

    class Meta:
        csrf = False


class DismissTaskForm(Form):
    """An admin takes a failed task off the list (/staff/tasks)."""

    task_id = wtforms.HiddenField(validators=[InputRequired(_l("Choose a task."))])
    submit = SubmitField(_l("Dismiss"))
