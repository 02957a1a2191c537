"""Failed queued tasks, for admins: what did not happen (an e-mail a server kept refusing,
periodic work that crashed), so someone fixes the cause; then "Dismiss"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.core import permissions, queue
from goldendreams.core.forms import DismissTaskForm
from goldendreams.extensions import db

bp = Blueprint("tasks_staff", __name__)


@bp.app_context_processor
def task_permissions() -> dict:
    """Templates ask ``task_permissions`` who may see the failed tasks."""
    return {"task_permissions": permissions}


def _admin_only() -> None:
    if not permissions.may_manage_tasks(current_user):
        abort(403)


@bp.get("/staff/tasks")
@login_required
def failed_tasks():
    _admin_only()
    return render_template(
        "staff/tasks.html", tasks=queue.failed_tasks(), form=DismissTaskForm(formdata=None)
    )


@bp.post("/staff/tasks/dismiss")
@login_required
def dismiss_task():
    _admin_only()
    form = DismissTaskForm()
    if not form.validate_on_submit():
        abort(400)
    task_id = form.task_id.data.strip()
    # Ids beyond what the column holds are nobody's (PostgreSQL would refuse the query).
    failed = db.session.get(queue.FailedTask, int(task_id)) if _is_id(task_id) else None
    if failed is None or failed.dismissed_at is not None:
        abort(404)
    queue.dismiss_failed_task(current_user, failed)
    flash(_("The task is off the list."), "success")
    return redirect(url_for("tasks_staff.failed_tasks"))


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**31
