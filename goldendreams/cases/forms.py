"""Opening cases, moving them on, remediation, and the worker's answer."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from goldendreams.agencies.models import COUNTRIES
from goldendreams.cases import choices, services, taxonomy
from goldendreams.core.forms import Finite, Form, options
from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name

TOO_LONG = _l("This is too long.")


def _category_field():
    return SelectMultipleField(
        _l("Issues"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[InputRequired(_l("Choose at least one issue."))],
    )


def _workers_field():
    return IntegerField(
        _l("Workers affected"),
        default=1,
        validators=[
            InputRequired(_l("Enter how many workers are affected.")),
            NumberRange(1, 100_000, message=_l("Enter how many workers are affected.")),
        ],
    )


class _CaseBasics(Form):
    categories = _category_field()
    severity = SelectField(_l("Severity"), default="medium")
    workers = _workers_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.categories.choices = options(
            (c.code, f"{c.code} · {c.name(locale)}") for c in taxonomy.current()
        )
        self.severity.choices = options(choices.SEVERITIES)


class OpenCaseForm(_CaseBasics):
    submit = SubmitField(_l("Open a case"))


class NewCaseForm(_CaseBasics):
    organisation_id = SelectField(_l("Employer or agency"), coerce=int)
    source = SelectField(
        _l("Where it came from"),
        choices=options({k: v for k, v in choices.SOURCES.items() if k != "review"}),
    )
    summary = TextAreaField(
        _l("What happened (internal)"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    contact = TextAreaField(
        _l("How to reach the worker (internal, never shared)"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG)],
    )
    worker_country = SelectField(_l("The worker comes from"), default="")
    worker_language = SelectField(_l("The worker's language"), default="")
    submit = SubmitField(_l("Open a case"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unknown = [("", _l("Not known"))]
        self.worker_country.choices = options(
            unknown + [(code, country_name(code)) for code in COUNTRIES]
        )
        self.worker_language.choices = options(
            unknown + [(code, language_name(code)) for code in LANGUAGE_NAMES]
        )


class MoveForm(Form):
    to_status = SelectField(_l("Next step"))
    submit = SubmitField(_l("Save"))


class AssignForm(Form):
    assignee_id = SelectField(_l("Caseworker"), coerce=int)
    submit = SubmitField(_l("Assign"))


class NoteForm(Form):
    text = TextAreaField(
        _l("Note"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    shared = BooleanField(_l("Share with the organisation"))
    submit = SubmitField(_l("Add note"))


class ProposalForm(Form):
    text = TextAreaField(
        _l("How will you fix it?"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    submit = SubmitField(_l("Send"))


class RemediationForm(Form):
    kind = SelectField(_l("What was done"), choices=options(choices.REMEDIATION_KINDS))
    amount = DecimalField(
        _l("Amount paid back (if any)"),
        validators=[
            Optional(), Finite(),
            NumberRange(0.01, 10**9, message=_l("Enter the amount as a number.")),
        ],
    )  # fmt: skip
    currency = SelectField(_l("Currency"), default="")
    workers = IntegerField(
        _l("Workers covered"),
        validators=[
            Optional(),
            NumberRange(1, 100_000, message=_l("Enter how many workers are covered.")),
        ],
    )
    text = TextAreaField(
        _l("Details (the organisation sees them)"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Record"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = options([("", "—"), *((c, c) for c in services.CURRENCIES)])


class AnswerForm(Form):
    code = StringField(
        validators=[InputRequired(_l("Enter your code.")), Length(max=40, message=TOO_LONG)]
    )
    answer = RadioField(
        _l("Was it fixed?"),
        choices=options(choices.WORKER_ANSWERS),
        validators=[InputRequired(_l("Choose an answer from the list."))],
    )
    comment = TextAreaField(
        _l("Anything to add? (optional; only our team reads it)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Send my answer"))
