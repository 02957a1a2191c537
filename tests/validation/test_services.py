"""The rules of validation: who signs off and when, what a file must be, sharing only with
the worker's consent, the CSO's rule, and how a resolved case closes."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select, text

from goldendreams.cases import services as case_services
from goldendreams.core import files, images
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.validation import evidence, queries, services
from goldendreams.validation.models import SignOff, ValidationRule, Verification
from tests.collective.factories import CollectiveFactory, MemberFactory
from tests.factories import CaseFactory, CsoFactory, UserFactory
from tests.validation.factories import (
    FILENAME,
    JPEG,
    PDF,
    PNG,
    STATEMENT,
    brand_consent,
    picture,
    remediated,
)


def upload(data: bytes, name: str = FILENAME) -> evidence.Upload:
    class Storage:
        filename = name

        def __init__(self) -> None:
            import io

            self.stream = io.BytesIO(data)

    return evidence.read(Storage())


def stored_files(app) -> set[str]:
    folder = Path(app.instance_path) / "files"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def audits(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).filter_by(action=action)))


@pytest.fixture
def case():
    return remediated()


@pytest.fixture
def staff(case):
    return UserFactory(role=Role.EMPLOYER_STAFF, organisation=case.organisation)


def test_the_first_bytes_say_what_a_file_is():
    assert evidence.sniff(PDF) == "application/pdf"
    assert evidence.sniff(PNG) == "image/png"
    assert evidence.sniff(JPEG) == "image/jpeg"
    assert evidence.sniff(b"MZ\x90\x00 an exe named receipt.pdf") is None
    assert evidence.sniff(b"<html><script>") is None


def test_an_organisation_signs_off_with_evidence_kept_encrypted(app, case, staff):
    before = stored_files(app)
    signoff = services.sign_off(case, staff, STATEMENT, "HR manager", [upload(PDF), upload(PNG)])

    assert [e.content_type for e in signoff.evidence] == ["application/pdf", "image/png"]
    assert signoff.signed_on == today() and signoff.shared_with_brands is False
    new = stored_files(app) - before
    assert len(new) == 2
    for name in new:  # ciphertext under a random name
        assert PDF not in (Path(app.instance_path) / "files" / name).read_bytes()
    raw = db.session.execute(text("SELECT filename FROM validation_evidence")).scalars().all()
    assert raw and FILENAME not in raw  # the original name is encrypted
    raw_statement = db.session.execute(text("SELECT statement FROM validation_signoffs")).scalar()
    assert STATEMENT not in raw_statement
    (entry,) = audits("validation.sign_off")
    assert entry.target_id == case.id and entry.detail["files"] == 2


def test_the_browser_type_is_not_trusted(app):
    with pytest.raises(evidence.EvidenceError):
        upload(b"<svg onload=alert(1)>", "receipt.png")
    with pytest.raises(evidence.EvidenceError):
        upload(b"", "empty.pdf")


def _phone_photo(image_format: str) -> bytes:
    """A photo as a phone takes it: where (GPS), the phone's make, turned by EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMakerZQ"
    exif[ExifTags.Base.Orientation] = 6  # shown turned a quarter
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (16.0, 42.0, 5.0)
    data = picture(image_format, exif=exif)
    with Image.open(io.BytesIO(data)) as image:  # the fixture really carries it
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_photo_is_kept_without_its_exif_and_gps(app, image_format):
    """Evidence may reach brands: a phone's photo loses where it was taken and the phone's
    make; it is turned upright from its pixels instead."""
    sent = _phone_photo(image_format)
    kept = upload(sent, f"receipt.{image_format.lower()}")
    assert kept.content_type == evidence.sniff(sent)
    assert b"PhoneMakerZQ" not in kept.data and b"Exif" not in kept.data
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.format == image_format
        assert not image.getexif()
        assert image.size == (6, 8)  # upright: the orientation was applied, then dropped
    key = evidence.store_all([kept])[0]
    assert b"PhoneMakerZQ" not in files.load(key)
    evidence.erase([key])


def test_a_broken_or_huge_photo_is_refused(app, monkeypatch):
    with pytest.raises(evidence.EvidenceError):
        upload(JPEG[:20] + b"\x00" * 40, "cut.jpg")  # starts like a JPEG, is not one
    monkeypatch.setattr(images, "MAX_PIXELS", 40)  # 8 x 6 = 48 pixels: a "bomb" here
    with pytest.raises(evidence.EvidenceError):
        upload(PNG, "bomb.png")


def test_a_file_over_the_cap_is_refused(app):
    app.config["VALIDATION_EVIDENCE_MAX_BYTES"] = 100
    with pytest.raises(evidence.EvidenceError):
        upload(PDF + b"x" * 200)


@pytest.mark.parametrize(
    ("statement", "title", "files"),
    [("", "HR manager", 1), (STATEMENT, "   ", 1), (STATEMENT, "HR manager", 0),
     ("x" * 3001, "HR manager", 1), (STATEMENT, "HR manager", 6)],
)  # fmt: skip
def test_bad_input_stores_nothing(app, case, staff, statement, title, files):
    before = stored_files(app)
    with pytest.raises(services.ValidationError):
        services.sign_off(case, staff, statement, title, [upload(PDF)] * files)
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0
    assert stored_files(app) == before


def test_only_the_organisation_signs_off_and_only_after_a_fix_while_open(app, staff, case):
    other = UserFactory(role=Role.EMPLOYER_STAFF)
    caseworker = UserFactory(role=Role.CASEWORKER)
    for actor in (other, caseworker):
        with pytest.raises(services.ValidationError):
            services.sign_off(case, actor, STATEMENT, "HR", [upload(PDF)])
    no_fix = CaseFactory(organisation=case.organisation, status="referred")
    from tests.factories import referred

    referred(no_fix)
    with pytest.raises(services.ValidationError):
        services.sign_off(no_fix, staff, STATEMENT, "HR", [upload(PDF)])
    case.status = "closed"
    db.session.commit()
    with pytest.raises(services.ValidationError):
        services.sign_off(case, staff, STATEMENT, "HR", [upload(PDF)])
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


def test_a_new_sign_off_replaces_the_last_and_history_stays(app, case, staff):
    first = services.sign_off(case, staff, STATEMENT, "HR manager", [upload(PDF)])
    second = services.sign_off(case, staff, "All paid now", "Director", [upload(JPEG)])
    assert queries.latest_signoff(case) == second
    assert queries.signoffs(case) == [second, first]


def test_sharing_with_brands_needs_the_workers_consent(app, case, staff):
    services.sign_off(case, staff, STATEMENT, "HR manager", [upload(PDF)])
    caseworker = UserFactory(role=Role.CASEWORKER)
    with pytest.raises(services.ValidationError):
        services.share(case, caseworker, True)
    assert queries.latest_signoff(case).shared_with_brands is False
    brand_consent(case)
    services.share(case, caseworker, True)
    assert queries.latest_signoff(case).shared_with_brands is True
    with pytest.raises(services.ValidationError):  # another CSO's caseworker
        services.share(case, UserFactory(role=Role.CASEWORKER, organisation=CsoFactory()), False)
    assert [a.detail["shared"] for a in audits("validation.share")] == [True]


def test_nothing_to_share_without_a_sign_off(app, case):
    with pytest.raises(services.ValidationError):
        services.share(case, UserFactory(role=Role.CASEWORKER), True)


def test_the_caseworker_records_how_they_verified(app, case):
    caseworker = UserFactory(role=Role.CASEWORKER)
    services.verify(case, caseworker, ["site_visit", "documents"], "Saw the payroll", today())
    (row,) = db.session.scalars(select(Verification))
    assert row.methods == ["documents", "site_visit"]
    assert audits("validation.verify")[0].detail["methods"] == ["documents", "site_visit"]


@pytest.mark.parametrize(
    ("methods", "note", "days"),
    [([], "note", 0), (["phone_call"], "note", 0), (["documents"], "", 0),
     (["documents"], "note", -1), (["documents"], "note", 400)],
)  # fmt: skip
def test_a_verification_needs_a_method_a_note_and_a_plausible_date(app, case, methods, note, days):
    with pytest.raises(services.ValidationError):
        services.verify(
            case, UserFactory(role=Role.CASEWORKER), methods, note, today() - timedelta(days=days)
        )
    assert not queries.is_verified(case)


def test_verification_only_while_open_and_fixed(app):
    caseworker = UserFactory(role=Role.CASEWORKER)
    new = CaseFactory(status="triaged")
    with pytest.raises(services.ValidationError):
        services.verify(new, caseworker, ["documents"], "note", today())


def test_the_rule_is_set_by_the_cso_admin_or_a_site_admin(app):
    cso = UserFactory(role=Role.CASEWORKER).organisation
    assert queries.rule_for(cso.id) == queries.Rule(50, 1)
    for actor in (UserFactory(role=Role.CASEWORKER),  # not the CSO's admin
                  UserFactory(role=Role.CASEWORKER, organisation=CsoFactory(), org_admin=True),
                  UserFactory(role=Role.EMPLOYER_STAFF, org_admin=True)):  # fmt: skip
        with pytest.raises(services.ValidationError):
            services.set_rule(actor, cso, 70, 3)
    services.set_rule(UserFactory(role=Role.CASEWORKER, org_admin=True), cso, 70, 3)
    assert queries.rule_for(cso.id) == queries.Rule(70, 3, own=True)
    services.set_rule(UserFactory(role=Role.ADMIN), cso, 60, 2)
    assert queries.rule_for(cso.id) == queries.Rule(60, 2, own=True)
    assert db.session.scalar(select(func.count()).select_from(ValidationRule)) == 1
    assert [a.detail for a in audits("validation.rule")] == [
        {"before": [50, 1], "after": [70, 3]}, {"before": [70, 3], "after": [60, 2]},
    ]  # fmt: skip


@pytest.mark.parametrize(("percent", "answers"), [(0, 1), (101, 1), (50, 0), ("50", 1)])
def test_a_rule_out_of_bounds_is_refused(app, percent, answers):
    cso = UserFactory(role=Role.CASEWORKER).organisation
    with pytest.raises(services.ValidationError):
        services.set_rule(UserFactory(role=Role.ADMIN), cso, percent, answers)
    assert not queries.rule_for(cso.id).own


def resolved_case(answer=None, **fields):
    case = remediated(status="resolved", code_hash=None, **fields)
    case.worker_answer = answer
    db.session.commit()
    return case


@pytest.mark.parametrize(
    ("answer", "verified", "outcome"),
    [("yes", False, "resolved_confirmed"), ("yes", True, "resolved_confirmed"),
     ("no", False, "resolved_unconfirmed"), ("no", True, "resolved_verified"),
     (None, True, "resolved_verified"), (None, False, "resolved_unconfirmed"),
     ("partly", True, "resolved_verified")],
)  # fmt: skip
def test_a_single_worker_case_closes_as_before_or_verified(app, answer, verified, outcome):
    case = resolved_case(answer)
    caseworker = UserFactory(role=Role.CASEWORKER)
    if verified:
        services.verify(case, caseworker, ["worker_interviews"], "We met them", today())
    case_services.close_resolved(case, caseworker)
    assert (case.status, case.outcome) == ("closed", outcome)
    (entry,) = audits("case.close")  # one audit entry, in the one transaction
    assert entry.detail == {"outcome": outcome}


def test_the_cso_rule_decides_for_a_collective(app):
    collective = CollectiveFactory()
    cases = [MemberFactory(collective=collective).case for _ in range(5)]
    for case, answer in zip(cases, ["yes", "yes", "partly", None, None], strict=True):
        remediated(case)
        case.worker_answer = answer
    cases[3].code_hash = "a" * 64  # can answer with a code, has not yet
    db.session.commit()
    tally = queries.tally(cases[0])
    assert (tally.covered, tally.reachable, tally.yes, tally.partly, tally.answered) == (
        5, 4, 2, 1, 3,
    )  # fmt: skip
    assert tally.meets(queries.Rule(50, 1)) and not tally.meets(queries.Rule(51, 1))
    assert not tally.meets(queries.Rule(50, 4))
    assert tally.shown_share is None  # 2 of 4 said yes: 2 did not, a small count
    assert tally.not_fixed == (cases[2],)
    admin = UserFactory(role=Role.CASEWORKER, org_admin=True)
    services.set_rule(admin, cases[0].owner, 75, 1)
    cases[0].status = "resolved"
    db.session.commit()
    case_services.close_resolved(cases[0], admin)
    assert cases[0].outcome == "resolved_unconfirmed"


def test_the_share_is_shown_outside_only_from_three_reachable_workers(app):
    assert queries.Tally(covered=2, reachable=2, yes=2, partly=0, no=0).shown_share is None
    assert queries.Tally(covered=3, reachable=3, yes=3, partly=0, no=0).shown_share == 100
    assert queries.Tally(covered=3, reachable=3, yes=0, partly=2, no=1).shown_share == 0
    assert queries.Tally(covered=9, reachable=9, yes=6, partly=0, no=3).shown_share == 70


def test_the_share_never_tells_one_or_two_answers(app):
    """With 3 reachable workers, 10-point steps gave 33 % → 30 and 67 % → 70: the exact
    count who said yes, moving as each one answered. The trends rule hides it."""
    for yes in (1, 2):
        tally = queries.Tally(covered=3, reachable=3, yes=yes, partly=0, no=3 - yes)
        assert tally.shown_share is None
    assert queries.Tally(covered=9, reachable=7, yes=5, partly=0, no=2).shown_share is None
    assert queries.Tally(covered=9, reachable=7, yes=1, partly=0, no=0).shown_share is None
    # Each count as the answers come in: shown only when both sides are 0 or 3 and more.
    for reachable in range(0, 12):
        for yes in range(reachable + 1):
            tally = queries.Tally(covered=reachable, reachable=reachable, yes=yes, partly=0,
                                  no=reachable - yes)  # fmt: skip
            others = reachable - yes
            hidden = reachable < 3 or yes in (1, 2) or others in (1, 2)
            assert (tally.shown_share is None) == hidden


def test_without_validation_the_old_rule_holds(app):
    app.extensions.pop(case_services.OUTCOME_RULE)
    case = resolved_case("no")
    services.verify(case, UserFactory(role=Role.CASEWORKER), ["documents"], "n", today())
    case_services.close_resolved(case, UserFactory(role=Role.CASEWORKER))
    assert case.outcome == "resolved_unconfirmed"
