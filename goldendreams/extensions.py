"""Flask extensions, created without an app and bound in ``create_app``."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from goldendreams.core.base import Base
from goldendreams.core.security import client_key

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=client_key)


@limiter.request_filter
def _reading_is_not_limited() -> bool:
    """Every limit we set is on a form's POST (tests/accounts, reviews, jobs check them),
    and on searches (the search page's GET, tests/search): reading any other page skips the
    limiter's per-request work, a tenth of a cached page's time."""
    return request.method in ("GET", "HEAD", "OPTIONS") and request.endpoint != "search.search"
