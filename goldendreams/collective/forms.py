"""Forms of collective cases: start or edit one, group a case, beneficiary lines, the
schedule, payments. The services check every rule again (forms only catch typing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from goldendreams.cases.services import CURRENCIES
from goldendreams.collective import choices
from goldendreams.core.forms import Finite, Form, options

TOO_LONG = _l("This is too long.")
AMOUNT_MESSAGE = _l("Enter an amount above 0 and below 1,000,000,000.")


def _amount(label, required: bool = True, zero: bool = False) -> DecimalField:
    first = InputRequired(_l("Enter the amount as a number.")) if required else Optional()
    low = 0 if zero else 0.01
    return DecimalField(
        label, places=2,
        validators=[first, Finite(), NumberRange(low, 10**9 - 0.01, message=AMOUNT_MESSAGE)],
    )  # fmt: skip


def _currency() -> SelectField:
    return SelectField(_l("Currency"), choices=options((c, c) for c in CURRENCIES), default="THB")


class CollectiveForm(Form):
    grouping = SelectField(_l("What groups these workers"), choices=options(choices.GROUPINGS))
    description = TextAreaField(
        _l("Which group (internal: only your organisation sees it)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    workers = IntegerField(
        _l("How many workers it covers"),
        validators=[
            InputRequired(_l("Enter how many workers: from 1 to 100,000.")),
            NumberRange(1, 100_000, message=_l("Enter how many workers: from 1 to 100,000.")),
        ],
    )
    submit = SubmitField(_l("Save"))


class JoinForm(Form):
    """Add a case to one of the CSO's open collective cases (choices set by the view)."""

    collective_id = SelectField(
        _l("Collective case"),
        validators=[InputRequired(message=_l("Choose a collective case from the list."))],
    )
    submit = SubmitField(_l("Add the case to it"))


class AddCaseForm(Form):
    """Group one of the CSO's cases under this collective case (choices set by the view)."""

    case_id = SelectField(
        _l("Case"), coerce=int, validators=[InputRequired(message=_l("Choose from the list."))]
    )
    submit = SubmitField(_l("Add the case"))


class BeneficiaryForm(Form):
    label = StringField(
        _l("Who (a name or a label only your organisation knows)"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=200, message=TOO_LONG),
        ],
    )
    amount_owed = _amount(_l("Amount owed"))
    amount_paid = _amount(_l("Amount paid so far"), required=False, zero=True)
    currency = _currency()
    paid_on = DateField(_l("Day paid"), validators=[Optional()])
    paid_how = SelectField(
        _l("How it was paid"),
        choices=options([("", "—"), *((k.value, v) for k, v in choices.PAYMENT_METHODS.items())]),
        default="",
    )
    submit = SubmitField(_l("Save"))


class InstalmentForm(Form):
    due_on = DateField(
        _l("Day it is due"), validators=[InputRequired(_l("Enter a date like 2026-01-31."))]
    )
    amount = _amount(_l("Amount"))
    currency = _currency()
    submit = SubmitField(_l("Add the instalment"))


class PaymentForm(Form):
    """What was paid and when: reported by the organisation, confirmed by the CSO."""

    amount = _amount(_l("Amount paid"))
    paid_on = DateField(
        _l("Day paid"), validators=[InputRequired(_l("Enter a date like 2026-01-31."))]
    )
    submit = SubmitField(_l("Save"))
