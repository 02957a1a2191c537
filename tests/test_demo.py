from collections import Counter

import pytest
from sqlalchemy import func, select

from goldendreams.accounts import permissions
from goldendreams.accounts.models import User
from goldendreams.agencies import queries
from goldendreams.agencies.models import Organisation, OrganisationLink
from goldendreams.cases.models import Case
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs.models import Job
from goldendreams.reviews.models import OrganisationScore, Review

SCRIPTS = {  # a letter range for each country's script
    "TH": ("\u0e00", "\u0e7f"),
    "MM": ("\u1000", "\u109f"),
    "KH": ("\u1780", "\u17ff"),
    "LA": ("\u0e80", "\u0eff"),
    "NP": ("\u0900", "\u097f"),
}


def snapshot():
    orgs = sorted(
        (o.name, o.kind, o.country, o.licence_status, str(o.licence_expiry), o.verified)
        for o in db.session.scalars(select(Organisation))
    )
    links = sorted(
        (link.kind, link.source_id, link.target_id)
        for link in db.session.scalars(select(OrganisationLink))
    )
    users = sorted((u.email, u.role, u.organisation_id) for u in db.session.scalars(select(User)))
    reviews = sorted(
        (r.organisation_id, r.title, r.status) for r in db.session.scalars(select(Review))
    )
    jobs = sorted((j.agency_id, j.status) for j in db.session.scalars(select(Job)))
    cases = sorted((c.reference, c.status) for c in db.session.scalars(select(Case)))
    return orgs, links, users, reviews, jobs, cases


def test_demo_data_is_realistic_and_loads_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    first = snapshot()
    orgs, links, users, _reviews, _jobs, _cases = first

    assert len(orgs) >= 40
    assert {o[2] for o in orgs if o[1] == "employer"} == {"TH", "MY"}
    assert {o[2] for o in orgs if o[1] == "agency"} == {"MM", "KH", "LA", "NP", "TH", "MY"}
    states = Counter(
        o.licence_state() for o in db.session.scalars(select(Organisation).filter_by(kind="agency"))
    )
    assert states["expired"] >= 2 and states["valid"] >= 5 and states["suspended"] >= 1
    for country, (low, high) in SCRIPTS.items():
        local = db.session.scalars(select(Organisation.name_local).filter_by(country=country))
        assert any(name and any(low <= ch <= high for ch in name) for name in local), country
    assert db.session.scalar(select(func.count()).where(Organisation.is_demo.is_(False))) == 0
    kinds = {"recruits_for", "buys_from", "member_of", "works_with"}
    assert {kind for kind, _s, _t in links} == kinds
    assert {role for _e, role, _o in users} == {role.value for role in Role}
    for role in Role:
        assert role.value in result.output
    assert "fictional" in result.output

    reviews = list(db.session.scalars(select(Review)))
    assert sum(r.status == "published" for r in reviews) >= 6
    pending = [r for r in reviews if r.status == "pending"]
    assert len({r.language for r in pending}) >= 4  # a queue in several scripts
    assert any(r.zawgyi_converted for r in pending)
    assert any(r.redactions for r in pending)
    assert len(list(db.session.scalars(select(OrganisationScore).where(
        OrganisationScore.rating.is_not(None))))) >= 2  # fmt: skip

    jobs = list(db.session.scalars(select(Job)))
    published = [job for job in jobs if job.status == "published"]
    assert len(published) >= 4
    # Issue 21: one job order waits for its employer, one is confirmed, one has a chain.
    assert [job.order_decision for job in jobs if job.status != "published"] == ["pending"]
    assert any(job.order_decision == "confirmed" for job in published)
    assert any(job.origin_agency_id for job in published)
    assert any(job.employer_pays for job in jobs) and not all(job.employer_pays for job in jobs)
    assert {job.destination_country for job in jobs} == {"TH", "MY"}

    # The network's CSOs: an NGO in Myanmar and one in Thailand, a union in Malaysia.
    csos = {(o[1], o[2]) for o in orgs if o[1] in ("ngo", "union")}
    assert {("ngo", "MM"), ("ngo", "TH"), ("union", "MY")} <= csos
    assert all(o.is_demo and o.services for o in queries.partners())

    # The network's other members: a government office, an association with members.
    office = db.session.scalar(select(Organisation).filter_by(kind="government"))
    assert (office.office_kind, office.country, office.is_demo) == ("labour_inspection", "TH", True)
    association = db.session.scalar(select(Organisation).filter_by(kind="association"))
    members = [
        db.session.get(Organisation, source)
        for kind, source, target in links
        if kind == "member_of" and target == association.id
    ]
    assert len(members) >= 2 and all(m.kind == "employer" for m in members)

    # Every case is the Mae Sot centre's: routed there, or logged by its caseworker. The
    # first two walk the workflow; the loop's seeds (issue 20) add a case at each stage up
    # to closed and confirmed by the workers, and a year of history for the trends.
    mae_sot = db.session.scalar(select(Organisation).filter_by(name=MAE_SOT))
    cases = list(db.session.scalars(select(Case).order_by(Case.id)))
    assert [c.status for c in cases[:2]] == ["in_remediation", "referred"]
    assert {c.owner_id for c in cases} == {mae_sot.id}
    assert "resolved_confirmed" in {c.outcome for c in cases}

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    db.session.expire_all()
    assert snapshot() == first


