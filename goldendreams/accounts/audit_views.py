"""The audit log viewer for admins (/staff/audit): filters, pages of 50, a CSV download.

It shows record ids and actions, never an entry's detail (which may hold texts).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from goldendreams.accounts import audit_log, permissions
from goldendreams.core.export import csv_response
from goldendreams.core.forms import FilterForm, options
from goldendreams.core.templating import MAX_ID, page_number
from goldendreams.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/staff/audit", template_folder="templates")

#: Entries per page.
PAGE_SIZE = 50
#: The days one may filter by.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class AuditFilterForm(FilterForm):
    """What the log is narrowed to (a GET form). Kept beside its only view: it is no
    account form."""

    actor = StringField(
        _l("Who (e-mail or account number)"),
        validators=[Optional(), Length(max=254, message=_l("This is too long."))],
    )
    action = SelectField(_l("Action"), choices=[], default="")
    target_type = SelectField(_l("Kind of record"), choices=[], default="")
    target_id = IntegerField(
        _l("Record number"),
        validators=[Optional(), NumberRange(0, MAX_ID, message=_l("Enter a whole number."))],
    )
    start = DateField(_l("From (day)"), validators=[Optional()])
    end = DateField(_l("To (day)"), validators=[Optional()])

    def validate_actor(self, field) -> None:
        if field.data and "\x00" in field.data:  # PostgreSQL refuses it even in a query
            raise ValidationError(_l("This is not an e-mail or an account number."))

    def validate_start(self, field) -> None:
        # Days far outside the log's life would overflow the time zone's arithmetic.
        if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(_l("Choose a day between 2000 and 2100."))

    validate_end_range = validate_start

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _l("All"))
        self.action.choices = options([everything, *((a, a) for a in audit_log.actions())])
        self.target_type.choices = options(
            [everything, *((t, t) for t in audit_log.target_types())]
        )

    def validate_end(self, field) -> None:
        self.validate_end_range(field)
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last day comes before the first."))

    def filters(self) -> audit_log.AuditFilters:
        return audit_log.AuditFilters(
            actor=self.actor.data or "",
            action=self.action.data or "",
            target_type=self.target_type.data or "",
            target_id=self.target_id.data,
            start=self.start.data,
            end=self.end.data,
        )


def _admin_only() -> None:
    if not permissions.may_read_audit_log(current_user):
        abort(403)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.validate()
    return form


@bp.get("/")
@login_required
def audit():
    _admin_only()
    form = _form()
    if form.errors:
        # Never a page of other entries than those asked for: the filters come back to fix.
        return render_template("accounts/audit.html", form=form, page=None, emails={}), 400
    page = db.paginate(
        audit_log.entries(form.filters()),
        page=page_number(),
        per_page=PAGE_SIZE,
        max_per_page=PAGE_SIZE,
        error_out=False,
        count=True,
    )
    if page.page > max(page.pages, 1):
        abort(404)
    # The download holds every page of the same filters.
    # Only the form's own fields: any other name would reach url_for's own keywords.
    wanted = {name: request.args[name] for name in form._fields if name in request.args}
    return render_template(
        "accounts/audit.html",
        form=form,
        page=page,
        emails=audit_log.actor_emails(page.items),
        export_url=url_for("audit.export", **wanted),
    )


@bp.get("/export.csv")
@login_required
def export():
    """Every entry the filters select (all pages), as the page shows them."""
    _admin_only()
    form = _form()
    if form.errors:
        return render_template("accounts/audit.html", form=form, page=None, emails={}), 400
    entries = list(db.session.scalars(audit_log.entries(form.filters())))
    emails = audit_log.actor_emails(entries)
    command_line = _("command line")
    rows = [["time_utc", "actor", "action", "record_kind", "record_id"]]
    for entry in entries:
        actor = emails.get(entry.actor_id, f"#{entry.actor_id}") if entry.actor_id else command_line
        rows.append(
            [
                entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                actor,
                entry.action,
                entry.target_type,
                entry.target_id,
            ]
        )
    return csv_response(rows, "audit-log")
