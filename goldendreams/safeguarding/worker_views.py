"""The worker reports retaliation on their code page (the form is a panel of the desk's
case section). Anonymous: the code travels in the POST body only; the report is neither
audited nor dated by the day (safeguarding.services)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from goldendreams.cases import services as case_services
from goldendreams.cases.models import Case
from goldendreams.core.security import client_key
from goldendreams.core.throttle import FailureBudget
from goldendreams.inbox import services as inbox_services
from goldendreams.reviews import services as review_services
from goldendreams.safeguarding import services
from goldendreams.safeguarding.forms import WorkerRetaliationForm

worker_bp = Blueprint("safeguarding_worker", __name__, template_folder="templates")


def case_of_code(code: str) -> Case | None:
    """The case a worker's code opens: their review's, their conversation's, or the case
    a caseworker gave them a code for (the same order as the desk's "Check with my code")."""
    review = review_services.find_by_code(code)
    if review is not None:
        thread = inbox_services.for_review(review.id)
        return case_services.case_for_review(review.id) or (thread.case if thread else None)
    conversation = inbox_services.find_by_code(code)
    if conversation is not None:
        return conversation.case
    return case_services.find_by_code(code)


@worker_bp.post("/check/retaliation")
def report():
    """The worker says they were punished for speaking up (fired, threatened ...)."""
    form = WorkerRetaliationForm()
    budget = FailureBudget("CODE_RATE_LIMIT", "tracking-code", client_key())
    if budget.exhausted():
        abort(429)
    case = case_of_code(form.code.data) if form.code.validate(form) else None
    if case is None:
        budget.spend()
        abort(400)
    # Refused: the form again with the reason, like the desk's own forms.
    if not form.validate():
        return render_template("safeguarding/worker_report.html", form=form, done=False)
    try:
        services.worker_reports_retaliation(case, form.kind.data)
    except services.SafeguardingError as error:
        form.kind.errors = [*form.kind.errors, str(error)]
        return render_template("safeguarding/worker_report.html", form=form, done=False)
    return render_template("safeguarding/worker_report.html", form=form, done=True)
