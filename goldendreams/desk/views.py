"""Check with my code: a worker types the private code they were given and sees what it
opens (a review and its case, or an application), answers their case, or withdraws their
review. Every page takes the code in a POST body, never in a URL."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request
from flask_babel import gettext as _

from goldendreams.cases import referrals as case_referrals
from goldendreams.cases import services as case_services
from goldendreams.cases.forms import AnswerForm, ReferralConsentForm
from goldendreams.core.security import client_key
from goldendreams.core.throttle import FailureBudget
from goldendreams.jobs import services as job_services
from goldendreams.reviews import services as review_services
from goldendreams.reviews.forms import CodeForm, WithdrawForm

bp = Blueprint("desk", __name__, template_folder="templates")


def _code_budget() -> FailureBudget:
    """Wrong codes per client, on every page that takes one (CODE_RATE_LIMIT): guessing a
    code is hopeless at this pace. A code that works never counts, so one outreach phone
    or one dormitory's Wi-Fi can serve everyone."""
    return FailureBudget("CODE_RATE_LIMIT", "tracking-code", client_key())


def _too_many_wrong_codes():
    """Refuse a code page without looking the code up (else right and wrong codes would
    answer differently), and give back what was typed, ready to send again."""
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token"]  # fmt: skip
    return render_template("desk/retry.html", kept=kept), 429


@bp.route("/check", methods=["GET", "POST"])
def check():
    """A worker looks up their review or application with its code. POST keeps the code
    out of URLs, histories and logs."""
    form = CodeForm()
    budget = _code_budget()
    if form.is_submitted() and budget.exhausted():
        return _too_many_wrong_codes()
    if form.validate_on_submit():
        review = review_services.find_by_code(form.code.data)
        if review is not None:
            return _review_page(review, form.code.data)
        application = job_services.find_application_by_code(form.code.data)
        if application is not None:
            return render_template("desk/application.html", application=application)
        budget.spend()
        form.code.errors.append(_("We found nothing with this code. Check it and try again."))
    return render_template("desk/check.html", form=form)


def _review_page(
    review, code: str, answer: AnswerForm | None = None, withdraw: WithdrawForm | None = None
):
    """What the code shows: the review, and the case opened from it (if any), with the
    question whether the worker agrees that their case goes to another organisation."""
    case = case_services.case_for_review(review.id)
    if answer is None and case is not None and case_services.can_answer(case):
        answer = AnswerForm(code=code, formdata=None)
    referral = _asking(case)
    return render_template(
        "desk/review.html",
        review=review,
        withdraw=withdraw if withdraw is not None else WithdrawForm(code=code, formdata=None),
        case=case,
        answer=answer if case is not None and case_services.can_answer(case) else None,
        referral=referral,
        consent=ReferralConsentForm(code=code, formdata=None) if referral else None,
    )


def _asking(case):
    """The referral of an open case that waits for the worker's answer, if any."""
    if case is None or not case.is_open:
        return None
    return case_referrals.asking_worker(case)


def _case_of_code(form):
    """The review and case the code of a case's answer form opens. Too many wrong codes:
    429, nothing looked up; a wrong code (or a review without a case) spends the budget and
    gets 400. A code the form refuses (too long, say) is no code: the page has nowhere to
    say why."""
    budget = _code_budget()
    if budget.exhausted():
        abort(make_response(_too_many_wrong_codes()))
    review = review_services.find_by_code(form.code.data) if form.code.validate(form) else None
    case = case_services.case_for_review(review.id) if review else None
    if case is None:
        budget.spend()
        abort(400)
    return review, case


@bp.post("/check/answer")
def answer():
    """The worker says whether the problem in their case was fixed."""
    form = AnswerForm()
    review, case = _case_of_code(form)
    if form.validate_on_submit():
        try:
            case_services.worker_answer(case, form.answer.data, form.comment.data)
        except case_services.CaseError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. We have your answer."), "success")
            return _review_page(review, form.code.data)
    return _review_page(review, form.code.data, form)


@bp.post("/check/referral")
def referral_consent():
    """The worker agrees (or not) that their case goes to another organisation. Neither
    audited nor dated: no trace of when the worker answered."""
    form = ReferralConsentForm()
    review, case = _case_of_code(form)
    referral = _asking(case)
    if referral is None or not (form.yes.data or form.no.data):
        flash(_("You cannot answer this now."), "error")
        return _review_page(review, form.code.data)
    try:
        case_referrals.worker_consents(referral, yes=bool(form.yes.data))
    except case_referrals.ReferralError as error:
        flash(str(error), "error")
    else:
        flash(_("Thank you. We have your answer."), "success")
    return _review_page(review, form.code.data)


@bp.post("/check/withdraw")
def withdraw():
    """The worker takes their review back."""
    form = WithdrawForm()
    budget = _code_budget()
    if budget.exhausted():
        return _too_many_wrong_codes()
    review = (
        review_services.find_by_code(form.code.data or "") if form.validate_on_submit() else None
    )
    if review is None:
        budget.spend()
        abort(400)
    if not form.confirm.data:
        # It cannot be undone: nothing is erased until the worker ticks "Yes".
        form.confirm.errors.append(_("Tick the box if you are sure. Nothing was erased yet."))
        return _review_page(review, form.code.data, withdraw=form), 400
    try:
        review_services.withdraw_review(review)
    except review_services.ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_("Your review is withdrawn. Nobody can see it now."), "success")
    return _review_page(review, form.code.data)
