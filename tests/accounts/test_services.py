import pytest

from goldendreams.accounts import services
from goldendreams.core.auth import Role
from tests.factories import AgencyFactory, BuyerFactory, OrganisationFactory, network_cso


def test_email_is_normalised(app):
    user = services.create_user("  Mod@Example.ORG ", "long enough pw", "moderator")
    assert user.email == "mod@example.org"
    assert services.authenticate("MOD@example.org", "long enough pw") == user


@pytest.mark.parametrize(
    ("email", "password", "role", "org", "message"),
    [
        ("not an email", "long enough pw", "admin", None, "valid email"),
        ("a@example.org", "short", "admin", None, "at least"),
        ("a@example.org", "long enough pw", "king", None, "unknown role"),
        ("a@example.org", "long enough pw", "agency_staff", None, "needs an organisation"),
        ("a@example.org", "long enough pw", "agency_staff", "employer", "kind agency"),
        ("a@example.org", "long enough pw", "brand", "agency", "kind buyer"),
        ("a@example.org", "long enough pw", "admin", "employer", "not tied"),
    ],
)
def test_account_rules(app, email, password, role, org, message):
    makers = {"employer": OrganisationFactory, "agency": AgencyFactory}
    organisation = makers[org]() if org else None
    with pytest.raises(services.AccountError, match=message):
        services.create_user(email, password, role, organisation=organisation)


def test_duplicate_email_is_refused(app):
    services.create_user("a@example.org", "long enough pw", "admin")
    with pytest.raises(services.AccountError, match="exists"):
        services.create_user("A@example.org", "long enough pw", "caseworker", network_cso())


def test_org_roles_get_their_organisation(app):
    buyer = BuyerFactory()
    user = services.create_user("b@example.org", "long enough pw", Role.BRAND, organisation=buyer)
    assert user.organisation == buyer and user.is_org_staff


def test_authenticate_refuses_wrong_password_unknown_and_inactive(app):
    user = services.create_user("c@example.org", "long enough pw", "moderator")
    assert services.authenticate("c@example.org", "wrong password") is None
    assert services.authenticate("nobody@example.org", "long enough pw") is None
    services.set_active(user, False)
    assert services.authenticate("c@example.org", "long enough pw") is None
