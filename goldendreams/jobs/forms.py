"""Job postings (with fee lines and texts in several languages), filters, applications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from goldendreams.agencies.models import SECTORS
from goldendreams.config import LOCALES
from goldendreams.core.forms import FilterForm, Finite, Form, SubForm, checkboxes, options
from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name
from goldendreams.jobs import choices, services, vetting

TOO_LONG = _l("This is too long.")
#: Blank fee lines offered under the filled ones (no JavaScript to add rows).
BLANK_FEE_LINES = 3


def _optional_number(field, label, low, high, **kwargs):
    return field(
        label,
        validators=[
            Optional(),
            Finite(),
            NumberRange(low, high, message=_l("A number is out of range. Check the numbers.")),
        ],
        **kwargs,
    )


def province_choices(by_country: dict[str, list[str]], country: str | None, first) -> list:
    """The provinces of ``country`` when it is one of ours; else all, grouped by country."""
    if country in by_country:
        return options([first, *((p, p) for p in by_country[country])])
    return [SelectChoice(*first)] + [
        SelectChoice(province, province, optgroup=country_name(code))
        for code in choices.DESTINATION_CURRENCIES
        for province in by_country.get(code, [])
    ]


class FeeLineForm(SubForm):
    kind = SelectField(_l("Cost"), validators=[Optional()])
    amount = DecimalField(
        _l("Amount"),
        validators=[
            Optional(),
            Finite(),
            NumberRange(0, 99_999_999, message=_l("Enter the amount as a number.")),
        ],
    )
    currency = SelectField(_l("Currency"), validators=[Optional()])
    paid_by = SelectField(_l("Who pays"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([("", "—"), *choices.FEE_KINDS.items()])
        self.currency.choices = options([(c, c) for c in choices.FEE_CURRENCIES])
        # No default: a payer picked for the agency would be a guess about who pays.
        self.paid_by.choices = options([("", "—"), *choices.PAID_BY.items()])

    def is_blank(self) -> bool:
        return not self.kind.data and self.amount.data is None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.is_blank() and not self.paid_by.data:
            self.paid_by.errors = [*self.paid_by.errors, _l("Choose who pays this cost.")]
            return False
        return valid


class TextForm(SubForm):
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=10_000, message=TOO_LONG)]
    )


class JobForm(Form):
    employer_id = SelectField(_l("Employer"), coerce=int, default=0, validators=[Optional()])
    origin_agency_id = SelectField(
        _l("Origin agency (in the workers' country)"),
        coerce=int,
        default=0,
        validators=[Optional()],
    )
    sector = SelectField(_l("Sector"), default="")
    destination_country = SelectField(_l("Country"), default="")
    province = SelectField(_l("Province or state"), default="")
    positions = _optional_number(IntegerField, _l("Number of workers needed"), 1, 10_000)
    salary_amount = _optional_number(DecimalField, _l("Pay"), 0.01, 2_000_000)
    salary_currency = SelectField(_l("Currency"))
    salary_period = SelectField(_l("Paid"))
    hours_per_day = _optional_number(DecimalField, _l("Working hours a day"), 1, 16)
    rest_days_per_week = _optional_number(IntegerField, _l("Days off a week"), 0, 7)
    overtime_rate = _optional_number(DecimalField, _l("Overtime pay (times the normal rate)"), 1, 5)
    accommodation = SelectField(_l("Housing"), default="")
    food = SelectField(_l("Food"), default="")
    contract_months = _optional_number(IntegerField, _l("Contract length (months)"), 1, 120)
    gender = SelectField(_l("Who can apply"))
    age_min = _optional_number(IntegerField, _l("Lowest age"), 15, 70)
    age_max = _optional_number(IntegerField, _l("Highest age"), 15, 70)
    languages = checkboxes(_l("Languages the worker should speak"))
    skills = TextAreaField(
        _l("Skills or experience needed"), validators=[Length(max=2000, message=TOO_LONG)]
    )
    recruiting_from = checkboxes(_l("Recruiting from"))
    deadline = DateField(_l("Last day to apply"), validators=[Optional()])
    texts = FormField(
        type("JobTexts", (SubForm,), {locale: FormField(TextForm) for locale in LOCALES})
    )
    fees = FieldList(FormField(FeeLineForm), min_entries=BLANK_FEE_LINES)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, employers=(), origin_agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.employer_id.choices = options([(0, "—"), *((e.id, e.name) for e in employers)])
        self.origin_agency_id.choices = options(
            [(0, "—"), *((a.id, f"{a.name} ({country_name(a.country)})") for a in origin_agencies)]
        )
        self.sector.choices = options([("", "—"), *SECTORS.items()])
        self.destination_country.choices = options(
            [("", "—"), *((c, country_name(c)) for c in choices.DESTINATION_CURRENCIES)]
        )
        self.salary_currency.choices = options([(c, c) for c in services.SALARY_CURRENCIES])
        self.salary_period.choices = options(choices.SALARY_PERIODS)
        self.accommodation.choices = options([("", "—"), *choices.PROVIDED.items()])
        self.food.choices = options([("", "—"), *choices.PROVIDED.items()])
        self.gender.choices = options(choices.GENDERS)
        self.languages.choices = options((c, language_name(c)) for c in choices.JOB_LANGUAGES)
        self.recruiting_from.choices = options(
            (c, country_name(c)) for c in choices.ORIGIN_COUNTRIES
        )
        while len(self.fees) < self._filled_fees() + BLANK_FEE_LINES:
            self.fees.append_entry()

    def process(self, *args, **kwargs) -> None:
        super().process(*args, **kwargs)
        # Without JavaScript: once a country is chosen (a form sent back, a job edited), only
        # its provinces; before that, every province grouped by country.
        self.province.choices = province_choices(
            {country: vetting.provinces(country) for country in choices.DESTINATION_CURRENCIES},
            self.destination_country.data,
            ("", "—"),
        )

    def _filled_fees(self) -> int:
        return sum(not entry.form.is_blank() for entry in self.fees)

    def load(self, job) -> None:
        """Fill the form from a job (on GET)."""
        self.fees.entries = []
        self.fees.last_index = -1
        for line in job.fees:
            entry = self.fees.append_entry()
            entry.form.kind.data, entry.form.amount.data = line.kind, line.amount
            entry.form.currency.data, entry.form.paid_by.data = line.currency, line.paid_by
        for _ in range(BLANK_FEE_LINES):
            self.fees.append_entry()
        for text in job.texts:
            # (.form: a FormField has a "description" of its own)
            self.texts[text.locale].form.title.data = text.title
            self.texts[text.locale].form.description.data = text.description
        if not job.employer_id:
            self.employer_id.data = 0
        if not job.origin_agency_id:
            self.origin_agency_id.data = 0

    def job_fields(self) -> dict:
        fields = {name: self[name].data for name in services.JOB_FIELDS}
        fields["employer_id"] = fields["employer_id"] or None
        fields["origin_agency_id"] = fields["origin_agency_id"] or None
        return {key: (None if value == "" else value) for key, value in fields.items()}

    def job_texts(self) -> dict[str, tuple[str, str]]:
        return {
            locale: (
                self.texts[locale].form.title.data,
                self.texts[locale].form.description.data,
            )
            for locale in LOCALES
        }

    def fee_lines(self) -> list[dict]:
        return [
            {
                "kind": entry.form.kind.data or None,
                "amount": entry.form.amount.data,
                "currency": entry.form.currency.data,
                "paid_by": entry.form.paid_by.data or None,
            }
            for entry in self.fees
            if not entry.form.is_blank()
        ]


class JobFilterForm(FilterForm):
    country = SelectField(_l("Country"), default="")
    province = SelectField(_l("Province or state"), default="")
    sector = SelectField(_l("Sector"), default="")
    employer_pays = BooleanField(_l("Only jobs where the employer pays all fees"))
    min_salary = DecimalField(
        _l("Lowest monthly pay (in the money of the country)"),
        validators=[
            Optional(),
            Finite(),
            NumberRange(0, 10_000_000, message=_l("Enter the amount as a number.")),
        ],
    )
    recruiting_from = SelectField(_l("Recruiting from"), default="")
    language = SelectField(_l("Language"), default="")
    sort = SelectField(_l("Sort"), default="newest")

    def fill_choices(self, provinces: dict[str, list[str]]) -> None:
        everything = ("", _l("All"))
        self.country.choices = options(
            [everything, *((c, country_name(c)) for c in choices.DESTINATION_CURRENCIES)]
        )
        self.province.choices = province_choices(provinces, self.country.data, everything)
        self.sector.choices = options([everything, *SECTORS.items()])
        self.recruiting_from.choices = options(
            [everything, *((c, country_name(c)) for c in choices.ORIGIN_COUNTRIES)]
        )
        self.language.choices = options(
            [everything, *((c, language_name(c)) for c in choices.JOB_LANGUAGES)]
        )
        self.sort.choices = options(
            [("newest", _l("Newest first")), ("salary", _l("Highest pay first"))]
        )


class ApplyForm(Form):
    name = StringField(
        _l("Your name"),
        validators=[InputRequired(_l("Write your name.")), Length(max=120, message=TOO_LONG)],
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            InputRequired(_l("Write a phone number we can call.")),
            Length(max=40, message=TOO_LONG),
        ],
    )
    origin_country = SelectField(_l("Your country"))
    origin_region = StringField(
        _l("Your region or town (optional)"),
        validators=[Optional(), Length(max=100, message=TOO_LONG)],
    )
    language = SelectField(_l("Language you prefer"))
    consent = BooleanField(
        _l("I agree that the agency sees my details to contact me about this job."),
        validators=[InputRequired(_l("Please agree, so that the agency may see your details."))],
    )
    submit = SubmitField(_l("Apply"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.origin_country.choices = options(
            (c, country_name(c)) for c in choices.ORIGIN_COUNTRIES
        )
        self.language.choices = options(LANGUAGE_NAMES)


class MoveForm(Form):
    status = SelectField(_l("Step"), choices=options(choices.APPLICATION_STATUSES))
    message = TextAreaField(
        _l("Message to the applicant (optional)"),
        validators=[Optional(), Length(max=1000, message=_l("Write at most 1000 letters."))],
    )
    submit = SubmitField(_l("Save"))


class JobOrderForm(Form):
    """The employer confirms a job posted in its name, or refuses it with a reason."""

    decision = RadioField(
        _l("Your answer"),
        choices=options(
            [("confirm", _l("We confirm this job")), ("refuse", _l("We refuse this job"))]
        ),
        validators=[InputRequired(message=_l("Choose an answer from the list."))],
    )
    positions = IntegerField(
        _l("Number of workers you will hire"),
        validators=[
            Optional(),
            NumberRange(1, 10_000, message=_l("A number is out of range. Check the numbers.")),
        ],
    )
    terms_right = BooleanField(_l("The pay, working hours and contract length are right."))
    fees_right = BooleanField(_l("The costs the employer pays are right."))
    note = TextAreaField(
        _l("Why do you refuse? (needed to refuse)"),
        validators=[Length(max=1000, message=_l("Write at most 1000 letters."))],
    )
    submit = SubmitField(_l("Send"))
