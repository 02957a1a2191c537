"""Validation pages: the organisation signs off (portal), the caseworker verifies and shares
(case store), a CSO admin sets the rule; evidence files for those who may see them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case
from goldendreams.core.auth import may_act_for
from goldendreams.core.templating import MAX_ID, by_public_id_or_404
from goldendreams.extensions import db
from goldendreams.validation import choices, evidence, file_views, permissions, queries, services
from goldendreams.validation.forms import RuleForm, SignOffForm, VerifyForm
from goldendreams.validation.models import Evidence, SignOff

bp = Blueprint("validation", __name__, url_prefix="/cases/validation", template_folder="templates")
portal_bp = Blueprint("validation_portal", __name__, url_prefix="/portal/<int:org_id>/validation")
brand_bp = Blueprint("validation_brand", __name__, url_prefix="/brand/validation")

#: Room for the form's text fields and the multipart framing, beside the files.
FORM_OVERHEAD = 256 * 1024


@bp.app_context_processor
def validation_vocabulary() -> dict:
    return {"validation_choices": choices, "validation_permissions": permissions}


def allow_evidence_uploads() -> None:
    """The sign-off's files are bigger than any other form: this one request may carry
    VALIDATION_EVIDENCE_MAX_FILES files of VALIDATION_EVIDENCE_MAX_BYTES (set before the
    CSRF check reads the body). Only for someone signed in who acts for that organisation:
    anyone else keeps the site's small limit, so an anonymous POST cannot make the server
    read 50 MB."""
    if request.endpoint != "validation_portal.sign_off" or request.method != "POST":
        return
    org_id = (request.view_args or {}).get("org_id")
    if current_user.is_authenticated and org_id is not None and may_act_for(org_id):
        request.max_content_length = evidence.max_bytes() * evidence.max_files() + FORM_OVERHEAD


# --- caseworkers ----------------------------------------------------------------------------


def _run(case_id: int) -> Case:
    if not case_permissions.may_work_on_cases(current_user):
        abort(403)
    item = db.get_or_404(Case, case_id)
    if not permissions.may_see_internal(current_user, item):
        abort(404)  # another CSO's case: its existence is not theirs to know
    return item


def _case_page(item: Case) -> str:
    return url_for("cases.case", case_id=item.id) + "#validation"


@bp.route("/case/<int:case_id>/verify", methods=["GET", "POST"])
@login_required
def verify(case_id: int):
    item = _run(case_id)
    form = VerifyForm()
    allowed = permissions.may_verify(current_user, item)
    if allowed and form.validate_on_submit():
        try:
            services.verify(
                item, current_user, form.methods.data, form.note.data, form.verified_on.data
            )
        except services.ValidationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(_case_page(item))
    elif request.method == "POST" and not allowed:
        flash(_("You can verify once a fix is recorded, while the case is open."), "error")
        return redirect(_case_page(item))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "validation/verify.html", case=item, form=form, allowed=allowed,
        verifications=queries.verifications(item),
    ), status  # fmt: skip


@bp.post("/case/<int:case_id>/share")
@login_required
def share(case_id: int):
    item = _run(case_id)
    try:
        services.share(item, current_user, bool(request.form.get("shared")))
    except services.ValidationError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(_case_page(item))


@bp.get("/case/<int:case_id>/evidence/<int:evidence_id>")
@login_required
def evidence_file(case_id: int, evidence_id: int):
    item = _run(case_id)
    found = db.session.get(Evidence, evidence_id)
    if found is None or found.signoff.case_id != item.id:
        abort(404)
    return file_views.send(found, file_views.number_of(found))


def _rule_cso() -> Organisation | None:
    """The CSO whose rule the page shows: the caseworker's own; an admin's choice."""
    if not case_permissions.is_admin(current_user):
        return current_user.organisation
    cso_id = request.args.get("cso", type=int)
    if cso_id is None:
        return None
    cso = db.session.get(Organisation, cso_id) if 0 < cso_id <= MAX_ID else None
    if cso is None or not cso.is_cso:
        abort(404)
    return cso


@bp.route("/rule", methods=["GET", "POST"])
@login_required
def rule():
    if not permissions.may_use_rule_page(current_user):
        abort(403)
    cso = _rule_cso()
    if cso is None:  # an admin chooses the CSO first
        csos = db.session.scalars(
            select(Organisation).where(Organisation.kind.in_(CSO_KINDS)).order_by(Organisation.name)
        )
        return render_template("validation/rule_choose.html", csos=list(csos))
    current = queries.rule_for(cso.id)
    form = RuleForm(data={"min_yes_percent": current.min_yes_percent,
                          "min_answers": current.min_answers})  # fmt: skip
    if form.validate_on_submit():
        try:
            services.set_rule(current_user, cso, form.min_yes_percent.data, form.min_answers.data)
        except services.ValidationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("validation.rule", cso=cso.id))
    status = 400 if request.method == "POST" else 200
    return render_template("validation/rule.html", cso=cso, form=form, rule=current), status


# --- organisations --------------------------------------------------------------------------


def _own_case(org_id: int, case_id: str) -> tuple[Organisation, Case]:
    if not may_act_for(org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind not in ("employer", "agency"):
        abort(404)
    item = by_public_id_or_404(Case, case_id)
    if item.organisation_id != org.id or not item.shared_with_organisation:
        abort(404)
    return org, item


def _portal_page(org: Organisation, item: Case) -> str:
    return url_for("cases_portal.portal_case", org_id=org.id, case_id=item.public_id)


@portal_bp.route("/<public_id:case_id>/sign-off", methods=["GET", "POST"])
@login_required
def sign_off(org_id: int, case_id: str):
    org, item = _own_case(org_id, case_id)
    allowed = permissions.may_sign_off(current_user, item)
    form = SignOffForm()
    if request.method == "POST" and not allowed:
        flash(_("You can sign off once a fix is recorded, while the case is open."), "error")
        return redirect(_portal_page(org, item))
    if allowed and form.validate_on_submit():
        try:
            uploads = [u for u in map(evidence.read, request.files.getlist("files")) if u]
            services.sign_off(
                item, current_user, form.statement.data, form.signer_title.data, uploads
            )
        except (services.ValidationError, evidence.EvidenceError) as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(_portal_page(org, item))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "validation/sign_off.html", org=org, case=item, form=form, allowed=allowed,
        latest=queries.latest_signoff(item), max_files=evidence.max_files(),
        max_mb=evidence.max_bytes() // (1024 * 1024),
    ), status  # fmt: skip


@portal_bp.get("/<public_id:case_id>/evidence/<public_id:evidence_id>")
@login_required
def portal_evidence(org_id: int, case_id: str, evidence_id: str):
    _org, item = _own_case(org_id, case_id)
    found = by_public_id_or_404(Evidence, evidence_id)
    if found.signoff.case_id != item.id or not permissions.may_see_as_organisation(
        current_user, item
    ):
        abort(404)
    return file_views.send(found, file_views.number_of(found))


# --- brands ---------------------------------------------------------------------------------


@brand_bp.get("/<public_id:case_id>/evidence/<public_id:evidence_id>")
@login_required
def brand_evidence(case_id: str, evidence_id: str):
    if not permissions.is_brand(current_user):
        abort(403)
    item = by_public_id_or_404(Case, case_id)
    found = by_public_id_or_404(Evidence, evidence_id)
    latest: SignOff | None = queries.latest_signoff(item)
    if (
        latest is None
        or found.signoff_id != latest.id
        or not permissions.may_see_shared(
            current_user, item, latest, queries.brands_may_see_documents(item)
        )
    ):
        abort(404)
    return file_views.send(found, file_views.number_of(found))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(brand_bp)
    # Before every other hook: the CSRF check reads the body (core/request_limits.py too).
    app.before_request_funcs.setdefault(None, []).insert(0, allow_evidence_uploads)
