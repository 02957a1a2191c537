"""Check with my code: a worker types the private code they were given and sees what it
opens (a review with its thread and case, a conversation, a case logged from a call, or an
application), answers their case, or withdraws their review. Writing, closing and erasing
in a thread: thread_views.py. Every page takes the code in a POST body, never in a URL."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request
from flask_babel import gettext as _

from goldendreams.cases import referrals as case_referrals
from goldendreams.cases import services as case_services
from goldendreams.cases.forms import AnswerForm, ReferralConsentForm
from goldendreams.core.security import client_key
from goldendreams.core.throttle import FailureBudget
from goldendreams.desk import pages
from goldendreams.inbox import services as inbox_services
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


def opened_by_code(form) -> pages.Opened:
    """What the code of a POSTed form opens. Too many wrong codes: 429, nothing looked up;
    a wrong code spends the budget and gets 400. A code the form refuses (too long, say)
    is no code: the page has nowhere to say why."""
    budget = _code_budget()
    if budget.exhausted():
        abort(make_response(_too_many_wrong_codes()))
    opened = pages.open_code(form.code.data) if form.code.validate(form) else None
    if opened is None:
        budget.spend()
        abort(400)
    return opened


@bp.route("/check", methods=["GET", "POST"])
def check():
    """A worker looks up what their code opens. POST keeps the code out of URLs, histories
    and logs."""
    form = CodeForm()
    budget = _code_budget()
    if form.is_submitted() and budget.exhausted():
        return _too_many_wrong_codes()
    if form.validate_on_submit():
        opened = pages.open_code(form.code.data)
        if opened is not None:
            return pages.render(opened, form.code.data)
        budget.spend()
        form.code.errors.append(_("We found nothing with this code. Check it and try again."))
    return render_template("desk/check.html", form=form)


def _case_of_code(form) -> pages.Opened:
    """What the code of a case's form opens: the case of a review, of a conversation, or
    one logged from a call. A code that opens no case spends the budget and gets 400."""
    opened = opened_by_code(form)
    if opened.case is None:
        _code_budget().spend()
        abort(400)
    return opened


@bp.post("/check/answer")
def answer():
    """The worker says whether the problem in their case was fixed."""
    form = AnswerForm()
    opened = _case_of_code(form)
    if form.validate_on_submit():
        try:
            case_services.worker_answer(opened.case, form.answer.data, form.comment.data)
        except case_services.CaseError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. We have your answer."), "success")
            return pages.render(opened, form.code.data)
    return pages.render(opened, form.code.data, answer=form)


@bp.post("/check/referral")
def referral_consent():
    """The worker agrees (or not) that their case goes to another organisation. Neither
    audited nor dated: no trace of when the worker answered."""
    form = ReferralConsentForm()
    opened = _case_of_code(form)
    referral = pages.asking(opened.case)
    if referral is None or not (form.yes.data or form.no.data):
        flash(_("You cannot answer this now."), "error")
        return pages.render(opened, form.code.data)
    try:
        case_referrals.worker_consents(referral, yes=bool(form.yes.data))
    except case_referrals.ReferralError as error:
        flash(str(error), "error")
    else:
        flash(_("Thank you. We have your answer."), "success")
    return pages.render(opened, form.code.data)


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
        return pages.render(pages.open_review(review, withdraw=form), form.code.data), 400
    try:
        review_services.withdraw_review(review)
        inbox_services.review_withdrawn(review.id)
    except review_services.ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_("Your review is withdrawn. Nobody can see it now."), "success")
    return pages.render(pages.open_review(review), form.code.data)


from goldendreams.desk import thread_views  # noqa: E402,F401  (its routes: on this blueprint)
