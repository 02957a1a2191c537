from datetime import timedelta

import pytest
from sqlalchemy import select

from goldendreams.agencies import services
from goldendreams.agencies.models import Organisation, OrganisationLink
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.factories import AgencyFactory, BuyerFactory, OrganisationFactory, UserFactory


def audit_actions(org_id):
    query = select(AuditLog.action).filter_by(target_type="organisation", target_id=org_id)
    return list(db.session.scalars(query.order_by(AuditLog.id)))


def test_create_organisation_normalises_and_audits(app):
    admin = UserFactory(role="admin")
    org = services.create_organisation(
        admin,
        kind="agency",
        name="  Golden   Lotus  ",
        country="MM",
        sector="recruitment",
        licence_number="L-1",
        licence_status="valid",
    )
    assert org.name == "Golden Lotus"
    assert org.sort_name == "golden lotus"
    assert org.verified is False
    assert audit_actions(org.id) == ["organisation.create"]


def test_licence_fields_are_cleared_for_non_agencies(app):
    org = services.create_organisation(
        None,
        kind="employer",
        name="Factory",
        country="TH",
        licence_number="X",
        licence_status="valid",
        licence_expiry=today(),
    )
    assert (org.licence_number, org.licence_status, org.licence_expiry) == (None, None, None)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "bank", "name": "X", "country": "TH"},
        {"kind": "employer", "name": "", "country": "TH"},
        {"kind": "employer", "name": "X", "country": "US"},
        {"kind": "employer", "name": "X", "country": "TH", "sector": "mining"},
        {"kind": "agency", "name": "X", "country": "TH", "licence_status": "great"},
    ],
)
def test_invalid_organisations_are_refused(app, fields):
    with pytest.raises(services.DirectoryError):
        services.create_organisation(None, **fields)
    db.session.rollback()
    assert db.session.scalar(select(Organisation.id)) is None


def test_unknown_fields_are_refused(app):
    with pytest.raises(services.DirectoryError):
        services.create_organisation(None, kind="employer", name="X", country="TH", verified=True)


def test_update_records_changed_fields(app):
    org = OrganisationFactory(name="Old name")
    services.update_organisation(org, None, name="New name", province="Rayong")
    entry = db.session.scalars(select(AuditLog).filter_by(action="organisation.update")).one()
    assert entry.detail == {"fields": ["name", "province"]}
    assert org.sort_name == "new name"


def test_update_with_bad_value_changes_nothing(app):
    org = OrganisationFactory(name="Keep me", country="TH")
    with pytest.raises(services.DirectoryError):
        services.update_organisation(org, None, country="XX")
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).country == "TH"


def test_verify_and_unverify_are_audited(app):
    org = OrganisationFactory()
    services.set_verified(org, True, None)
    services.set_verified(org, True, None)  # no change, no entry
    services.set_verified(org, False, None)
    assert audit_actions(org.id) == ["organisation.verify", "organisation.unverify"]


def test_link_kinds_follow_the_organisations(app):
    agency, employer, buyer = AgencyFactory(), OrganisationFactory(), BuyerFactory()
    link = services.add_link(employer, agency, None)  # either order
    assert (link.kind, link.source_id, link.target_id) == ("recruits_for", agency.id, employer.id)
    link = services.add_link(buyer, employer, None)
    assert (link.kind, link.source_id, link.target_id) == ("buys_from", buyer.id, employer.id)


@pytest.mark.parametrize(
    "pair", [("agency", "agency"), ("buyer", "agency"), ("employer", "employer")]
)
def test_impossible_links_are_refused(app, pair):
    makers = {"agency": AgencyFactory, "buyer": BuyerFactory, "employer": OrganisationFactory}
    with pytest.raises(services.DirectoryError):
        services.add_link(makers[pair[0]](), makers[pair[1]](), None)


def test_duplicate_link_is_refused(app):
    agency, employer = AgencyFactory(), OrganisationFactory()
    services.add_link(agency, employer, None)
    with pytest.raises(services.DirectoryError):
        services.add_link(employer, agency, None)
    assert len(db.session.scalars(select(OrganisationLink)).all()) == 1


def test_remove_link(app):
    agency, employer = AgencyFactory(), OrganisationFactory()
    link = services.add_link(agency, employer, None)
    services.remove_link(link, None)
    assert db.session.scalar(select(OrganisationLink.id)) is None
    assert audit_actions(agency.id) == ["link.create", "link.delete"]


def test_kind_cannot_change_while_links_do_not_fit(app):
    agency, employer = AgencyFactory(), OrganisationFactory()
    services.add_link(agency, employer, None)
    with pytest.raises(services.DirectoryError):
        services.update_organisation(employer, None, kind="buyer")
    with pytest.raises(services.DirectoryError):
        services.update_organisation(agency, None, kind="employer")
    db.session.expire_all()
    assert db.session.get(Organisation, employer.id).kind == "employer"
    assert db.session.get(Organisation, agency.id).kind == "agency"


def test_licence_state_derives_expiry(app):
    agency = AgencyFactory(licence_status="valid", licence_expiry=today() - timedelta(days=1))
    assert agency.licence_state() == "expired"
    agency.licence_expiry = today()
    assert agency.licence_state() == "valid"
    agency.licence_status = "suspended"
    assert agency.licence_state() == "suspended"
    agency.licence_status = None
    assert agency.licence_state() is None


def test_contact_update_touches_only_contact_fields(app):
    org = OrganisationFactory(name="Same")
    with pytest.raises(services.DirectoryError):
        services.update_contact(org, None, name="Other")
    services.update_contact(org, None, contact_phone=" +66 2 123 4567 ", website=None)
    assert org.contact_phone == "+66 2 123 4567"
    assert org.name == "Same"


def test_links_need_existing_organisations(app):
    from sqlalchemy.exc import IntegrityError

    agency = AgencyFactory()
    db.session.add(OrganisationLink(kind="recruits_for", source_id=agency.id, target_id=999999))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_kind_cannot_change_under_staff_accounts(app):
    employer = OrganisationFactory()
    UserFactory(role="employer_staff", organisation=employer)
    with pytest.raises(services.DirectoryError):
        services.update_organisation(employer, None, kind="agency")
    db.session.expire_all()
    assert db.session.get(Organisation, employer.id).kind == "employer"
    services.update_organisation(employer, None, name="Renamed, same kind")


def test_audit_lists_licence_fields_cleared_by_a_kind_change(app):
    agency = AgencyFactory()
    services.update_organisation(agency, None, kind="employer")
    entry = db.session.scalars(select(AuditLog).filter_by(action="organisation.update")).one()
    assert entry.detail["fields"] == [
        "kind",
        "licence_authority",
        "licence_expiry",
        "licence_number",
        "licence_status",
    ]
