"""Forms of worker voice, with lazy-translated labels: the worker's (asking, writing with a
code) first, then the caseworkers'."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from goldendreams.agencies.models import COUNTRIES
from goldendreams.cases import taxonomy
from goldendreams.cases.forms import OpenCaseForm
from goldendreams.core.forms import FilterForm, Form, checkboxes, options
from goldendreams.core.i18n import LANGUAGE_NAMES, country_name, language_name
from goldendreams.inbox import call_log, choices, rules
from goldendreams.inbox.models import Channel, Outcome

# --- the worker's forms ----------------------------------------------------------------------

#: At most this many employers and agencies are suggested under "Employer or agency" (a
#: phone on paid data gets a short list; any other listed name typed in full still matches).
WORKER_TEXT_TOO_LONG = _l("This is too long. Write at most 5000 letters.")


def _worker_text(label) -> TextAreaField:
    # DataRequired: a message of spaces only is no message.
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Please write something.")),
            Length(max=rules.TEXT_MAX, message=WORKER_TEXT_TOO_LONG),
        ],
    )


def _code_field() -> StringField:
    """The worker's private code, sent back in a hidden field (never in a URL)."""
    return StringField(
        validators=[
            InputRequired(_l("Enter your code.")),
            Length(max=40, message=_l("This is too long.")),
        ]
    )


