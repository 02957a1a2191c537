"""Opening cases, moving them on, remediation, and the worker's answer."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
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

from goldendreams.agencies.models import CASE_KINDS, COUNTRIES, CSO_KINDS, Organisation
from goldendreams.cases import choices, services, taxonomy
from goldendreams.core.forms import Finite, Form, options
from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name
from goldendreams.extensions import db
from goldendreams.reviews.choices import MIGRATION_STAGES_STAFF

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
    migration_stage = SelectField(
        _l("When the problem happened"),
        choices=options([("", _l("Not known")), *MIGRATION_STAGES_STAFF.items()]),
        default="",
    )
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


def _cso_choices():
    csos = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_(CSO_KINDS))
        .order_by(Organisation.sort_name)
    )
    return options((cso.id, cso.name) for cso in csos)


class RoutingRuleForm(Form):
    """A routing rule (/staff/routing): empty conditions match every case."""

    worker_country = SelectField(_l("The worker comes from"), default="")
    worker_language = SelectField(_l("The worker's language"), default="")
    organisation_country = SelectField(_l("The workplace or agency is in"), default="")
    cso_id = SelectField(_l("Send the case to"), coerce=int)
    submit = SubmitField(_l("Add the rule"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _l("Any"))]
        countries = [(code, country_name(code)) for code in COUNTRIES]
        self.worker_country.choices = options(every + countries)
        self.organisation_country.choices = options(every + countries)
        self.worker_language.choices = options(
            every + [(code, language_name(code)) for code in LANGUAGE_NAMES]
        )
        self.cso_id.choices = _cso_choices()


class RoutingChangeForm(Form):
    cso_id = SelectField(_l("Send the case to"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cso_id.choices = _cso_choices()


class GroupCaseForm(Form):
    """A mobilizer's group complaint: the workplace, the issues, how many, what happened."""

    organisation_id = SelectField(_l("Workplace: employer or agency"), coerce=int)
    categories = _category_field()
    workers = IntegerField(
        _l("How many workers asked you?"),
        validators=[
            InputRequired(_l("Enter how many workers asked you.")),
            NumberRange(2, 100_000, message=_l("A group complaint is for 2 workers or more.")),
        ],
    )
    summary = TextAreaField(
        _l("What happened? (only the caseworkers read it)"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    submit = SubmitField(_l("Send the complaint"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.categories.choices = options(
            (c.code, f"{c.code} · {c.name(locale)}") for c in taxonomy.current()
        )
        workplaces = db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_(CASE_KINDS))
            .order_by(Organisation.sort_name)
        )
        self.organisation_id.choices = options((o.id, o.name) for o in workplaces)


class GovernmentActionForm(Form):
    """What a government office did about a case referred to it."""

    action = SelectField(
        _l("What your office did"), choices=options(choices.GOVERNMENT_ACTION_LABELS)
    )
    workers = IntegerField(
        _l("Workers covered (if you know)"),
        validators=[
            Optional(),
            NumberRange(1, 100_000, message=_l("Enter how many workers are covered.")),
        ],
    )
    text = TextAreaField(
        _l("Details (the organisation and the CSO see them)"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Record"))


class ReferForm(Form):
    """Send a case to another CSO or a government office, once the worker agrees."""

    to_id = SelectField(_l("Send the case to"), coerce=int)
    note = TextAreaField(
        _l("Note for them (all they read before they answer)"),
        validators=[
            InputRequired(_l("Write a note for them.")),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    consent_method = RadioField(
        _l("The worker must agree first"),
        choices=options(choices.CONSENT_LABELS),
        validators=[InputRequired(_l("Say how the worker agreed."))],
    )
    consent_note = StringField(
        _l("How and when the worker agreed (not needed when we ask on the site)"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Send the case"))

    def __init__(self, *args, receivers=(), may_ask_worker=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_id.choices = options(
            (org.id, f"{org.name} · {org.kind_label} · {country_name(org.country)}")
            for org in receivers
        )
        if not may_ask_worker:  # no code: the caseworker asks the worker themself
            self.consent_method.choices = options(
                (k, v) for k, v in choices.CONSENT_LABELS.items() if k != "worker_code"
            )


class DeclineReferralForm(Form):
    reason = TextAreaField(
        _l("Why can you not take it?"),
        validators=[
            InputRequired(_l("Say why you cannot take it.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    submit = SubmitField(_l("Decline"))


class ReferralConsentForm(Form):
    """The worker, with their code, agrees (or not) that their case goes to another CSO."""

    code = StringField(
        validators=[InputRequired(_l("Enter your code.")), Length(max=40, message=TOO_LONG)]
    )
    yes = SubmitField(_l("Yes, I agree"))
    no = SubmitField(_l("No"))


class WorkerCodeForm(Form):
    """Give the worker of a case a code to follow it (a new one replaces the old)."""

    submit = SubmitField(_l("Give the worker a code"))


class WorkerAnswerForm(Form):
    """A caseworker records the worker's answer to "Was it fixed?" given outside the site."""

    answer = RadioField(
        _l("Was it fixed? The worker says:"),
        choices=options(choices.WORKER_ANSWERS),
        validators=[InputRequired(_l("Choose an answer from the list."))],
    )
    method = RadioField(
        _l("How did the worker tell you?"),
        choices=options(choices.ANSWER_METHODS),
        validators=[InputRequired(_l("Say how the worker answered."))],
    )
    answer_note = TextAreaField(
        _l("What the worker said (internal)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save the worker's answer"))
