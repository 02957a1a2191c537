"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from goldendreams.core.forms import FilterForm, Form, checkboxes, options
from goldendreams.core.i18n import LANGUAGE_NAMES


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Please enter your email.")),
            Length(max=254, message=_l("This is too long.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=1000, message=_l("This is too long.")),
        ],
    )
    submit = SubmitField(_l("Log in"))


class EndSessionsForm(Form):
    """Only a CSRF token and the button."""

    submit = SubmitField(_l("Log out everywhere else"))


class NotificationsForm(Form):
    """Which e-mails a staff member gets: one checkbox per kind their role can get."""

    kinds = checkboxes(_l("E-mail me when"))
    # Left out (an old form, a script): the language stays as it is.
    locale = SelectField(_l("Language of your e-mails"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not WTForms' message, which repeats the unknown value back.
        self.kinds.invalid_choice_message = _l("Choose an answer from the list.")
        self.locale.choices = options(LANGUAGE_NAMES.items())


# --- two-step login (accounts/two_factor_views.py) -------------------------------------------

_CODE_VALIDATORS = [
    DataRequired(_l("Please enter the code.")),
    Length(max=40, message=_l("This is too long.")),
]


class EnrolForm(Form):
    """The first code from the app, which proves the phone holds the key."""

    code = StringField(_l("The 6-digit code your app shows"), validators=_CODE_VALIDATORS)
    submit = SubmitField(_l("Turn on two-step login"))


class LoginCodeForm(Form):
    """The second step of a login."""

    code = StringField(
        _l("The 6-digit code from your app, or a recovery code"), validators=_CODE_VALIDATORS
    )
    submit = SubmitField(_l("Log in"))


class RecoveryCodesForm(Form):
    """New recovery codes, for the password or a current code."""

    proof = PasswordField(
        _l("Your password, or a code from your app"),
        validators=[
            DataRequired(_l("Please enter your password or a code.")),
            Length(max=1000, message=_l("This is too long.")),
        ],
    )
    submit = SubmitField(_l("Make new recovery codes"))


class TurnOffForm(Form):
    """Go back to the password alone (roles that need no second factor)."""

    code = StringField(_l("A code from your app"), validators=_CODE_VALIDATORS)
    submit = SubmitField(_l("Turn off two-step login"))


# --- staff accounts from the web: invitations, organisation admins, forgotten passwords ----


def _email_field(label) -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired(_l("Please enter your email.")),
            Length(max=254, message=_l("This is too long.")),
            Email(granular_message=False),
        ],
    )


class NewPasswordForm(Form):
    """A first password (an invitation) or a new one (a "forgot your password" link)."""

    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Please enter a new password.")),
            Length(max=1000, message=_l("This is too long.")),
        ],
    )
    again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please enter a new password.")),
            EqualTo("new", message=_l("The two new passwords are not the same.")),
        ],
    )
    submit = SubmitField(_l("Set password"))


class PasswordForm(NewPasswordForm):
    """Change one's password: the current one, then the new one twice."""

    current = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=1000, message=_l("This is too long.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(Form):
    email = _email_field(_l("Email"))
    submit = SubmitField(_l("Send me a link"))


class UserFilterForm(FilterForm):
    """Filters of the staff list (a GET form); choices are filled per request."""

    role = SelectField(_l("Role"), choices=[], default="")
    organisation = SelectField(_l("Organisation"), choices=[], default="")


class InviteForm(Form):
    """An admin invites someone to any role; an organisation admin a colleague (the role
    and the organisation are then theirs and the two fields are left out)."""

    email = _email_field(_l("Email"))
    role = SelectField(_l("Role"), choices=[])
    organisation = SelectField(_l("Organisation (for its staff only)"), choices=[], default="")
    org_admin = BooleanField(_l("May invite and switch off colleagues of the organisation"))
    locale = SelectField(_l("Language of the e-mail"), choices=[])
    submit = SubmitField(_l("Send the invitation"))


class RoleForm(Form):
    """An admin changes an account's role and organisation."""

    role = SelectField(_l("Role"), choices=[])
    organisation = SelectField(_l("Organisation (for its staff only)"), choices=[], default="")
    org_admin = BooleanField(_l("May invite and switch off colleagues of the organisation"))
    submit = SubmitField(_l("Save"))


class ActionForm(Form):
    """A button that changes something: only the CSRF token (its label is the page's)."""
