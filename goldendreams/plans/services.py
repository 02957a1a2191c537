"""Writing plans: the only place that does. Each call checks who acts and what they sent,
changes one thing in one transaction and audits it; a refusal raises PlanError, whose
str is a message for the reader in their language."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from goldendreams.agencies.models import Organisation
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.plans import evidence, permissions
from goldendreams.plans.models import ItemStatus, Plan, PlanAuthor, PlanItem, PlanStatus

TITLE_MAX = 200
TEXT_MAX = 2000
OWNER_MAX = 200
EVIDENCE_MAX = 5000
REASON_MAX = 1000
#: A due date further away than this is a typing mistake, not a plan.
DUE_WITHIN_DAYS = 5 * 365 + 1


class PlanError(ValueError):
    """A plan change refused; the message says why, for the reader."""


def _text(value: str | None, longest: int, missing: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise PlanError(missing)
    if len(value) > longest:
        raise PlanError(too_long)
    return value


def check_title(title: str | None) -> str:
    return _text(
        title, TITLE_MAX, _("Please give the plan a title."),
        _("The title is too long (200 letters at most)."),
    )  # fmt: skip


def check_due(due_on: date | None, day: date | None = None) -> date:
    """A due date from today to five years on."""
    day = day or today()
    if due_on is None:
        raise PlanError(_("Enter a due date."))
    if due_on < day or due_on > day + timedelta(days=DUE_WITHIN_DAYS):
        raise PlanError(_("The due date must be between today and five years from now."))
    return due_on


def _verifier_for(actor, author: PlanAuthor, cases: list[Case]) -> int:
    """The CSO that verifies: the caseworker's own when the network writes it; otherwise
    the one that owns the linked cases (they must all be one CSO's)."""
    if author == PlanAuthor.CSO and permissions.is_cso_caseworker(actor):
        return actor.organisation_id
    owners = {case.owner_id for case in cases}
    if not owners:
        raise PlanError(_("Choose at least one case this plan answers."))
    if len(owners) > 1:
        raise PlanError(
            _("These cases are followed by different organisations of the network: "
              "write one plan for each.")
        )  # fmt: skip
    return owners.pop()


def create_plan(
    actor,
    organisation: Organisation,
    author: PlanAuthor,
    title: str | None,
    category_codes: list[str],
    cases: list[Case],
) -> Plan:
    """A new draft plan for an employer or agency, addressing issue categories and cases
    of that organisation; verified by the CSO that owns those cases."""
    if organisation.kind not in permissions.PLAN_ORG_KINDS:
        raise PlanError(_("Plans are for employers and recruitment agencies."))
    if author == PlanAuthor.ORGANISATION:
        allowed = permissions.is_org_staff_of(actor, organisation.id)
    else:
        allowed = permissions.may_use_cso_plans(actor)
    if not allowed:
        raise PlanError(_("You may not write a plan for this organisation."))
    title = check_title(title)
    wanted = set(category_codes or ())
    categories = [c for c in taxonomy.current() if c.code in wanted]
    if not categories or len(categories) != len(wanted):
        raise PlanError(_("Choose at least one issue the plan addresses."))
    if any(not permissions.may_link_case(actor, case, organisation.id) for case in cases):
        raise PlanError(_("Choose cases from the list."))
    plan = Plan(
        organisation=organisation,
        verifier_id=_verifier_for(actor, author, cases),
        title=title,
        written_by=author,
        status=PlanStatus.DRAFT,
        written_on=today(),
        categories=categories,
        cases=list(dict.fromkeys(cases)),
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(
        actor, "plan.create", "plan", plan.id, organisation_id=organisation.id,
        verifier_id=plan.verifier_id, written_by=str(author),
        categories=sorted(wanted), cases=[case.id for case in plan.cases],
    )  # fmt: skip
    db.session.commit()
    return plan


def add_item(actor, plan: Plan, text: str | None, owner: str | None, due_on) -> PlanItem:
    """A change the organisation commits to, with who does it and by when."""
    if not permissions.may_add_item(actor, plan):
        raise PlanError(_("You may not add to this plan."))
    item = PlanItem(
        plan=plan,
        text=_text(text, TEXT_MAX, _("Write what will change."), _("This is too long.")),
        owner=_text(
            owner,
            OWNER_MAX,
            _("Write who will do it (a role or a person)."),
            _("This is too long."),
        ),
        due_on=check_due(due_on),
        status=ItemStatus.PLANNED,
    )
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "plan.item_add", "plan", plan.id, item_id=item.id, due_on=str(due_on))
    db.session.commit()
    return item


def start(actor, plan: Plan) -> None:
    """A draft with items goes under way: its brands see it from now on."""
    if not permissions.may_start(actor, plan):
        raise PlanError(_("This plan cannot be started (it needs at least one step)."))
    plan.status = PlanStatus.ACTIVE
    plan.started_on = today()
    audit.record(actor, "plan.start", "plan", plan.id)
    db.session.commit()


def complete(actor, plan: Plan) -> None:
    """The CSO closes a plan whose items it verified, every one."""
    if not permissions.may_complete(actor, plan):
        raise PlanError(_("Only the network completes a plan, once every step is verified."))
    plan.status = PlanStatus.COMPLETED
    plan.completed_on = today()
    audit.record(actor, "plan.complete", "plan", plan.id)
    db.session.commit()


def progress(actor, item: PlanItem, text: str | None, upload: bytes | None) -> None:
    """The organisation moves an item one step on (up to training done), with what it did
    as evidence: words, and a file if it has one (a new file replaces the old)."""
    if not permissions.may_progress(actor, item):
        raise PlanError(_("This step cannot be moved on now."))
    text = (text or "").strip()
    if len(text) > EVIDENCE_MAX:
        raise PlanError(_("The evidence is too long (5,000 letters at most)."))
    kept = kind = None
    if upload:
        try:
            kept, kind = evidence.checked(upload)
        except evidence.BadEvidence as error:
            raise PlanError(
                _("Send a PDF, JPEG or PNG file of at most %(size)s MB.",
                  size=round(evidence.max_bytes() / 1_000_000, 1))
            ) from error  # fmt: skip
    step = item.next_step
    day = today()
    old_key = item.evidence_key if kept else None
    new_key = evidence.store(kept) if kept else None
    try:
        item.status = step
        setattr(item, f"{step}_on", day)
        if step == ItemStatus.TRAINING_DONE:
            item.returned_reason = None
        if text:
            item.evidence = text
        if new_key:
            item.evidence_key, item.evidence_type = new_key, str(kind)
        audit.record(
            actor, "plan.item_progress", "plan", item.plan_id, item_id=item.id,
            status=str(step), evidence_text=bool(text), evidence_file=bool(new_key),
        )  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        evidence.delete(new_key)  # nothing refers to it
        raise
    evidence.delete(old_key)  # replaced: no copy left behind


def verify(actor, item: PlanItem) -> None:
    """The verifying CSO checked the item: it is verified (the organisation cannot undo it)."""
    if not permissions.may_verify(actor, item):
        raise PlanError(_("Only the network verifies a step, once the training is done."))
    item.status = ItemStatus.VERIFIED
    item.verified_on = today()
    item.returned_reason = None
    audit.record(actor, "plan.item_verify", "plan", item.plan_id, item_id=item.id)
    db.session.commit()


def send_back(actor, item: PlanItem, reason: str | None) -> None:
    """The verifying CSO is not satisfied: the item goes back one step, with the reason."""
    if not permissions.may_verify(actor, item):
        raise PlanError(_("Only the network sends a step back, once the training is done."))
    reason = _text(reason, REASON_MAX, _("Write why it is sent back."), _("This is too long."))
    item.status = ItemStatus.SYSTEM_IN_PLACE
    item.returned_reason = reason
    item.returned_on = today()
    audit.record(actor, "plan.item_send_back", "plan", item.plan_id, item_id=item.id)
    db.session.commit()
