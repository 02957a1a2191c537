"""The channels' admin form: who answers the conversations of a platform's account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField

from goldendreams.core.forms import Form, options

#: The value a POST without the field gets: in no list, so it is refused (an empty choice
#: is a real answer here: the network).
_NOT_SENT = -1


def _owner_id(value) -> int | None:
    """The network's choice (empty) → None; an organisation's id → int; anything else → a
    value in no list."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return _NOT_SENT


class OwnerForm(Form):
    """One per platform on the page (each with its own prefix, so its own field ids)."""

    owner_id = SelectField(_l("Who answers its conversations"), coerce=_owner_id, default=_NOT_SENT)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, csos, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = options(
            [("", _l("The network (routing rules)")), *((cso.id, cso.name) for cso in csos)]
        )
