"""The dashboard's filters, the escalation form, a brand's commitment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from goldendreams.brands import choices
from goldendreams.brands.services import COMMITMENT_MAX, NOTE_MAX
from goldendreams.cases import choices as case_choices
from goldendreams.cases.consent import NOTE_MAX as CONSENT_NOTE_MAX
from goldendreams.cases.consent import RECORDED_BY_CASEWORKER
from goldendreams.cases.models import ConsentMethod
from goldendreams.core.forms import Form, checkboxes, options

TOO_LONG = _l("This is too long.")


class DashboardFilters(Form):
    """The brand dashboard's filters (a GET form: no token, every field optional)."""

    class Meta:
        csrf = False

    supplier = SelectField(_l("Supplier"), default="", validators=[Optional()])
    issue = SelectField(_l("Issue"), default="", validators=[Optional()])
    severity = SelectField(_l("Severity"), default="", validators=[Optional()])
    period = SelectField(_l("Opened in"), default="", validators=[Optional()])

    def active(self) -> int:
        """How many filters are set (the "Filters (n)" control)."""
        return sum(1 for f in (self.supplier, self.issue, self.severity, self.period) if f.data)


class EscalationForm(Form):
    cases = checkboxes(_l("Cases"))
    categories = checkboxes(_l("Or: every case of yours here with these issues"))
    reason = RadioField(
        _l("Why do you escalate?"),
        choices=options((k.value, v) for k, v in choices.REASON_LABELS.items()),
        validators=[InputRequired(_l("Choose a reason from the list."))],
    )
    note = TextAreaField(
        _l("What should the brands know? Never the worker's name or words."),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=NOTE_MAX, message=TOO_LONG),
        ],
    )
    consent_method = RadioField(
        _l("The worker agreed that brands may be told what happened"),
        choices=options(
            [("", _l("Recorded already"))]
            + [
                (m.value, case_choices.CONSENT_LABELS[m.value])
                for m in ConsentMethod
                if m in RECORDED_BY_CASEWORKER
            ]
        ),
        default="",
        validators=[Optional()],
    )
    consent_note = StringField(
        _l("How did the worker agree?"),
        validators=[Optional(), Length(max=CONSENT_NOTE_MAX, message=TOO_LONG)],
    )


class CommitmentForm(Form):
    kind = RadioField(
        _l("What will you do?"),
        choices=options((k.value, v) for k, v in choices.COMMITMENT_LABELS.items()),
        validators=[InputRequired(_l("Choose what you will do from the list."))],
    )
    text = TextAreaField(
        _l("Say more"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=COMMITMENT_MAX, message=TOO_LONG),
        ],
    )
    due_on = DateField(_l("By when?"), validators=[InputRequired(_l("Choose a date."))])
