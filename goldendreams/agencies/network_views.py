"""The network's public page: /partners lists the CSOs (NGOs and trade unions) with what they
cover and how to reach them."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from goldendreams.agencies import queries
from goldendreams.agencies.forms import PartnerFilterForm
from goldendreams.core.http_cache import cached_page

bp = Blueprint("network", __name__, template_folder="templates")


@bp.get("/partners")
@cached_page
def partners():
    """Every CSO, or those covering the country chosen; an unknown country is shown as an
    error on the form and the whole list stays (like the directory's filters)."""
    form = PartnerFilterForm(request.args)
    country = form.country.data if form.validate() and form.country.data else None
    return render_template(
        "agencies/partners.html", form=form, country=country, partners=queries.partners(country)
    )
