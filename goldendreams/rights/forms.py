"""Forms: the article filter, the repayment calculator, and the editors' forms."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from goldendreams.core.forms import FilterForm, Finite, Form, checkboxes, options
from goldendreams.core.i18n import country_name, language_name
from goldendreams.jobs.choices import FEE_CURRENCIES
from goldendreams.rights import choices
from goldendreams.rights.services import HOTLINE_LANGUAGES, MAX_BODY

TOO_LONG = _l("This is too long.")
#: Amounts larger than this are typing mistakes (no fee or wage comes near it).
MAX_AMOUNT = Decimal("1e12")


def _country_choices(codes, everything=None):
    pairs = [(code, country_name(code)) for code in codes]
    return options([everything, *pairs] if everything else pairs)


class ArticleFilterForm(FilterForm):
    country = SelectField(_l("I work in"), choices=[], default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices(choices.DESTINATIONS, ("", _l("All")))


def _amount(label, required=True, low=Decimal(0)):
    first = InputRequired(_l("Please fill this in.")) if required else Optional()
    return DecimalField(
        label,
        places=None,
        validators=[
            first,
            Finite(),
            NumberRange(
                low, MAX_AMOUNT, message=_l("A number is out of range. Check the numbers.")
            ),
        ],
    )


class CalculatorForm(FilterForm):
    """A GET form: it changes nothing, and a job page can link to it filled in."""

    fee = _amount(_l("Fees you pay or will pay"), low=Decimal("0.01"))
    fee_currency = SelectField(_l("Money of the fees"), choices=[])
    wage = _amount(_l("Your pay each month"), low=Decimal("0.01"))
    wage_currency = SelectField(_l("Money of your pay"), choices=[])
    living = _amount(_l("What you spend each month to live (food, rent, family)"), required=False)
    interest = DecimalField(
        _l("Interest each month, if you borrowed (%)"),
        places=None,
        validators=[
            Optional(),
            Finite(),
            NumberRange(0, 100, message=_l("Enter a number from 0 to 100.")),
        ],
    )
    rate = DecimalField(
        _l("Exchange rate (only if the fees and the pay are in different money)"),
        places=None,
        validators=[
            Optional(),
            Finite(),
            NumberRange(
                Decimal("0.000001"),
                MAX_AMOUNT,
                message=_l("A number is out of range. Check the numbers."),
            ),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = options((code, code) for code in FEE_CURRENCIES)
        self.fee_currency.choices = currencies
        self.wage_currency.choices = currencies

    def validate(self, extra_validators=None, *, default_rate: bool = False) -> bool:
        """Different money needs a rate: the one typed, else the site's (``default_rate``)."""
        valid = super().validate(extra_validators)
        different = self.fee_currency.data != self.wage_currency.data
        if valid and different and self.rate.data is None and not default_rate:
            self.rate.errors = [_l("The fees and the pay are in different money. Enter the rate.")]
            return False
        return valid


class ExchangeRateForm(Form):
    """A default rate for the calculator: 1 of ``base`` buys ``rate`` of ``quote``."""

    base = SelectField(_l("1 of this money"), choices=[])
    quote = SelectField(_l("buys this money"), choices=[])
    rate = DecimalField(
        _l("How much"),
        places=None,
        validators=[
            InputRequired(_l("Please fill this in.")),
            Finite(),
            NumberRange(
                Decimal("0.000001"),
                Decimal(10_000_000),
                message=_l("A number is out of range. Check the numbers."),
            ),
        ],
    )
    set_on = DateField(
        _l("Day the rate was set"), validators=[InputRequired(_l("Please fill this in."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = options((code, code) for code in FEE_CURRENCIES)
        self.base.choices = currencies
        self.quote.choices = currencies


class ArticleForm(Form):
    slug = StringField(
        _l("Address (small English letters, numbers and dashes)"),
        validators=[DataRequired(_l("Please fill this in.")), Length(max=80, message=TOO_LONG)],
    )
    topic = SelectField(_l("Topic"), choices=[])
    countries = checkboxes(_l("Countries (none means all)"))
    status = SelectField(_l("Status"), choices=[])
    position = IntegerField(
        _l("Order in its topic"),
        default=0,
        validators=[
            Optional(),
            NumberRange(0, 1000, message=_l("Enter a number from 0 to 1000.")),
        ],
    )
    demo = BooleanField(_l("Sample content: not yet checked by an organisation"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = options(choices.TOPICS)
        self.countries.choices = _country_choices(choices.DESTINATIONS)
        self.status.choices = options(choices.ARTICLE_STATUSES)

    def article_fields(self) -> dict:
        return {
            "slug": self.slug.data,
            "topic": self.topic.data,
            "countries": self.countries.data or [],
            "status": self.status.data,
            "position": self.position.data or 0,
            "demo": self.demo.data,
        }


class ArticleTextForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Please fill this in.")), Length(max=200, message=TOO_LONG)],
    )
    summary = StringField(
        _l("Summary (one or two short sentences)"),
        validators=[DataRequired(_l("Please fill this in.")), Length(max=500, message=TOO_LONG)],
    )
    body_markdown = TextAreaField(
        _l("Article"),
        validators=[
            DataRequired(_l("Please fill this in.")),
            Length(max=MAX_BODY, message=TOO_LONG),
        ],
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save"))


class HotlineForm(Form):
    country = SelectField(_l("Country"), choices=[])
    organisation = StringField(
        _l("Organisation"),
        validators=[DataRequired(_l("Please enter a name.")), Length(max=200, message=TOO_LONG)],
    )
    organisation_local = StringField(
        _l("Name in local script"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    phone = StringField(
        _l("Phone number"), validators=[Optional(), Length(max=30, message=TOO_LONG)]
    )
    viber = URLField("Viber", validators=[Optional(), Length(max=300, message=TOO_LONG)])
    line = URLField("LINE", validators=[Optional(), Length(max=300, message=TOO_LONG)])
    messenger = URLField(
        "Facebook Messenger", validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    whatsapp = URLField("WhatsApp", validators=[Optional(), Length(max=300, message=TOO_LONG)])
    languages = checkboxes(_l("Languages spoken"))
    days = SelectField(_l("Days"), choices=[])
    opens_at = TimeField(_l("Opens at (leave empty if open all day)"), validators=[Optional()])
    closes_at = TimeField(_l("Closes at"), validators=[Optional()])
    position = IntegerField(
        _l("Order in its country"),
        default=0,
        validators=[
            Optional(),
            NumberRange(0, 1000, message=_l("Enter a number from 0 to 1000.")),
        ],
    )
    demo = BooleanField(_l("Sample entry: not yet checked"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices(choices.HOTLINE_COUNTRIES)
        self.languages.choices = options((c, language_name(c)) for c in HOTLINE_LANGUAGES)
        self.days.choices = options(choices.DAYS)

    def fill(self, hotline) -> None:
        """Show a hotline's chat links in their own fields."""
        for name in choices.CHANNELS:
            getattr(self, name).data = hotline.channels.get(name)

    def hotline_fields(self) -> dict:
        return {
            "country": self.country.data,
            "organisation": self.organisation.data,
            "organisation_local": self.organisation_local.data,
            "phone": self.phone.data,
            "channels": {name: getattr(self, name).data for name in choices.CHANNELS},
            "languages": self.languages.data or [],
            "days": self.days.data,
            "opens_at": self.opens_at.data,
            "closes_at": self.closes_at.data,
            "position": self.position.data or 0,
            "demo": self.demo.data,
        }
