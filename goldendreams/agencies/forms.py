"""Directory filters, the organisation form, links, contact details and profile claims."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional, StopValidation

from goldendreams.agencies.claims import CLAIMABLE_KINDS as CLAIM_KINDS
from goldendreams.agencies.models import (
    COUNTRIES,
    CSO_LANGUAGES,
    KIND_LABELS,
    LICENCE_LABELS,
    OFFICE_LABELS,
    SECTORS,
    SERVICE_LABELS,
    LicenceStatus,
    OrgKind,
)
from goldendreams.agencies.services import MAX_PROVINCES, ORGANISATION_FIELDS, PROVINCE_MAX
from goldendreams.core.forms import FilterForm, Form, checkboxes, options
from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name


def _too_long(limit: int):
    return Length(max=limit, message=_l("This is too long."))


def country_choices() -> list[tuple[str, str]]:
    return [(code, country_name(code)) for code in COUNTRIES]


class DirectoryFilterForm(FilterForm):
    kind = SelectField(_l("Kind"), choices=[], default="")
    country = SelectField(_l("Country"), choices=[], default="")
    province = SelectField(_l("Province or state"), choices=[], default="")
    sector = SelectField(_l("Sector"), choices=[], default="")
    licence = SelectField(_l("Licence"), choices=[], default="")

    def fill_choices(self, provinces: list[str], kinds=tuple(OrgKind)) -> None:
        """Choices are built per request: their labels are in the reader's language."""
        everything = ("", _l("All"))
        self.kind.choices = options([everything, *((kind, KIND_LABELS[kind]) for kind in kinds)])
        self.country.choices = options([everything, *country_choices()])
        self.province.choices = options([everything, *((name, name) for name in provinces)])
        self.sector.choices = options([everything, *SECTORS.items()])
        self.licence.choices = options([everything, *LICENCE_LABELS.items()])


