"""Forms of the service directory and of referrals to services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional

from goldendreams.agencies.forms import country_choices
from goldendreams.agencies.models import CSO_LANGUAGES
from goldendreams.cases import choices as case_choices
from goldendreams.cases.models import ConsentItem, ConsentMethod
from goldendreams.core.forms import FilterForm, Form, checkboxes, options
from goldendreams.core.i18n import country_name, language_name
from goldendreams.support import choices, services
from goldendreams.support.models import NEXT_STATES, ReferralState

TOO_LONG = _l("This is too long.")
EVERYTHING = ("", _l("All"))
#: How a caseworker records the worker's consent here (the worker's own "yes" with their
#: code is the case referral's way, cases/referrals.py).
CONSENT_METHODS = (ConsentMethod.IN_PERSON, ConsentMethod.PHONE, ConsentMethod.MESSAGE)


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in CSO_LANGUAGES]


class ServiceFilterForm(FilterForm):
    """/services/: by country, kind and language (bad values are ignored)."""

    country = SelectField(_l("Country"), choices=[], default="")
    kind = SelectField(_l("Kind of help"), choices=[], default="")
    language = SelectField(_l("Language"), choices=[], default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = options([EVERYTHING, *country_choices()])
        self.kind.choices = options([EVERYTHING, *choices.KIND_LABELS.items()])
        if "language" in self:
            self.language.choices = options([EVERYTHING, *language_choices()])

    def values(self) -> dict:
        """The valid filters chosen (a bad value is left out, like no value)."""
        self.validate()
        return {
            name: field.data
            for name, field in self._fields.items()
            if field.data and not field.errors
        }


class StaffServiceFilterForm(ServiceFilterForm):
    """/staff/services/: by country and kind."""

    language = None


class ServiceForm(Form):
    kind = SelectField(_l("Kind of help"), choices=options(choices.KIND_LABELS))
    name = StringField(
        _l("Name in English"),
        validators=[InputRequired(_l("Please enter a name.")), Length(max=200, message=TOO_LONG)],
    )
    name_local = StringField(
        _l("Name in local script"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    country = SelectField(_l("Country"), choices=[])
    province = StringField(
        _l("Province or state"), validators=[Optional(), Length(max=100, message=TOO_LONG)]
    )
    languages = checkboxes(_l("Languages spoken"))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30, message=TOO_LONG)])
    website = URLField(
        _l("Website (https://...)"), validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    chat = URLField(
        _l("Chat link (https://...)"), validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    address = TextAreaField(
        _l("Address"), validators=[Optional(), Length(max=1000, message=TOO_LONG)]
    )
    hours = StringField(
        _l("Opening hours"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    offers = TextAreaField(
        _l("What it offers (one or two lines)"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    free = BooleanField(_l("Free of charge"))
    cso_id = SelectField(_l("Kept up to date by"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, csos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = options(country_choices())
        self.languages.choices = options(language_choices())
        if csos is None:  # a CSO's admin keeps their own CSO's entries
            del self.cso_id
        else:
            self.cso_id.choices = options(
                [(0, _l("The site's administrators")), *((org.id, org.name) for org in csos)]
            )

    def service_fields(self) -> dict:
        names = ("kind", "name", "name_local", "country", "province", "languages", "phone",
                 "website", "chat", "address", "hours", "offers", "free", "cso_id")  # fmt: skip
        return {name: self[name].data for name in names if name in self}


class SwitchOffForm(Form):
    confirm = BooleanField(
        _l("Yes, take it off the public pages"),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Switch off"))


class ReferToServiceForm(Form):
    """Refer a case's worker to a service; with the worker's consent when none is on record."""

    service_id = SelectField(_l("Service"), validators=[InputRequired(_l("Choose a service."))])
    note = TextAreaField(
        _l("What the worker needs (internal)"),
        validators=[
            InputRequired(_l("Write what the worker needs.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])
    consent_method = RadioField(
        _l("How did the worker agree that we tell the service?"),
        choices=options((str(m), case_choices.CONSENT_LABELS[m]) for m in CONSENT_METHODS),
        validators=[InputRequired(_l("Say how the worker agreed."))],
    )
    consent_items = checkboxes(_l("What the service may be told"))
    consent_note = StringField(
        _l("How and when the worker agreed"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Refer to this service"))

    def __init__(self, *args, services_listed=(), consent_needed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_id.choices = options(
            [("", _l("Choose a service"))]
            + [
                (
                    s.public_id,
                    f"{s.name} · {choices.KIND_LABELS[s.kind]} · {country_name(s.country)}",
                )
                for s in services_listed
            ]
        )
        self.consent_items.choices = options(case_choices.CONSENT_ITEM_LABELS)
        if not self.is_submitted() and self.follow_up_on.data is None:
            self.follow_up_on.data = services.default_follow_up()
        if not consent_needed:
            del self.consent_method, self.consent_items, self.consent_note

    def consent_fields(self) -> dict:
        if "consent_method" not in self:
            return {}
        return {
            "consent_method": self.consent_method.data,
            "consent_items": [i for i in self.consent_items.data or () if i in set(ConsentItem)],
            "consent_note": self.consent_note.data,
        }


class UpdateReferralForm(Form):
    state = SelectField(_l("Where it stands"), choices=[])
    outcome = TextAreaField(
        _l("What came of it (internal)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    follow_up_on = DateField(_l("Next follow-up"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        state = ReferralState(referral.state)
        self.state.choices = options(
            [(str(state), choices.STATE_LABELS[state])]
            + [(str(s), choices.STATE_LABELS[s]) for s in NEXT_STATES[state]]
        )
        if not self.is_submitted():
            self.state.data = str(state)
            self.follow_up_on.data = referral.follow_up_on
