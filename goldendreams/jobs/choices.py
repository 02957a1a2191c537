"""The fixed answers of job postings and applications, with labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import ORIGINS

SALARY_PERIODS = {"day": _l("per day"), "month": _l("per month"), "piece": _l("per piece")}
DESTINATION_CURRENCIES = {"TH": "THB", "MY": "MYR"}
FEE_CURRENCIES = ("THB", "MYR", "MMK", "KHR", "LAK", "NPR", "USD")

FEE_KINDS = {
    "recruitment": _l("Recruitment or service fee"),
    "passport": _l("Passport"),
    "visa": _l("Visa"),
    "work_permit": _l("Work permit"),
    "medical": _l("Medical check"),
    "training": _l("Training"),
    "transport": _l("Travel"),
    "insurance": _l("Insurance"),
    "other": _l("Other cost"),
}
PAID_BY = {"worker": _l("Worker pays"), "employer": _l("Employer pays")}
PROVIDED = {"free": _l("Free"), "deducted": _l("Taken from pay"), "none": _l("Not given")}
GENDERS = {"any": _l("Anyone"), "women": _l("Women"), "men": _l("Men")}
#: Languages a job may ask for (CLDR names are shown).
JOB_LANGUAGES = ("my", "km", "lo", "ne", "th", "ms", "en")
ORIGIN_COUNTRIES = ORIGINS

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for a moderator"),
    "published": _l("Published"),
    "rejected": _l("Not published"),
    "closed": _l("Closed"),
}
#: The employer's decision on a job posted in its name (jobs.models.JobOrderDecision).
ORDER_DECISION_LABELS = {
    "pending": _l("Not decided yet"),
    "confirmed": _l("Confirmed by the employer"),
    "refused": _l("Refused by the employer"),
}
APPLICATION_STATUSES = {
    "received": _l("Received"),
    "shortlisted": _l("Shortlisted"),
    "interview": _l("Invited to an interview"),
    "offered": _l("Offered the job"),
    "hired": _l("Hired"),
    "not_selected": _l("Not selected"),
}
#: Why a moderator did not publish a job; the agency sees this label.
REJECT_REASONS = {
    "misleading": _l("Information is missing or misleading"),
    "low_wage": _l("The pay is below the legal minimum"),
    "worker_fees": _l("The worker is asked to pay fees that are not allowed"),
    "licence": _l("The agency's licence is not valid"),
    "not_real": _l("It does not seem to be a real job"),
    "other": _l("Another reason"),
    #: Set by the employer's refusal (jobs.services.decide_job_order), never by a moderator.
    "employer_refused": _l("The employer refused this job"),
}
#: The reasons a moderator may choose (moderation's reject form).
MODERATION_REJECT_REASONS = {
    key: label for key, label in REJECT_REASONS.items() if key != "employer_refused"
}
FLAG_REASONS = {
    "misleading": _l("The information is wrong or misleading"),
    "scam": _l("I think it is a scam"),
    "fees": _l("They ask for more money than shown"),
    "other": _l("Something else"),
}
FLAG_TO_REJECT_REASON = {
    "misleading": "misleading",
    "scam": "not_real",
    "fees": "worker_fees",
    "other": "misleading",
}

#: The automatic checks, as the moderator and the agency see them.
CHECK_LABELS = {
    "required": _l("All required information is given"),
    "deadline": _l("The deadline is in the future"),
    "licence": _l("The agency's licence is valid until the deadline"),
    "minimum_wage": _l("The pay is at least the legal minimum wage"),
    "worker_fees": _l("The worker pays no fees"),
}