class OrganisationForm(Form):
    kind = SelectField(_l("Kind"), choices=[])
    name = StringField(
        _l("Name in English"), validators=[DataRequired(_l("Please enter a name.")), _too_long(200)]
    )
    name_local = StringField(_l("Name in local script"), validators=[Optional(), _too_long(200)])
    country = SelectField(_l("Country"), choices=[])
    province = StringField(_l("Province or state"), validators=[Optional(), _too_long(100)])
    sector = SelectField(_l("Sector"), choices=[])
    licence_number = StringField(
        _l("Licence number (agencies)"), validators=[Optional(), _too_long(100)]
    )
    licence_authority = StringField(
        _l("Licence issued by (agencies)"), validators=[Optional(), _too_long(200)]
    )
    licence_status = SelectField(_l("Licence status (agencies)"), choices=[])
    licence_expiry = DateField(_l("Licence valid until (agencies)"), validators=[Optional()])
    contact_phone = StringField(_l("Public phone"), validators=[Optional(), _too_long(50)])
    contact_email = EmailField(
        _l("Public email"), validators=[Optional(), Email(granular_message=False), _too_long(254)]
    )
    website = URLField(
        _l("Website"), validators=[Optional(), URL(require_tld=True), _too_long(300)]
    )
    # What an NGO or a union covers (no JavaScript to hide them for other kinds: a hint says
    # so, and the service empties them for other kinds).
    countries_covered = checkboxes(_l("Countries covered"))
    provinces_text = TextAreaField(
        _l("Provinces or states covered (one a line)"),
        validators=[_too_long(MAX_PROVINCES * (PROVINCE_MAX + 2))],
    )
    languages = checkboxes(_l("Languages spoken"))
    services = checkboxes(_l("Services given"))
    # Government offices only: the service requires one of OFFICE_LABELS for them and
    # empties it for other kinds (a form posted without it, for a CSO say, is fine).
    office_kind = SelectField(
        _l("Kind of office (government offices)"), choices=[], default="", validate_choice=False
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        obj = kwargs.get("obj")
        if obj is not None and not self.is_submitted():
            self.provinces_text.data = "\n".join(obj.provinces_covered)
        self.kind.choices = options(KIND_LABELS)
        self.countries_covered.choices = options(country_choices())
        self.languages.choices = options((code, language_name(code)) for code in CSO_LANGUAGES)
        self.services.choices = options(SERVICE_LABELS)
        self.office_kind.choices = options(
            [("", _l("Not a government office")), *OFFICE_LABELS.items()]
        )
        self.country.choices = options(country_choices())
        self.sector.choices = options([("", _l("Not known")), *SECTORS.items()])
        self.licence_status.choices = options(
            [
                ("", _l("No licence on record")),
                *((status.value, LICENCE_LABELS[status]) for status in LicenceStatus),
            ]
        )

    def validate_provinces_text(self, field) -> None:
        names = [line for line in (field.data or "").splitlines() if line.strip()]
        if len(names) > MAX_PROVINCES:
            raise StopValidation(_l("List at most 50 provinces."))
        if any(len(name.strip()) > PROVINCE_MAX for name in names):
            raise StopValidation(_l("A province's name is too long."))

    def organisation_fields(self) -> dict:
        """The form's values, as the service takes them (empty choices become None)."""
        fields = {
            name: self[name].data for name in ORGANISATION_FIELDS if name != "provinces_covered"
        }
        fields = {key: (value if value != "" else None) for key, value in fields.items()}
        fields["provinces_covered"] = (self.provinces_text.data or "").splitlines()
        return fields


class ContactForm(Form):
    contact_phone = OrganisationForm.contact_phone
    contact_email = OrganisationForm.contact_email
    website = OrganisationForm.website
    submit = SubmitField(_l("Save"))


class LinkForm(Form):
    partner = SelectField(_l("Organisation"), coerce=int, choices=[])
    submit = SubmitField(_l("Add link"))


class ConfirmForm(Form):
    """A form with only a CSRF token, for buttons that change something."""

    submit = SubmitField(_l("Confirm"))


# --- profile claims: "Work here? Ask for an account" ----------------------------------------


class ClaimForm(Form):
    """Someone who works for an employer or agency in the directory asks for an account."""

    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Please enter a name.")), _too_long(200)]
    )
    email = EmailField(
        _l("Your work email"),
        validators=[
            DataRequired(_l("Please enter your email.")),
            _too_long(254),
            Email(granular_message=False),
        ],
    )
    job_title = StringField(
        _l("Your role in the company"),
        validators=[DataRequired(_l("Please fill this in.")), _too_long(200)],
    )
    licence_number = StringField(
        # No Optional(): it would stop before the check that agencies give one.
        _l("The agency's licence number"),
        validators=[_too_long(100)],
    )
    locale = SelectField(_l("Language for our replies"), choices=[])
    submit = SubmitField(_l("Ask for an account"))

    def __init__(self, *args, licence_required: bool = False, ask_licence: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence_required = licence_required
        self.locale.choices = options(LANGUAGE_NAMES)
        if not ask_licence:
            # An employer holds no recruitment licence: the field is neither shown nor read.
            del self.licence_number

    def validate_licence_number(self, field) -> None:
        if self.licence_required and not (field.data or "").strip():
            raise StopValidation(_l("Please fill this in."))


class NewOrganisationClaimForm(ClaimForm):
    """The same, for a company not in the directory yet: it is added when approved."""

    org_name = StringField(
        _l("Name of the company"),
        validators=[DataRequired(_l("Please enter a name.")), _too_long(200)],
    )
    # Checked below, with one message each (not also WTForms' "not a valid choice").
    org_kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    org_country = SelectField(_l("Country"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_kind.choices = options(
            [("", _l("Choose…")), *((kind, KIND_LABELS[kind]) for kind in CLAIM_KINDS)]
        )
        self.org_country.choices = options([("", _l("Choose…")), *country_choices()])
        # An agency must give its licence number; an employer has none.
        self.licence_required = self.org_kind.data == OrgKind.AGENCY

    def validate_org_kind(self, field) -> None:
        if field.data not in CLAIM_KINDS:
            raise StopValidation(_l("Choose what kind of organisation this is."))

    def validate_org_country(self, field) -> None:
        if field.data not in COUNTRIES:
            raise StopValidation(_l("Choose a country."))


class RefuseClaimForm(Form):
    """A moderator refuses a claim: the reason is mailed to the claimant."""

    reason = TextAreaField(
        _l("Reason (sent to the person who asked)"),
        validators=[
            DataRequired(_l("Write a note to explain the reason.")),
            Length(max=1000, message=_l("Write at most 1000 letters.")),
        ],
    )
    submit = SubmitField(_l("Refuse"))


class PartnerFilterForm(FilterForm):
    """/partners: the CSOs covering one country."""

    country = SelectField(_l("Country"), choices=[], default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = options([("", _l("All countries")), *country_choices()])
