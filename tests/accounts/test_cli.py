from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.extensions import db
from tests.factories import AgencyFactory


def test_create_user_prompts_for_password_without_echo(app):
    agency = AgencyFactory(name="Prompt Agency")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "staff@example.org",
            "--role",
            "agency_staff",
            "--org",
            "Prompt Agency",
        ],
        input="a secret password\na secret password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a secret password" not in result.output
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role, user.organisation_id) == (
        "staff@example.org",
        "agency_staff",
        agency.id,
    )


def test_create_user_by_org_id_and_list(app):
    agency = AgencyFactory()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--role",
            "agency_staff",
            "--org",
            str(agency.id),
            "--locale",
            "th",
            "--password",
            "long enough pw",
        ],
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(User)).one().preferred_locale == "th"
    listing = runner.invoke(args=["users", "list"]).output
    assert "a@example.org" in listing and agency.name in listing


def test_create_user_errors_are_clear(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--role",
            "brand",
            "--password",
            "long enough pw",
        ],
    )
    assert result.exit_code != 0 and "needs an organisation" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--role",
            "agency_staff",
            "--org",
            "No Such Org",
            "--password",
            "long enough pw",
        ],
    )
    assert result.exit_code != 0 and "no organisation" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--role",
            "pope",
            "--password",
            "long enough pw",
        ],
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User.id)) is None


def test_deactivate(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "d@example.org",
            "--role",
            "moderator",
            "--password",
            "long enough pw",
        ]
    )
    result = runner.invoke(args=["users", "deactivate", "--email", "d@example.org"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(select(User)).one().active is False


def test_set_password_for_a_forgotten_one_ends_every_session(app, client, user_for):
    from goldendreams.accounts import services
    from goldendreams.core.auth import Role
    from tests.conftest import login

    user = user_for(Role.CASEWORKER)
    login(client, user)
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["users", "set-password", "--email", user.email, "--password", "password1234"]
    )
    assert weak.exit_code != 0 and "too easy" in weak.output
    result = runner.invoke(
        args=["users", "set-password", "--email", user.email.upper()],
        input="a kettle of green tea\na kettle of green tea\n",
    )
    assert result.exit_code == 0, result.output
    assert "green tea" not in result.output
    db.session.expire_all()
    assert services.authenticate(user.email, "a kettle of green tea") == user
    assert client.get("/staff/").status_code == 302  # the open session ended
    missing = runner.invoke(
        args=["users", "set-password", "--email", "no@example.org", "--password", "x" * 20]
    )
    assert missing.exit_code != 0 and "no account" in missing.output
