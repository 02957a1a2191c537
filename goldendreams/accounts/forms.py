"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from goldendreams.core.forms import Form


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


class PasswordForm(Form):
    current = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=1000, message=_l("This is too long.")),
        ],
    )
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
    submit = SubmitField(_l("Change password"))


class EndSessionsForm(Form):
    """Only a CSRF token and the button."""

    submit = SubmitField(_l("Log out everywhere else"))


class LiftLockoutForm(Form):
    """An admin lets one account log in again at once (a button: only the CSRF token)."""

    submit = SubmitField(_l("Let them log in now"))
