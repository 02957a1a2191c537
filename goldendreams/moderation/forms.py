"""Moderators' decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from goldendreams.core.forms import FilterForm, Form, options
from goldendreams.reviews import choices


class PublishForm(Form):
    keep = SelectMultipleField(
        _l("Keep hidden"),
        coerce=int,
        choices=[],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
    hide_also = TextAreaField(
        _l("Also hide (one word or number per line)"),
        validators=[Optional(), Length(max=2000, message=_l("This is too long."))],
    )
    submit = SubmitField(_l("Publish"))


class RejectForm(Form):
    """Not publishing something: a reason code and a note ("other" needs the note)."""

    reason = SelectField(_l("Reason"), validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(
        _l("Note for the team (optional; needed for “Another reason”)"),
        validators=[Optional(), Length(max=2000, message=_l("This is too long."))],
    )
    submit = SubmitField(_l("Do not publish"))

    def __init__(self, *args, reasons: dict = choices.REJECT_REASONS, note_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = options(reasons)
        if note_label:
            self.note.label.text = note_label


class DecisionForm(Form):
    """Just a CSRF token: the button pressed says what to do."""

    submit = SubmitField(_l("Confirm"))


class ReviewSearchForm(FilterForm):
    """Staff find any review: words of its title or text, the organisation, the status."""

    q = SearchField(
        _l("Words in the title or text"),
        validators=[Optional(), Length(max=200, message=_l("This is too long."))],
    )
    organisation = SearchField(
        _l("Organisation name"),
        validators=[Optional(), Length(max=200, message=_l("This is too long."))],
    )
    status = SelectField(_l("Status"), default="", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = options([("", _l("All")), *choices.STATUS_LABELS.items()])
