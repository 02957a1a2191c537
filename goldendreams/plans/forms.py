"""The forms of plans: a plan, a step, the organisation's progress, the CSO's answer."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from goldendreams.cases import taxonomy
from goldendreams.core.forms import Form, checkboxes, options

TOO_LONG = _l("This is too long.")


class PlanForm(Form):
    title = StringField(
        _l("Title of the plan"),
        validators=[
            InputRequired(_l("Please give the plan a title.")),
            Length(max=200, message=_l("The title is too long (200 letters at most).")),
        ],
    )
    categories = checkboxes(_l("Issues the plan addresses"))
    cases = checkboxes(_l("Cases the plan answers"))
    submit = SubmitField(_l("Save the plan"))

    def __init__(self, *args, cases: list[tuple[str, str]], **kwargs):
        """``cases``: (public id, reference) of the cases the writer may link."""
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.categories.validators = [InputRequired(_l("Choose at least one issue."))]
        self.categories.choices = options(
            (c.code, f"{c.code} · {c.name(locale)}") for c in taxonomy.current()
        )
        self.cases.choices = options(cases)


class ItemForm(Form):
    text = TextAreaField(
        _l("What will change"),
        validators=[
            InputRequired(_l("Write what will change.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )
    owner = StringField(
        _l("Who will do it (a role or a person)"),
        validators=[
            InputRequired(_l("Write who will do it (a role or a person).")),
            Length(max=200, message=TOO_LONG),
        ],
    )
    due_on = DateField(_l("Due date"), validators=[InputRequired(_l("Enter a due date."))])
    submit = SubmitField(_l("Add this step"))


class ProgressForm(Form):
    """The organisation moves a step on; the button says to which step."""

    evidence = TextAreaField(
        _l("What you did (evidence)"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
    )
    file = FileField(_l("A file as proof (PDF, JPEG or PNG; optional)"))
    submit = SubmitField(_l("Save"))


class SendBackForm(Form):
    reason = TextAreaField(
        _l("Why you send it back"),
        validators=[
            InputRequired(_l("Write why it is sent back.")),
            Length(max=1000, message=TOO_LONG),
        ],
    )
    submit = SubmitField(_l("Send back"))