class AskStartForm(FilterForm):
    """/ask, step 1: a GET form, so nothing is sent or stored before an emergency's numbers
    are on the screen."""

    topic = RadioField(
        _l("What is it about?"),
        choices=options(choices.TOPICS),
        validators=[InputRequired(_l("Choose what it is about."))],
    )
    country = RadioField(
        _l("Which country are you in now?"),
        validators=[InputRequired(_l("Choose a country from the list."))],
    )
    submit = SubmitField(_l("Next"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = options((code, country_name(code)) for code in COUNTRIES)


class AskForm(Form):
    """/ask, step 2: the message, and what the worker chooses to add. The topic and the
    country come from step 1 (hidden here; "Change" goes back)."""

    topic = HiddenField()
    country = HiddenField()
    organisation = StringField(
        _l("Employer or agency (if you want)"),
        validators=[
            Optional(),
            Length(max=rules.ORGANISATION_NAME_MAX, message=_l("This name is too long.")),
        ],
    )
    text = _worker_text(_l("Your message"))
    contact_method = RadioField(_l("How can we reach you? (if you want)"), default="")
    contact_value = StringField(
        _l("Your number or name"),
        validators=[
            Optional(),
            Length(max=rules.CONTACT_MAX, message=_l("This number or name is too long.")),
        ],
    )
    submit = SubmitField(_l("Send"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_method.choices = options(
            [
                ("", _l("No. I will come back to this website to read the answer.")),
                *choices.CONTACT_METHODS.items(),
            ]
        )

    def validate_contact_method(self, field) -> None:
        if not field.data and (self.contact_value.data or "").strip():
            raise ValidationError(_l("Choose how we can reach you from the list."))

    def validate_contact_value(self, field) -> None:
        if self.contact_method.data and not (field.data or "").strip():
            raise ValidationError(_l("Write your number or name, or choose no contact."))


class WorkerWriteForm(Form):
    """The worker writes again with their code: in their conversation, or in their review's
    thread (to add details, or to answer a question)."""

    code = _code_field()
    text = _worker_text(_l("Write to us"))
    submit = SubmitField(_l("Send"))


class WorkerCloseForm(Form):
    """The worker ends their conversation (their contact is erased at once)."""

    code = _code_field()
    confirm = BooleanField(_l("Yes, close this conversation"))
    submit = SubmitField(_l("Close this conversation"))


class WorkerEraseForm(Form):
    """The worker erases what they wrote. It cannot be undone: nothing happens until they
    tick the box."""

    code = _code_field()
    confirm = BooleanField(_l("Yes, erase my messages for ever"))
    submit = SubmitField(_l("Erase my messages"))


# --- the caseworkers' forms ------------------------------------------------------------------


ANY = _l("Any")
TEXT_TOO_LONG = _l("This is too long. Write at most 5000 letters.")


def _text(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            InputRequired(_l("Please write something.")),
            Length(max=5000, message=TEXT_TOO_LONG),
        ],
    )


class InboxFilterForm(FilterForm):
    """The inbox's filters (a GET form). A value not in a list is left out (the list shows
    every conversation for that field), not refused: ``values()`` gives the valid ones."""

    state = SelectField(_l("State"), default="")
    owner = SelectField(_l("Organisation"), default="")
    language = SelectField(_l("Language"), default="")
    country = SelectField(_l("Country"), default="")
    channel = SelectField(_l("Channel"), default="")
    topic = SelectField(_l("About"), default="")
    issue = SelectField(_l("Issue"), default="")
    assignee = SelectField(_l("Caseworker"), default="")
    urgent = BooleanField(_l("Urgent only"))

    def __init__(self, *args, categories=(), locale="en", colleagues=(), owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", ANY)]
        self.state.choices = options(every + list(choices.STATES.items()))
        self.language.choices = options(every + [(c, language_name(c)) for c in LANGUAGE_NAMES])
        self.country.choices = options(every + [(c, country_name(c)) for c in COUNTRIES])
        self.channel.choices = options(every + list(choices.CHANNELS.items()))
        self.topic.choices = options(every + list(choices.TOPIC_NAMES.items()))
        self.issue.choices = options(
            every + [(c.code, f"{c.code} · {c.name(locale)}") for c in categories]
        )
        self.assignee.choices = options(
            every
            + [("me", _l("Me")), ("nobody", _l("Nobody yet"))]
            + [(str(user.id), user.email) for user in colleagues]
        )
        if owners is None:  # a caseworker sees their own CSO's inbox only
            del self.owner
        else:
            self.owner.choices = options(every + [(str(o.id), o.name) for o in owners])

    def values(self) -> dict:
        """The fields given with a value from their list; the others are reset to "Any"."""
        self.validate()
        found = {}
        for name, field in self._fields.items():
            if field.errors:
                field.data, field.errors = field.default, []
            elif field.data:
                found[name] = field.data
        return found


class _PageForm(Form):
    """One of the forms of the conversation page: its fields' names and ids start with
    ``PREFIX`` (``reply-text``, ``note-text``), so each label points at its own field."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class ReplyForm(_PageForm):
    PREFIX = "reply"
    text = _text(_l("Your answer to the worker"))
    submit = SubmitField(_l("Send to the worker"))


class AnswerPickForm(FilterForm):
    """Start a reply from a saved answer (a GET form: the page comes back with the answer in
    the reply box, to edit before it is sent)."""

    answer = SelectField(_l("Start from a saved answer"), coerce=int)
    submit = SubmitField(_l("Use"))

    def __init__(self, *args, answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [
            SelectChoice(str(a.id), a.title, optgroup=LANGUAGE_NAMES.get(a.language, a.language))
            for a in answers
        ]


class NoteForm(_PageForm):
    PREFIX = "note"
    text = _text(_l("Internal note (the worker never sees it)"))
    submit = SubmitField(_l("Add the note"))


class TagForm(_PageForm):
    PREFIX = "tag"
    categories = checkboxes(_l("Issues"))
    urgent = BooleanField(_l("Urgent"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, categories=(), locale="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = options(
            (c.code, f"{c.code} · {c.name(locale)}") for c in categories
        )


class AssignForm(_PageForm):
    PREFIX = "assign"
    assignee_id = SelectField(_l("Caseworker"), coerce=int)
    submit = SubmitField(_l("Assign"))


class HandOverForm(_PageForm):
    PREFIX = "hand_over"
    cso_id = SelectField(_l("Give it to"), coerce=int)
    note = _text(_l("Why? (the other organisation reads this note)"))
    submit = SubmitField(_l("Hand over"))

    def __init__(self, *args, csos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cso_id.choices = options(
            (cso.id, f"{cso.name} · {country_name(cso.country)}") for cso in csos
        )


class CloseForm(_PageForm):
    PREFIX = "close"
    outcome = SelectField(_l("How did it end?"))
    submit = SubmitField(_l("Close the conversation"))

    def __init__(self, *args, case_opened=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = options(
            (k, v) for k, v in choices.OUTCOMES.items() if case_opened or k != "case_opened"
        )


class ShowContactForm(_PageForm):
    PREFIX = "contact"
    submit = SubmitField(_l("Show the worker's contact"))


class ConversationCaseForm(OpenCaseForm):
    """A case opened from a conversation: the case form's issues, severity and workers,
    with the employer or agency and what happened."""

    organisation_id = SelectField(_l("Employer or agency"), coerce=int)
    summary = _text(_l("What happened (internal)"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = options(
            [(0, _l("Choose"))] + [(o.id, o.name) for o in organisations]
        )


class AskReviewerForm(Form):
    """A caseworker's question to a review's worker (they read it with the review's code)."""

    text = _text(_l("Your question to the worker"))
    submit = SubmitField(_l("Send the question"))


class SavedAnswerForm(Form):
    owner_id = SelectField(_l("Organisation"), coerce=int)
    language = SelectField(_l("Language"))
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(_l("Write a title.")),
            Length(max=100, message=_l("This title is too long. Write at most 100 letters.")),
        ],
    )
    body = _text(_l("The answer"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = options(LANGUAGE_NAMES)
        if owners is None:  # a caseworker keeps their own CSO's answers
            del self.owner_id
        else:
            self.owner_id.choices = options((o.id, o.name) for o in owners)


class RemoveForm(Form):
    submit = SubmitField(_l("Remove"))


# --- the contact log: a call that is not a conversation --------------------------------------


class CallForm(Form):
    """Log a call fast: a few menus and the minutes, on one phone screen. The channel,
    language and country stay as they were for the next call."""

    topic = SelectField(
        _l("What was it about?"), validators=[InputRequired(_l("Choose what it is about."))]
    )
    outcome = SelectField(_l("How did it end?"), default=Outcome.INFORMATION)
    category = SelectField(_l("Issue (if any)"), default="")
    language = SelectField(_l("The worker's language"))
    country = SelectField(_l("The country the worker is in"), default="")
    channel = SelectField(_l("How did they contact you?"), default=Channel.PHONE)
    minutes = IntegerField(
        _l("Minutes (if you know)"),
        validators=[
            Optional(),
            NumberRange(
                1, call_log.CALL_MINUTES_MAX,
                message=_l("Enter the minutes as a number from 1 to 600."),
            ),
        ],
    )  # fmt: skip
    submit = SubmitField(_l("Log the call"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.topic.choices = options([("", _l("Choose")), *choices.TOPIC_NAMES.items()])
        self.outcome.choices = options(choices.OUTCOMES)
        self.category.choices = options(
            [("", "—"), *((c.code, f"{c.code} · {c.name(locale)}") for c in taxonomy.current())]
        )
        self.language.choices = options((code, language_name(code)) for code in LANGUAGE_NAMES)
        self.country.choices = options(
            [("", _l("Not known")), *((code, country_name(code)) for code in COUNTRIES)]
        )
        self.channel.choices = options((c, choices.CHANNELS[c]) for c in call_log.CALL_CHANNELS)