MAE_SOT = "Mae Sot Workers' Rights Centre"


def test_every_member_of_the_network_has_a_login_with_its_organisation(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    accounts = {u.email: u for u in db.session.scalars(select(User))}
    expected = {
        "caseworker": ("ngo", False),
        "cso-admin": ("ngo", True),
        "mobilizer": ("ngo", False),
        "government": ("government", False),
        "association": ("association", False),
        "agency": ("agency", False),
        "employer": ("employer", False),
        "brand": ("buyer", False),
    }
    for name, (kind, org_admin) in expected.items():
        user = accounts[f"{name}@demo.goldendreams.example"]
        assert (user.organisation.kind, user.org_admin) == (kind, org_admin), name
        assert user.organisation.name in result.output
    cso_admin = accounts["cso-admin@demo.goldendreams.example"]
    assert cso_admin.organisation.name == "Golden Path Migrant Support (Yangon)"
    assert permissions.may_manage_colleagues(cso_admin)
    assert accounts["mobilizer@demo.goldendreams.example"].organisation.name == MAE_SOT
    assert "caseworker+admin" in result.output


@pytest.mark.parametrize("who", ["government", "mobilizer", "cso-admin"])
def test_demo_members_who_read_workers_words_set_up_two_step_login(app, client, who):
    app.test_cli_runner().invoke(args=["demo"])
    from goldendreams.demo import DEMO_PASSWORD

    data = {"email": f"{who}@demo.goldendreams.example", "password": DEMO_PASSWORD}
    assert client.post("/login", data=data).headers["Location"] == "/staff/"
    assert client.get("/cases/").headers["Location"] == "/staff/two-factor"


def test_demo_logins_work(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    from goldendreams.demo import DEMO_PASSWORD

    response = client.post(
        "/login", data={"email": "agency@demo.goldendreams.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/portal/", follow_redirects=True).status_code == 200


def test_demo_pages_say_the_data_is_made_up(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    org = db.session.scalars(select(Organisation)).first()
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "made-up organisation" in page


def test_demo_refuses_a_database_with_real_organisations(app):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="A real company", is_demo=False)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "real organisations" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_logins_say_which_organisation_each_account_belongs_to(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.output.splitlines() if "@demo." in line}
    users = db.session.scalars(select(User).where(User.email.in_(lines)))
    assert {u.email for u in users} == set(lines)
    for user in db.session.scalars(select(User).where(User.email.in_(lines))):
        if user.organisation_id is None:
            assert lines[user.email].endswith("no organisation: staff of the whole site")
        else:
            org = db.session.get(Organisation, user.organisation_id)
            assert lines[user.email].endswith(org.name), lines[user.email]


def test_start_script_says_what_it_does_before_each_step():
    from pathlib import Path

    script = Path(__file__).parents[1] / "scripts" / "start.sh"
    lines = [line.strip() for line in script.read_text().splitlines()]
    steps = [n for n, line in enumerate(lines) if line.startswith(("scripts/", "$flask", "exec "))]
    assert len(steps) >= 5  # setup, database, demo data, search index, the server
    for n in steps:
        assert lines[n - 1].startswith("say "), f"no line printed before: {lines[n]}"
    assert "about a minute" in script.read_text()
