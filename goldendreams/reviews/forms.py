"""The review form (its star questions depend on the organisation's kind), replies, reports."""

from __future__ import annotations

from functools import cache

from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from goldendreams.core.forms import Finite, Form, options
from goldendreams.core.i18n import country_name
from goldendreams.reviews import choices, services

STARS = [(value, str(value)) for value in range(1, 6)]  # (value, label) pairs


def _optional_int(value):
    return int(value) if value not in ("", None) else None


def _optional_answer(label, answers) -> RadioField:
    return RadioField(label, choices=options(answers), validators=[Optional()])


class ReviewForm(Form):
    rating = RadioField(
        _l("Overall, how was it?"),
        choices=options(STARS),
        coerce=int,
        validators=[InputRequired(_l("Choose from 1 to 5 stars."))],
    )
    relationship_kind = RadioField(
        _l("How do you know this place?"),
        choices=options(choices.RELATIONSHIPS),
        validators=[InputRequired(_l("Choose how you know this place."))],
    )
    year = SelectField(
        _l("Which year?"), coerce=int, validators=[InputRequired(_l("Choose a year."))]
    )
    fees_paid = _optional_answer(_l("Did you pay fees to get this job?"), choices.ANSWERS)
    fee_amount = DecimalField(
        _l("How much did you pay?"),
        validators=[
            Optional(),
            Finite(),
            NumberRange(min=0, max=99_999_999, message=_l("Enter the amount as a number.")),
        ],
    )
    fee_currency = SelectField(_l("Currency"), validators=[Optional()])
    fee_paid_to = _optional_answer(_l("Who did you pay?"), choices.FEE_PAID_TO)
    documents_holder = _optional_answer(
        _l("Who keeps your passport or work permit?"), choices.DOCUMENT_HOLDERS
    )
    job_as_promised = _optional_answer(choices.YES_NO_QUESTIONS["job_as_promised"], choices.ANSWERS)
    contract_in_language = _optional_answer(
        choices.YES_NO_QUESTIONS["contract_in_language"], choices.ANSWERS
    )
    wages_on_time = _optional_answer(choices.YES_NO_QUESTIONS["wages_on_time"], choices.ANSWERS)
    forced_overtime = _optional_answer(choices.YES_NO_QUESTIONS["forced_overtime"], choices.ANSWERS)
    free_to_leave = _optional_answer(choices.YES_NO_QUESTIONS["free_to_leave"], choices.ANSWERS)
    # Optional; never shown with the review, only counted (by route and by stage).
    origin_country = SelectField(_l("Where are you from?"), default="", validators=[Optional()])
    migration_stage = SelectField(
        _l("When did the problem happen?"),
        choices=options([("", _l("I prefer not to say")), *choices.MIGRATION_STAGES.items()]),
        default="",
        validators=[Optional()],
    )
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(_l("Write a short title.")),
            Length(max=services.TITLE_MAX, message=_l("This is too long.")),
        ],
    )
    body = TextAreaField(
        _l("Your review"),
        validators=[
            InputRequired(_l("Write your review.")),
            Length(
                min=services.BODY_MIN,
                max=services.BODY_MAX,
                message=_l("Write between 20 and 5000 letters."),
            ),
        ],
    )
    submit = SubmitField(_l("Send my review"))

    #: Names of the kind's star questions (``sub_<criterion>``), set by review_form_for().
    criteria: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = options((year, str(year)) for year in services.years_to_choose())
        locale = get_locale()
        self.fee_currency.choices = options(
            [("", "—")]
            + [
                (code, f"{code} · {get_currency_name(code, locale=locale)}")
                for code in choices.CURRENCIES
            ]
        )
        self.origin_country.choices = options(
            [("", _l("I prefer not to say"))]
            + [(code, country_name(code)) for code in choices.ORIGIN_COUNTRIES]
        )

    def sub_rating_fields(self):
        return [self[f"sub_{criterion}"] for criterion in self.criteria]

    def to_input(self) -> services.ReviewInput:
        """The answers as the service takes them (unanswered questions are None)."""
        answers = {
            name: self[name].data or None
            for name in (
                "fees_paid", "fee_currency", "fee_paid_to", "documents_holder",
                "origin_country", "migration_stage", *choices.YES_NO_QUESTIONS,
            )
        }  # fmt: skip
        return services.ReviewInput(
            rating=self.rating.data,
            title=self.title.data,
            body=self.body.data,
            relationship_kind=self.relationship_kind.data,
            year=self.year.data,
            fee_amount=self.fee_amount.data,
            sub_ratings={
                criterion: self[f"sub_{criterion}"].data
                for criterion in self.criteria
                if self[f"sub_{criterion}"].data is not None
            },
            **answers,
        )


@cache
def review_form_for(kind: str) -> type[ReviewForm]:
    """A ReviewForm with the star questions for an agency or an employer."""
    criteria = choices.CRITERIA_BY_KIND[kind]
    fields = {
        f"sub_{criterion}": RadioField(
            label,
            choices=options([("", _l("Skip")), *STARS]),
            coerce=_optional_int,
            default="",
            validators=[Optional()],
        )
        for criterion, label in criteria.items()
    }
    return type(f"{kind.title()}ReviewForm", (ReviewForm,), {**fields, "criteria": criteria})


class CodeForm(Form):
    code = StringField(
        _l("Your code"),
        validators=[
            InputRequired(_l("Enter your code.")),
            Length(max=40, message=_l("This is too long.")),
        ],
    )
    submit = SubmitField(_l("Check"))


class WithdrawForm(Form):
    code = StringField(
        validators=[
            InputRequired(_l("Enter your code.")),
            Length(max=40, message=_l("This is too long.")),
        ]
    )
    #: Withdrawing cannot be undone: nothing happens until the worker ticks this.
    confirm = BooleanField(_l("Yes, erase my review for ever"))
    submit = SubmitField(_l("Withdraw my review"))


class ReplyForm(Form):
    body = TextAreaField(
        _l("Your reply"),
        validators=[
            InputRequired(_l("Write your reply.")),
            Length(max=2000, message=_l("Write a reply of at most 2000 letters.")),
        ],
    )
    submit = SubmitField(_l("Send reply"))
