"""The fixed vocabulary of cases, with labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SOURCES = {
    "review": _l("Worker review"),
    "hotline": _l("Hotline"),
    "outreach": _l("Outreach"),
    "group": _l("Group complaint from a mobilizer"),
    "message": _l("Message from a worker"),
}
SEVERITIES = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High"), "urgent": _l("Urgent")}
#: Categories that make a case urgent whatever was chosen: violence, restricted movement.
URGENT_CATEGORIES = frozenset({"ILO-03", "ILO-05"})

STATUS_LABELS = {
    "new": _l("New"),
    "triaged": _l("Checked by a caseworker"),
    "referred": _l("Sent to the organisation"),
    "in_remediation": _l("Being fixed"),
    "resolved": _l("Fixed, waiting for the worker"),
    "closed": _l("Closed"),
    "no_basis": _l("Closed: no basis found"),
    "referred_out": _l("Sent to an outside body"),
}
#: What a worker reads about their case, by status.
WORKER_STATUS = {
    "new": _l("We opened a case from your review. A caseworker will look at it."),
    "triaged": _l("A caseworker is working on your case."),
    "referred": _l("We asked the employer or agency to fix the problem."),
    "in_remediation": _l("The employer or agency is fixing the problem."),
    "resolved": _l("The employer or agency says the problem is fixed."),
    "closed": _l("Your case is closed."),
    "no_basis": _l("Your case is closed. We could not confirm the problem."),
    "referred_out": _l("We sent your case to an outside body (government, union or lawyer)."),
}
OUTCOMES = {
    "resolved_confirmed": _l("Resolved: confirmed by the worker"),
    "resolved_verified": _l("Resolved: checked by the caseworkers"),
    "resolved_unconfirmed": _l("Resolved: the worker did not confirm"),
    "no_basis": _l("No basis found"),
    "referred_out": _l("Referred to an outside body"),
}
REMEDIATION_KINDS = {
    "fee_repayment": _l("Fees paid back"),
    "back_pay": _l("Wages paid back"),
    "documents_returned": _l("Documents given back"),
    "contract_corrected": _l("Contract corrected"),
    "policy_change": _l("Policy changed"),
    "other": _l("Other action"),
}
WORKER_ANSWERS = {"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No")}
EVENT_LABELS = {
    "status": _l("Status changed"),
    "note": _l("Note"),
    "acknowledged": _l("The organisation acknowledged the case"),
    "proposal": _l("The organisation proposed a fix"),
    "remediation": _l("Remediation recorded"),
    "validation": _l("The worker answered"),
    "assigned": _l("Assigned"),
    "referral": _l("Sent to another organisation"),
    "government": _l("Government action"),
}
#: What a government office did about a case referred to it (models.GovernmentAction).
GOVERNMENT_ACTION_LABELS = {
    "inspection": _l("Inspection"),
    "order": _l("Order to fix it"),
    "fine": _l("Fine"),
    "repatriation_support": _l("Help to go home"),
}

#: The steps a case may take from each status (who may take them: permissions.py).
_BEFORE_FIX = ("new", "triaged", "referred")
TRANSITIONS = frozenset(
    {
        ("new", "triaged"),
        ("triaged", "referred"),
        ("referred", "in_remediation"),
        ("in_remediation", "resolved"),
        *((status, "no_basis") for status in _BEFORE_FIX),
        *((status, "referred_out") for status in (*_BEFORE_FIX, "in_remediation")),
    }
)

#: A referral to another CSO or a government office (models.ReferralStatus).
REFERRAL_STATUS_LABELS = {
    "asking_worker": _l("Waiting for the worker to agree"),
    "worker_refused": _l("The worker said no"),
    "proposed": _l("Waiting for their answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Taken back"),
}
#: How the worker agreed to a referral (models.ConsentMethod).
CONSENT_LABELS = {
    "worker_code": _l("Ask the worker on the site, with their code"),
    "in_person": _l("The worker agreed in person"),
    "phone": _l("The worker agreed on the phone"),
    "message": _l("The worker agreed in a chat or text message"),
}
#: How the worker gave a caseworker their answer to "Was it fixed?" (models.AnswerMethod).
ANSWER_METHODS = {
    "phone": _l("On the phone"),
    "in_person": _l("In person"),
    "message": _l("In a chat or text message"),
}
#: Who the worker agreed may be told (models.ConsentRecipient).
CONSENT_RECIPIENT_LABELS = {
    "organisation": _l("The employer or agency"),
    "cso": _l("Another organisation of the network"),
    "service": _l("A service (legal aid, shelter, health care ...)"),
    "government": _l("A government office"),
    "brand": _l("The brands that buy from the employer"),
}
#: What the worker agreed may be shared (models.ConsentItem).
CONSENT_ITEM_LABELS = {
    "issue": _l("What happened, without name or contact"),
    "identity": _l("The worker's name and how to reach them"),
    "documents": _l("The worker's documents"),
}
