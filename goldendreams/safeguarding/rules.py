"""The risk level rule, in one place (documented in README's case section).

HIGH when any of these is "yes":
  - the worker's life or health is in danger,
  - the worker is kept from moving freely,
  - the worker is threatened or punished;
or when both "documents held by someone else" and "debt" are "yes" (together they are
debt bondage, an ILO forced-labour indicator), or when children are involved together
with any other "yes".
MEDIUM when any other answer is "yes", or when danger, movement or threats is "not sure"
(the caseworker should ask again soon).
LOW otherwise.
"""

from __future__ import annotations

from goldendreams.safeguarding.models import QUESTIONS, Answer, RiskLevel

#: A "yes" to any of these alone makes the risk high.
HIGH_ALONE = ("danger", "movement", "threats")


def risk_level(answers: dict[str, str]) -> RiskLevel:
    """The level of one assessment's answers ({question: Answer})."""
    yes = {name for name in QUESTIONS if answers.get(name) == Answer.YES}
    if yes & set(HIGH_ALONE):
        return RiskLevel.HIGH
    if {"documents", "debt"} <= yes or ("children" in yes and len(yes) > 1):
        return RiskLevel.HIGH
    unsure = any(answers.get(name) == Answer.NOT_SURE for name in HIGH_ALONE)
    if yes or unsure:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW
