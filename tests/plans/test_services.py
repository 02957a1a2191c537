"""The rules of plans: who writes, who verifies, steps in order, evidence, late steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.core import files
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.plans import notices, queries, services
from goldendreams.plans.models import ItemStatus, Plan, PlanAuthor, PlanItem, PlanStatus
from tests.factories import CaseFactory, CsoFactory, _categories, referred
from tests.mailbox import text_of
from tests.plans.factories import PDF, PlanFactory, PlanItemFactory, png, world


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action))


@pytest.fixture
def w(app):
    return world()


def test_the_organisation_writes_a_plan_the_cases_owner_verifies(w):
    plan = services.create_plan(
        w.employer_staff, w.employer, PlanAuthor.ORGANISATION, "  No more held passports ",
        ["ILO-07"], [w.case],
    )  # fmt: skip
    assert plan.verifier_id == w.case.owner_id
    assert plan.status == PlanStatus.DRAFT and plan.title == "No more held passports"
    assert plan.written_by == PlanAuthor.ORGANISATION and plan.cases == [w.case]
    assert audits("plan.create") == 1


def test_the_network_writes_one_it_verifies(w):
    plan = services.create_plan(w.caseworker, w.employer, PlanAuthor.CSO, "Fees", ["FEE-01"], [])
    assert plan.verifier_id == w.caseworker.organisation_id
    assert plan.written_by == PlanAuthor.CSO


@pytest.mark.parametrize(
    ("title", "codes", "which_cases", "message"),
    [
        ("", ["ILO-07"], "own", "title"),
        ("x" * 201, ["ILO-07"], "own", "too long"),
        ("Plan", [], "own", "issue"),
        ("Plan", ["NOPE-1"], "own", "issue"),
        ("Plan", ["ILO-07"], "none", "case"),
        ("Plan", ["ILO-07"], "unshared", "list"),
        ("Plan", ["ILO-07"], "other_org", "list"),
        ("Plan", ["ILO-07"], "two_csos", "different organisations"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_stored(w, title, codes, which_cases, message):
    other_cso_case = referred(CaseFactory(organisation=w.employer, owner=CsoFactory()))
    cases = {
        "own": [w.case],
        "none": [],
        "unshared": [CaseFactory(organisation=w.employer)],
        "other_org": [referred(CaseFactory())],
        "two_csos": [w.case, other_cso_case],
    }[which_cases]
    with pytest.raises(services.PlanError, match=message):
        services.create_plan(
            w.employer_staff, w.employer, PlanAuthor.ORGANISATION, title, codes, cases
        )
    db.session.rollback()
    assert count(Plan) == 0 and audits("plan.create") == 0


def test_only_its_staff_write_an_organisations_plan(w):
    with pytest.raises(services.PlanError):
        services.create_plan(
            w.other_employer_staff, w.employer, PlanAuthor.ORGANISATION, "T", ["ILO-07"],
            [w.case],
        )  # fmt: skip
    with pytest.raises(services.PlanError):  # a brand is no CSO
        services.create_plan(w.brand_staff, w.employer, PlanAuthor.CSO, "T", ["ILO-07"], [])
    with pytest.raises(services.PlanError):  # another CSO's case
        services.create_plan(
            w.other_caseworker, w.employer, PlanAuthor.CSO, "T", ["ILO-07"], [w.case]
        )
    assert count(Plan) == 0


@pytest.mark.parametrize(
    ("text", "owner", "days", "message"),
    [
        ("", "HR", 10, "what will change"),
        ("Lockers", "", 10, "who will do it"),
        ("Lockers", "HR", -1, "between today"),
        ("Lockers", "HR", 5 * 365 + 30, "between today"),
        ("x" * 2001, "HR", 10, "too long"),
    ],
)
def test_bad_steps_are_refused(w, text, owner, days, message):
    plan = PlanFactory(organisation=w.employer, status=PlanStatus.DRAFT)
    with pytest.raises(services.PlanError, match=message):
        services.add_item(w.employer_staff, plan, text, owner, today() + timedelta(days=days))
    db.session.rollback()
    assert count(PlanItem) == 0


def test_steps_move_on_in_order_and_only_the_network_verifies(w):
    plan = PlanFactory(organisation=w.employer, status=PlanStatus.DRAFT)
    item = services.add_item(w.employer_staff, plan, "Lockers", "HR", today() + timedelta(7))
    with pytest.raises(services.PlanError):  # a draft's steps do not move yet
        services.progress(w.employer_staff, item, "", None)
    services.start(w.employer_staff, plan)
    assert plan.status == PlanStatus.ACTIVE and plan.started_on == today()
    with pytest.raises(services.PlanError):  # not the organisation's own step to take
        services.progress(w.caseworker, item, "", None)
    for step in (ItemStatus.POLICY_WRITTEN, ItemStatus.SYSTEM_IN_PLACE, ItemStatus.TRAINING_DONE):
        services.progress(w.employer_staff, item, f"Done: {step}", None)
        assert item.status == step and item.reached_on(step) == today()
    with pytest.raises(services.PlanError):  # the organisation cannot verify
        services.progress(w.employer_staff, item, "", None)
    for outsider in (w.employer_staff, w.other_caseworker, w.brand_staff):
        with pytest.raises(services.PlanError):
            services.verify(outsider, item)
    with pytest.raises(services.PlanError, match="why"):
        services.send_back(w.caseworker, item, "  ")
    services.send_back(w.caseworker, item, "The key register is missing.")
    assert item.status == ItemStatus.SYSTEM_IN_PLACE and item.returned_on == today()
    services.progress(w.employer_staff, item, "Register attached.", None)
    assert item.returned_reason is None and item.status == ItemStatus.TRAINING_DONE
    with pytest.raises(services.PlanError):  # not every step verified
        services.complete(w.caseworker, PlanFactory(organisation=w.employer,
                                                    items=[PlanItemFactory.build()]))  # fmt: skip
    services.verify(w.caseworker, item)
    assert item.status == ItemStatus.VERIFIED and item.verified_on == today()
    with pytest.raises(services.PlanError):  # verified is final
        services.send_back(w.caseworker, item, "Changed my mind")
    with pytest.raises(services.PlanError):
        services.complete(w.employer_staff, plan)
    services.complete(w.caseworker, plan)
    assert plan.status == PlanStatus.COMPLETED
    for action in ("item_add", "start", "item_progress", "item_send_back", "item_verify",
                   "complete"):  # fmt: skip
        assert audits(f"plan.{action}") >= 1, action


def test_evidence_files_are_sniffed_capped_kept_encrypted_and_replaced(w, app):
    item = PlanItemFactory(plan=PlanFactory(organisation=w.employer))
    services.progress(w.employer_staff, item, "Policy", PDF)
    assert item.evidence_type == "application/pdf"
    assert files.load(item.evidence_key) == PDF
    first = item.evidence_key
    services.progress(w.employer_staff, item, "", png())
    assert item.evidence_type == "image/png" and item.evidence == "Policy"
    with pytest.raises(FileNotFoundError):
        files.load(first)  # the old file is gone
    for bad in (b"<html><script>alert(1)</script>", b"%PDF" + b"x" * 1_000_000,
                b"\x89PNG\r\n\x1a\nnot really"):  # fmt: skip
        with pytest.raises(services.PlanError, match="PDF, JPEG or PNG"):
            services.progress(w.employer_staff, item, "", bad)
        db.session.rollback()
    assert item.status == ItemStatus.SYSTEM_IN_PLACE


def test_photos_are_written_again_without_their_metadata(w):
    import io

    from PIL import Image

    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    Image.new("RGB", (10, 10)).save(out, format="JPEG", exif=exif)
    item = PlanItemFactory(plan=PlanFactory(organisation=w.employer))
    services.progress(w.employer_staff, item, "", out.getvalue())
    kept = files.load(item.evidence_key)
    assert kept.startswith(b"\xff\xd8\xff") and b"PhoneMaker" not in kept


def test_late_steps_are_told_once_to_the_organisation(w, mailbox):
    plan = PlanFactory(organisation=w.employer, title="Passports kept by workers")
    late = PlanItemFactory(plan=plan, due_on=today() - timedelta(days=1))
    PlanItemFactory(plan=plan, due_on=today())  # due today: not late yet
    PlanItemFactory(plan=plan, due_on=today() - timedelta(days=3), status=ItemStatus.VERIFIED)
    draft = PlanFactory(organisation=w.employer, status=PlanStatus.DRAFT)
    PlanItemFactory(plan=draft, due_on=today() - timedelta(days=1))
    assert queries.overdue_count([plan]) == 1 and late.is_overdue(today())

    assert notices.remind_overdue(today()) == 1
    assert late.overdue_notified_on == today()
    message = mailbox.last_to(w.employer_staff.email)
    assert "Passports kept by workers" in text_of(message)
    assert f"/portal/{w.employer.id}/plans/{plan.public_id}" in text_of(message)
    assert notices.remind_overdue(today()) == 0
    # Tomorrow the step due today is late: told then, once.
    assert notices.remind_overdue(today() + timedelta(days=1)) == 1
    assert notices.remind_overdue(today() + timedelta(days=2)) == 0


def test_brands_see_their_suppliers_and_their_agencies_plans_once_under_way(w):
    employer_plan = PlanFactory(organisation=w.employer)
    agency_plan = PlanFactory(organisation=w.agency)
    PlanFactory(organisation=w.employer, status=PlanStatus.DRAFT)
    PlanFactory()  # someone else's supplier
    assert queries.brand_ids(employer_plan) == [w.brand.id]
    assert queries.brand_ids(agency_plan) == [w.brand.id]
    assert {p.id for p in queries.plans_for_brand(w.brand.id)} == {employer_plan.id, agency_plan.id}


def test_a_plan_names_only_cases_shared_with_the_organisation_to_outsiders(w):
    hidden = CaseFactory(organisation=w.employer, categories=_categories("ILO-07"))
    plan = PlanFactory(organisation=w.employer, cases=[w.case, hidden])
    assert queries.shared_case_references(plan) == [w.case]
