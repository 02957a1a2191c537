"""The fixed answers of the review form, with their labels in the reader's language."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import ORIGINS

ANSWERS = {"yes": _l("Yes"), "no": _l("No"), "unsure": _l("Not sure")}

AGENCY_CRITERIA = {
    "honest_costs": _l("Honest about costs"),
    "job_as_promised": _l("The job was what they promised"),
    "contract_explained": _l("Gave a contract and explained it in my language"),
    "respect": _l("Treated me with respect"),
    "helped": _l("Helped me when there was a problem"),
}
EMPLOYER_CRITERIA = {
    "wages": _l("Wages paid correctly and on time"),
    "hours": _l("Working hours and rest days"),
    "safety": _l("Safety at work"),
    "housing": _l("Housing"),
    "respect": _l("Treated me with respect"),
    "freedom": _l("Freedom: I keep my documents and can leave"),
}
CRITERIA_BY_KIND = {"agency": AGENCY_CRITERIA, "employer": EMPLOYER_CRITERIA}

CURRENCIES = ("THB", "MYR", "MMK", "KHR", "LAK", "NPR", "USD")

FEE_PAID_TO = {
    "agency": _l("An agency"),
    "broker": _l("A broker or middleman"),
    "employer": _l("The employer"),
    "several": _l("More than one of these"),
}

DOCUMENT_HOLDERS = {
    "me": _l("I keep them myself"),
    "employer": _l("The employer"),
    "agency": _l("The agency"),
    "broker": _l("A broker"),
    "other": _l("Someone else"),
    "unsure": _l("Not sure"),
}
#: Answers that mean someone other than the worker holds the documents.
HELD_BY_OTHERS = frozenset({"employer", "agency", "broker", "other"})

#: The yes / no / not sure questions, in the order the form asks them.
YES_NO_QUESTIONS = {
    "job_as_promised": _l("Was the job what they promised?"),
    "contract_in_language": _l("Did you get a contract in your language?"),
    "wages_on_time": _l("Are wages paid on time?"),
    "forced_overtime": _l("Are you forced to work overtime?"),
    "free_to_leave": _l("Are you free to leave the job?"),
}

RELATIONSHIPS = {
    "applied": _l("I applied there"),
    "current": _l("I work there now"),
    "former": _l("I worked there before"),
}

#: Why a moderator did not publish a review; the worker sees this label.
REJECT_REASONS = {
    "not_real": _l("It does not seem to be a real experience"),
    "abusive": _l("It uses abusive language"),
    "attacks_person": _l("It attacks a named person"),
    "spam": _l("It is spam or advertising"),
    "duplicate": _l("It repeats another review"),
    "identifies_writer": _l("It could show who wrote it"),
    "other": _l("Another reason"),
}

#: Why a reader reports a published review.
FLAG_REASONS = {
    "false": _l("It is not true"),
    "abusive": _l("It is rude or abusive"),
    "personal": _l("It shows someone's personal details"),
    "spam": _l("It is spam or advertising"),
    "other": _l("Something else"),
}
#: The rejection reason used when a moderator upholds a report.
FLAG_TO_REJECT_REASON = {
    "false": "not_real",
    "abusive": "abusive",
    "personal": "identifies_writer",
    "spam": "spam",
    "other": "other",
}

#: What kind of personal data a redaction hides (moderators see this).
PII_KINDS = {
    "phone": _l("Phone number"),
    "email": _l("Email"),
    "link": _l("Web link"),
    "handle": _l("Chat name"),
    "id": _l("ID or passport number"),
    "number": _l("Long number"),
    "manual": _l("Hidden by a moderator"),
}

STATUS_LABELS = {
    "pending": _l("Waiting for a moderator"),
    "published": _l("Published"),
    "rejected": _l("Not published"),
    "withdrawn": _l("Withdrawn"),
}


#: Where workers come from: MM, KH, LA, NP.
ORIGIN_COUNTRIES = ORIGINS


class MigrationStage(StrEnum):
    """When the problem happened, on the worker's way (reviews and cases record it)."""

    BEFORE_LEAVING = "before_leaving"
    IN_TRANSIT = "in_transit"
    AT_WORK = "at_work"
    ON_RETURN = "on_return"


MIGRATION_STAGES = {
    MigrationStage.BEFORE_LEAVING: _l("Before I left my country"),
    MigrationStage.IN_TRANSIT: _l("On the way to the job"),
    MigrationStage.AT_WORK: _l("At work"),
    MigrationStage.ON_RETURN: _l("When I went back home"),
}
#: The same stages, said by a caseworker about the worker.
MIGRATION_STAGES_STAFF = {
    MigrationStage.BEFORE_LEAVING: _l("Before leaving"),
    MigrationStage.IN_TRANSIT: _l("In transit"),
    MigrationStage.AT_WORK: _l("At work"),
    MigrationStage.ON_RETURN: _l("On return"),
}
