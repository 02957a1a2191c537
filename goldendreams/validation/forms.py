"""The sign-off, verification, sharing and rule forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    MultipleFileField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from goldendreams.core.forms import Form, checkboxes, options
from goldendreams.validation import choices, services

TOO_LONG = _l("This is too long.")


class SignOffForm(Form):
    statement = TextAreaField(
        _l("What was fixed?"),
        validators=[
            InputRequired(message=_l("Please write something.")),
            Length(max=services.STATEMENT_MAX, message=TOO_LONG),
        ],
    )
    signer_title = StringField(
        _l("Your job title"),
        validators=[
            InputRequired(message=_l("Please write something.")),
            Length(max=services.TITLE_MAX, message=TOO_LONG),
        ],
    )
    files = MultipleFileField(_l("Evidence: receipts, payroll extracts, lists (PDF, JPEG, PNG)"))
    submit = SubmitField(_l("Sign off"))


class VerifyForm(Form):
    methods = checkboxes(_l("How did you check it?"))
    note = TextAreaField(
        _l("What did you find? (internal)"),
        validators=[
            InputRequired(message=_l("Please write something.")),
            Length(max=services.NOTE_MAX, message=TOO_LONG),
        ],
    )
    verified_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Choose a date."))])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.methods.choices = options(choices.VERIFICATION_METHODS)
        self.methods.validators = [InputRequired(_l("Choose how you checked it."))]


class ShareForm(Form):
    shared = BooleanField(_l("Share the sign-off and its files with the brands"))
    submit = SubmitField(_l("Save"))


class RuleForm(Form):
    min_yes_percent = IntegerField(
        _l("Share of the reachable workers who said yes (percent)"),
        validators=[
            InputRequired(message=_l("Please write something.")),
            NumberRange(1, 100, _l("Enter a share from 1 to 100 percent.")),
        ],
    )
    min_answers = IntegerField(
        _l("Answers at least"),
        validators=[
            InputRequired(message=_l("Please write something.")),
            NumberRange(
                1, services.MAX_ANSWERS, _l("Enter how many answers at least (1 or more).")
            ),
        ],
    )
    submit = SubmitField(_l("Save"))
