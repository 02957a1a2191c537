"""Login form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

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
