"""Safeguarding's forms: short questions in plain words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from goldendreams.cases.choices import CONSENT_ITEM_LABELS, CONSENT_LABELS, CONSENT_RECIPIENT_LABELS
from goldendreams.cases.consent import RECORDED_BY_CASEWORKER
from goldendreams.core.forms import Form, checkboxes, options
from goldendreams.safeguarding import choices
from goldendreams.safeguarding.models import QUESTIONS

TOO_LONG = _l("This is too long.")
ANSWER_EVERY = _l("Answer every question.")


def _question(name: str) -> RadioField:
    return RadioField(
        choices.QUESTION_LABELS[name],
        choices=options(choices.ANSWER_LABELS),
        validators=[InputRequired(ANSWER_EVERY)],
    )


class RiskForm(Form):
    """The risk assessment: six yes / no / not sure questions and the safe way to reach
    the worker."""

    danger = _question("danger")
    movement = _question("movement")
    documents = _question("documents")
    debt = _question("debt")
    threats = _question("threats")
    children = _question("children")
    safe_contact = TextAreaField(
        _l("How and when is it safe to contact the worker? (internal)"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save the risk check"))

    def answers(self) -> dict[str, str]:
        return {name: getattr(self, name).data for name in QUESTIONS}


def _method_field() -> RadioField:
    return RadioField(
        _l("How will you reach the worker?"),
        choices=options(choices.CHECK_IN_METHODS),
        validators=[Optional()],
    )


class PlanForm(Form):
    text = TextAreaField(
        _l("What are we doing to keep the worker safe? (internal)"),
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    next_check_in = DateField(_l("Next check-in"), validators=[Optional()])
    method = _method_field()
    submit = SubmitField(_l("Save the plan"))


class CheckInForm(Form):
    due_on = DateField(_l("Check in on"), validators=[InputRequired(_l("Choose a day."))])
    method = RadioField(
        _l("How will you reach the worker?"),
        choices=options(choices.CHECK_IN_METHODS),
        validators=[InputRequired(_l("Choose how you will reach the worker."))],
    )
    submit = SubmitField(_l("Schedule the check-in"))


class CheckInResultForm(Form):
    outcome = RadioField(
        _l("How is the worker?"),
        choices=options(choices.CHECK_IN_OUTCOMES),
        validators=[InputRequired(_l("Choose how the worker is."))],
    )
    kind = RadioField(
        _l("What happened? (only for retaliation)"),
        choices=options(choices.RETALIATION_KINDS),
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("What the worker said (internal)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save the check-in"))


class RetaliationForm(Form):
    kind = RadioField(
        _l("What happened?"),
        choices=options(choices.RETALIATION_KINDS),
        validators=[InputRequired(_l("Choose what happened from the list."))],
    )
    note = TextAreaField(
        _l("Details (internal)"), validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
    submit = SubmitField(_l("Report retaliation"))


class WorkerRetaliationForm(Form):
    """The worker, with their code: were they punished for speaking up?"""

    code = StringField(
        validators=[InputRequired(_l("Enter your code.")), Length(max=40, message=TOO_LONG)]
    )
    kind = RadioField(
        _l("What happened to you?"),
        choices=options(choices.RETALIATION_KINDS),
        validators=[InputRequired(_l("Choose an answer from the list."))],
    )
    submit = SubmitField(_l("Tell us"))


class OnCallForm(Form):
    submit = SubmitField(_l("Save"))


class ShowSafeContactForm(Form):
    """The button that shows the worker's safe way to be reached (each view audited)."""

    submit = SubmitField(_l("Show the worker's contact"))


class TelegramForm(Form):
    chat = StringField(
        _l("Your Telegram chat id with our bot (empty: none)"),
        validators=[Optional(), Length(max=20, message=_l("A Telegram chat id is a number."))],
    )
    submit = SubmitField(_l("Save"))


class ConsentForm(Form):
    """What the worker agreed may be shared, with whom, and how they agreed."""

    recipient = RadioField(
        _l("Who may be told?"),
        choices=options(CONSENT_RECIPIENT_LABELS),
        default="organisation",
        validators=[InputRequired(_l("Choose who may be told from the list."))],
    )
    items = checkboxes(_l("What may be shared?"))
    method = RadioField(
        _l("How did the worker agree?"),
        choices=options(
            (m, label) for m, label in CONSENT_LABELS.items() if m in RECORDED_BY_CASEWORKER
        ),
        validators=[InputRequired(_l("Say how the worker agreed."))],
    )
    note = StringField(
        _l("When and how (for example: on the phone, in Burmese)"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Record the consent"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items.choices = options(CONSENT_ITEM_LABELS)
        if not self.items.data and not self.is_submitted():
            self.items.data = ["issue"]
