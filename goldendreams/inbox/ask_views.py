"""Ask for help (/ask): a worker, without an account, writes to the network and gets a
private code to read the answer at "Check with my code" (desk/).

Two steps, so that no JavaScript is needed and an emergency's numbers show before anything
is sent: step 1 is a GET form (what it is about, the country the worker is in: nothing is
stored), step 2 the message. Only a stored conversation counts against ASK_RATE_LIMIT; a
refused worker gets the page back with everything they typed.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from goldendreams.agencies.models import COUNTRIES
from goldendreams.core.security import client_key
from goldendreams.core.text import normalise
from goldendreams.core.throttle import FailureBudget
from goldendreams.inbox import choices, queries, services
from goldendreams.inbox.forms import AskForm, AskStartForm
from goldendreams.inbox.models import Topic
from goldendreams.rights.views import COUNTRY_COOKIE

bp = Blueprint("ask", __name__, template_folder="templates")


def _ask_budget() -> FailureBudget:
    """New conversations per client (ASK_RATE_LIMIT): spent only once one is stored."""
    return FailureBudget("ASK_RATE_LIMIT", "ask", client_key())


def _step_one(form: AskStartForm, status: int = 200):
    return render_template("inbox/ask.html", form=form, inbox_choices=choices), status


def _step_two(form: AskForm, status: int = 200):
    topic, country = form.topic.data, form.country.data
    return render_template(
        "inbox/ask_write.html",
        form=form,
        topic=topic,
        suggestions=queries.organisation_suggestions(country, topic),
        retention_days=current_app.config["CONTACT_RETENTION_DAYS"],
        inbox_choices=choices,
        **queries.emergency_help(topic, country),
    ), status


def _valid_start(topic: str | None, country: str | None) -> bool:
    return topic in set(Topic) and country in COUNTRIES


@bp.get("/ask")
def ask():
    """Step 1 (no choice made yet, or ``step=1`` to change it), else step 2 for the topic and
    country chosen. Unknown values: step 1 again, with the error."""
    start = AskStartForm(request.args)
    chosen = "topic" in request.args or "country" in request.args
    if not chosen and request.cookies.get(COUNTRY_COOKIE) in COUNTRIES:
        start.country.data = request.cookies.get(COUNTRY_COOKIE)  # chosen on the help page
    if not chosen or request.args.get("step") == "1":
        return _step_one(start)
    if not start.validate():
        return _step_one(start, 400)
    return _step_two(AskForm(formdata=None, topic=start.topic.data, country=start.country.data))


@bp.post("/ask")
def send():
    """Store the conversation and show its code, once."""
    form = AskForm()
    if not _valid_start(form.topic.data, form.country.data):
        start = AskStartForm(formdata=None)
        start.topic.errors = [_("Choose what it is about, and the country you are in.")]
        return _step_one(start, 400)
    if not form.validate_on_submit():
        return _step_two(form)
    budget = _ask_budget()
    # An emergency is never turned away (it still counts): phones share one address behind
    # their carrier, and a dormitory shares its Wi-Fi.
    if budget.exhausted() and form.topic.data != Topic.EMERGENCY:
        form.form_errors.append(str(choices.TOO_MANY_MESSAGES))
        return _step_two(form, 429)
    typed = normalise(form.organisation.data or "").text or None
    organisation = queries.find_organisation(typed, form.country.data)
    try:
        conversation, code = services.ask(
            form.topic.data,
            form.country.data,
            str(get_locale() or "en"),
            form.text.data,
            organisation=organisation,
            organisation_name=None if organisation is not None else typed,
            contact_method=form.contact_method.data or None,
            contact_value=form.contact_value.data,
        )
    except services.InboxError as error:
        form.form_errors.append(str(error))
        return _step_two(form)
    budget.spend()
    # Shown in this response only: the code is not stored and never sent again.
    return render_template(
        "inbox/ask_thanks.html",
        code=code,
        conversation=conversation,
        inbox_choices=choices,
        **queries.emergency_help(conversation.topic, conversation.country),
    )
