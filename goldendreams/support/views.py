"""The service directory's pages (public, and the staff pages that keep it) and a case's
referrals of its worker to services.

Blueprints: ``support`` (the public /services/ page), ``support_staff`` (/staff/services/:
admins and CSO admins) and ``support_cases`` (/cases/...: the caseworkers who run a case).
A service or referral the reader may not touch is not found (404); a role that never may
gets 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case
from goldendreams.core.base import today
from goldendreams.core.http_cache import cached_page
from goldendreams.core.templating import by_public_id_or_404, page_number
from goldendreams.extensions import db
from goldendreams.support import choices, permissions, queries, services
from goldendreams.support.forms import (
    ReferToServiceForm,
    ServiceFilterForm,
    ServiceForm,
    StaffServiceFilterForm,
    SwitchOffForm,
    UpdateReferralForm,
)
from goldendreams.support.models import Service, ServiceReferral

bp = Blueprint("support", __name__, template_folder="templates")
staff_bp = Blueprint("support_staff", __name__, url_prefix="/staff/services")
cases_bp = Blueprint("support_cases", __name__, url_prefix="/cases")


@bp.app_context_processor
def support_vocabulary() -> dict:
    return {"support_permissions": permissions, "support_choices": choices}


# --- the public directory ---------------------------------------------------------------------


@bp.get("/services/")
@cached_page
def service_directory():
    form = ServiceFilterForm(request.args)
    size = current_app.config["SERVICES_PAGE_SIZE"]
    page = db.paginate(
        queries.services_query(queries.ServiceFilters(**form.values())),
        page=page_number(), per_page=size, max_per_page=size, error_out=False, count=True,
    )  # fmt: skip
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template("support/directory.html", form=form, page=page)


# --- keeping the directory (admins, CSO admins) -----------------------------------------------


def _may_manage() -> None:
    if not permissions.may_manage_services(current_user):
        abort(403)


def _service(public_id: str) -> Service:
    found = by_public_id_or_404(Service, public_id)
    if not permissions.may_edit_service(current_user, found):
        abort(404)
    return found


def _csos() -> list[Organisation] | None:
    """The CSOs an admin may name as an entry's keeper (None: the reader may name none)."""
    if not permissions.may_choose_cso(current_user):
        return None
    query = select(Organisation).where(Organisation.kind.in_([str(k) for k in CSO_KINDS]))
    return list(db.session.scalars(query.order_by(Organisation.sort_name)))


@staff_bp.get("/")
@login_required
def service_list():
    _may_manage()
    form = StaffServiceFilterForm(request.args)
    found = queries.managed_by(
        case_permissions.is_admin(current_user), current_user.organisation_id,
        queries.ServiceFilters(**form.values()),
    )  # fmt: skip
    return render_template("support/staff_list.html", form=form, services=found)


@staff_bp.route("/new", methods=["GET", "POST"], endpoint="new_service")
@staff_bp.route("/<public_id:service_id>", methods=["GET", "POST"])
@login_required
def edit_service(service_id: str | None = None):
    _may_manage()
    found = _service(service_id) if service_id else None
    form = ServiceForm(obj=found, csos=_csos())
    if found is not None and not form.is_submitted() and "cso_id" in form:
        form.cso_id.data = found.cso_id or 0
    if form.validate_on_submit():
        try:
            saved = services.save_service(current_user, found, **form.service_fields())
        except services.SupportError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("support_staff.edit_service", service_id=saved.public_id))
    return render_template(
        "support/edit_service.html", form=form, service=found, switch_off=SwitchOffForm()
    )


@staff_bp.post("/<public_id:service_id>/<any(checked, on, off):action>")
@login_required
def act(service_id: str, action: str):
    _may_manage()
    found = _service(service_id)
    try:
        if action == "checked":
            services.mark_checked(current_user, found)
        elif action == "on":
            services.switch(current_user, found, on=True)
        else:
            form = SwitchOffForm()
            if not form.validate():
                raise services.SupportError(_("Tick the box to confirm."))
            services.switch(current_user, found, on=False)
    except services.SupportError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("support_staff.edit_service", service_id=found.public_id))


# --- referrals of a case's worker to services (those who run the case) -------------------------


def _may_use_list() -> None:
    if not permissions.may_use_referral_list(current_user):
        abort(403)


def _case(case_id: int) -> Case:
    found = db.get_or_404(Case, case_id)
    if not permissions.may_see_service_referrals(current_user, found):
        abort(404)
    return found


def _referral(referral_id: int) -> ServiceReferral:
    found = db.get_or_404(ServiceReferral, referral_id)
    if not permissions.may_see_referral(current_user, found):
        abort(404)
    return found


@cases_bp.get("/service-referrals/")
@login_required
def referral_list():
    _may_use_list()
    show = request.args.get("show")
    if show not in choices.LIST_FILTERS:
        show = "open"
    cso_id = None if case_permissions.is_admin(current_user) else current_user.organisation_id
    return render_template(
        "support/referrals.html", show=show, day=today(),
        referrals=queries.for_cso(cso_id, show, today()),
    )  # fmt: skip


@cases_bp.route("/<int:case_id>/refer-to-service", methods=["GET", "POST"])
@login_required
def refer(case_id: int):
    _may_use_list()
    case = _case(case_id)
    if not permissions.may_refer_to_service(current_user, case):
        flash(_("This case is closed."), "error")
        return redirect(url_for("cases.case", case_id=case.id))
    listed = queries.listed_services()
    form = ReferToServiceForm(services_listed=listed, consent_needed=services.needs_consent(case))
    if form.validate_on_submit():
        chosen = next((s for s in listed if s.public_id == form.service_id.data), None)
        try:
            services.refer(
                current_user, case, chosen, form.note.data, form.follow_up_on.data,
                **form.consent_fields(),
            )  # fmt: skip
        except services.SupportError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("cases.case", case_id=case.id, _anchor="services"))
    return render_template("support/refer.html", form=form, case=case)


@cases_bp.route("/service-referrals/<int:service_referral_id>", methods=["GET", "POST"])
@login_required
def referral(service_referral_id: int):
    _may_use_list()
    item = _referral(service_referral_id)
    form = UpdateReferralForm(referral=item)
    if form.validate_on_submit() and permissions.may_update_referral(current_user, item):
        try:
            services.update_referral(
                current_user, item, form.state.data, form.outcome.data, form.follow_up_on.data
            )
        except services.SupportError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("support_cases.referral", service_referral_id=item.id))
    return render_template("support/referral.html", referral=item, form=form, day=today())
