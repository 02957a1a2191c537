"""Profile claims, staff pages for organisations, and each organisation's own portal (the
public directory and organisation page are in ``profile``: they combine features)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies import claims, queries, services
from goldendreams.agencies import permissions as agency_permissions
from goldendreams.agencies.forms import (
    ClaimForm,
    ConfirmForm,
    ContactForm,
    DirectoryFilterForm,
    LinkForm,
    NewOrganisationClaimForm,
    OrganisationForm,
)
from goldendreams.agencies.models import (
    COUNTRIES,
    DIRECTORY_KINDS,
    Organisation,
    OrganisationLink,
    OrgKind,
)
from goldendreams.core.auth import may_act_for, roles_required
from goldendreams.core.forms import options
from goldendreams.core.security import only_when_stored, setting
from goldendreams.core.templating import page_number
from goldendreams.extensions import db, limiter

bp = Blueprint("agencies", __name__, template_folder="templates")
staff_bp = Blueprint("agencies_staff", __name__, url_prefix="/staff/organisations")
portal_bp = Blueprint("portal", __name__, url_prefix="/portal")

DIRECTORY_EDITORS = agency_permissions.DIRECTORY_EDITORS


@bp.app_context_processor
def agency_vocabulary() -> dict:
    """Templates ask ``agency_permissions`` who may change the directory."""
    return {"agency_permissions": agency_permissions}


def filtered_directory(kinds: tuple[str, ...] = DIRECTORY_KINDS):
    """The filter form and the page of organisations of ``kinds`` it selects (bad values are
    ignored): the public directory (profile; employers, agencies and buyers: CSOs are on
    /partners) and the staff list (every kind) share it."""
    form = DirectoryFilterForm(request.args)
    # Provinces of a country we know; any other value is ignored like the other bad filters
    # (and never reaches a query: PostgreSQL refuses a NUL in one, a 500).
    country = request.args.get("country")
    form.fill_choices(queries.provinces(country if country in COUNTRIES else None, kinds), kinds)
    form.validate()
    values = {
        name: field.data for name, field in form._fields.items() if field.data and not field.errors
    }
    page = db.paginate(
        queries.directory_query(queries.DirectoryFilters(**values, kinds=kinds)),
        page=page_number(),
        per_page=current_app.config["DIRECTORY_PAGE_SIZE"],
        max_per_page=current_app.config["DIRECTORY_PAGE_SIZE"],
        error_out=False,
        count=True,
    )
    if page.page > max(page.pages, 1):
        abort(404)
    return form, page


def _get_organisation(org_id: int) -> Organisation:
    return db.get_or_404(Organisation, org_id)


# --- "Work here? Ask for an account": profile claims ---------------------------------------


def _send_claim(form: ClaimForm, org: Organisation | None):
    """Store the claim and say what happens next, or show the form again with the problem."""
    if form.validate_on_submit():
        extra = {}
        if org is None:
            extra = {"org_name": form.org_name.data, "org_kind": form.org_kind.data,
                     "org_country": form.org_country.data}  # fmt: skip
        data = claims.ClaimInput(
            name=form.name.data,
            email=form.email.data,
            job_title=form.job_title.data,
            licence_number=form.licence_number.data if "licence_number" in form else None,
            locale=form.locale.data,
            **extra,
        )
        try:
            claims.submit_claim(org, data)
        except claims.DuplicateClaim as error:
            g.stored = True  # asking again and again counts too
            form.form_errors.append(str(error))
        except claims.ClaimError as error:
            form.form_errors.append(str(error))
        else:
            g.stored = True
            return render_template("agencies/claim_sent.html", org=org)
    return render_template("agencies/claim.html", form=form, org=org)


@bp.route("/organisations/<int:org_id>/claim", methods=["GET", "POST"])
@limiter.limit(setting("CLAIM_RATE_LIMIT"), methods=["POST"], deduct_when=only_when_stored)
def claim(org_id: int):
    org = _get_organisation(org_id)
    if not claims.claimable(org):
        abort(404)
    form = ClaimForm(
        licence_required=org.is_agency, ask_licence=org.is_agency, locale=str(get_locale())
    )
    return _send_claim(form, org)


@bp.route("/organisations/claim-new", methods=["GET", "POST"])
@limiter.limit(setting("CLAIM_RATE_LIMIT"), methods=["POST"], deduct_when=only_when_stored)
def claim_new():
    return _send_claim(NewOrganisationClaimForm(locale=str(get_locale())), None)


# --- staff: admins and moderators keep the directory -------------------------------------


@staff_bp.get("/")
@roles_required(*DIRECTORY_EDITORS)
def staff_list():
    form, page = filtered_directory(tuple(OrgKind))
    return render_template("agencies/staff_list.html", form=form, page=page)


@staff_bp.route("/new", methods=["GET", "POST"])
@roles_required(*DIRECTORY_EDITORS)
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, **form.organisation_fields())
        except services.DirectoryError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agencies_staff.edit", org_id=org.id))
    return render_template("agencies/edit.html", form=form, org=None)


@staff_bp.route("/<int:org_id>", methods=["GET", "POST"])
@roles_required(*DIRECTORY_EDITORS)
def edit(org_id: int):
    org = _get_organisation(org_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            services.update_organisation(org, current_user, **form.organisation_fields())
        except services.DirectoryError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agencies_staff.edit", org_id=org.id))
    link_form = LinkForm()
    link_form.partner.choices = options(
        (candidate.id, f"{candidate.name} ({candidate.kind_label})")
        for candidate in queries.link_candidates(org)
    )
    return render_template(
        "agencies/edit.html",
        form=form,
        org=org,
        link_form=link_form,
        links=queries.links_of(org),
        linkable=queries.linkable(org),
        confirm=ConfirmForm(),
    )


@staff_bp.post("/<int:org_id>/verified")
@roles_required(*DIRECTORY_EDITORS)
def set_verified(org_id: int):
    org = _get_organisation(org_id)
    if ConfirmForm().validate_on_submit():
        services.set_verified(org, request.form.get("verified") == "1", current_user)
        flash(_("Saved."), "success")
    return redirect(url_for("agencies_staff.edit", org_id=org.id))


@staff_bp.post("/<int:org_id>/links")
@roles_required(*DIRECTORY_EDITORS)
def add_link(org_id: int):
    org = _get_organisation(org_id)
    form = LinkForm()
    form.partner.choices = options((candidate.id, "") for candidate in queries.link_candidates(org))
    if form.validate_on_submit():
        try:
            services.add_link(org, _get_organisation(form.partner.data), current_user)
        except services.DirectoryError as error:
            flash(str(error), "error")
        else:
            flash(_("Link added."), "success")
    else:
        flash(_("Choose an organisation from the list."), "error")
    return redirect(url_for("agencies_staff.edit", org_id=org.id, _anchor="links"))


@staff_bp.post("/<int:org_id>/links/<int:link_id>/delete")
@roles_required(*DIRECTORY_EDITORS)
def remove_link(org_id: int, link_id: int):
    link = db.get_or_404(OrganisationLink, link_id)
    if org_id not in (link.source_id, link.target_id):
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.remove_link(link, current_user)
        flash(_("Link removed."), "success")
    return redirect(url_for("agencies_staff.edit", org_id=org_id, _anchor="links"))


# --- portal: an organisation's own staff ---------------------------------------------------


@portal_bp.get("/")
@login_required
def portal_home():
    if current_user.is_org_staff:
        return redirect(url_for("portal.overview", org_id=current_user.organisation_id))
    abort(403)


def _own_organisation(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    return _get_organisation(org_id)


@portal_bp.get("/<int:org_id>")
@login_required
def overview(org_id: int):
    org = _own_organisation(org_id)
    return render_template("agencies/portal.html", org=org, linked=queries.linked(org))


@portal_bp.route("/<int:org_id>/contact", methods=["GET", "POST"])
@login_required
def contact(org_id: int):
    org = _own_organisation(org_id)
    form = ContactForm(obj=org)
    if form.validate_on_submit():
        services.update_contact(
            org,
            current_user,
            contact_phone=form.contact_phone.data,
            contact_email=form.contact_email.data,
            website=form.website.data,
        )
        flash(_("Saved."), "success")
        return redirect(url_for("portal.overview", org_id=org.id))
    return render_template("agencies/contact.html", form=form, org=org)
