"""Labels of safeguarding's vocabulary, in the reader's language (short, plain words:
caseworkers answer many messages a day, in several scripts)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The risk questions (models.QUESTIONS), as a caseworker reads them.
QUESTION_LABELS = {
    "danger": _l("Is the worker's life or health in danger?"),
    "movement": _l("Is the worker kept from moving freely?"),
    "documents": _l("Does someone else hold the worker's documents?"),
    "debt": _l("Does the worker owe a debt for the job?"),
    "threats": _l("Is the worker threatened or punished?"),
    "children": _l("Are children involved?"),
}
ANSWER_LABELS = {"yes": _l("Yes"), "no": _l("No"), "not_sure": _l("Not sure")}
LEVEL_LABELS = {"low": _l("Low risk"), "medium": _l("Medium risk"), "high": _l("High risk")}
CHECK_IN_METHODS = {
    "worker_code": _l("On the worker's page (their code)"),
    "conversation": _l("In the conversation or the worker's app"),
    "phone": _l("On the phone"),
    "in_person": _l("In person"),
}
CHECK_IN_OUTCOMES = {
    "fine": _l("The worker is fine"),
    "worried": _l("The worker is worried"),
    "retaliation": _l("The worker reports retaliation"),
}
RETALIATION_KINDS = {
    "dismissal": _l("Dismissal"),
    "threats": _l("Threats"),
    "deportation_threats": _l("Threats of deportation"),
    "pay_cut": _l("Pay cut"),
    "violence": _l("Violence"),
    "other": _l("Other punishment"),
}
#: Risk levels shown as a warning (and that alert the on-call people).
ALERT_LEVELS = frozenset({"high"})
