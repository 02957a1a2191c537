"""The search box and its filters (a GET form: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from goldendreams.core.forms import FilterForm, options
from goldendreams.core.i18n import country_name
from goldendreams.search.documents import KINDS

MAX_QUERY = 200
KIND_LABELS = {
    "job": _l("Jobs"),
    "organisation": _l("Employers and agencies"),
    "article": _l("Your rights"),
    "review": _l("Reviews"),
}
SEARCH_COUNTRIES = ("TH", "MY", "MM", "KH", "LA", "NP")


class SearchForm(FilterForm):
    q = SearchField(
        _l("Search"),
        validators=[Optional(), Length(max=MAX_QUERY, message=_l("This is too long."))],
    )
    type = SelectField(_l("Show"), choices=[], default="")
    country = SelectField(_l("Country"), choices=[], default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = options([("", _l("Everything")), *((k, KIND_LABELS[k]) for k in KINDS)])
        self.country.choices = options(
            [("", _l("All")), *((code, country_name(code)) for code in SEARCH_COUNTRIES)]
        )
