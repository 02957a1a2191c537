"""`flask keys rotate`: every encrypted column is re-encrypted with the first key, so a
secret written under an old key reads with the new key alone."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text

from goldendreams.accounts.models import SecondFactor
from goldendreams.core import crypto
from goldendreams.core.audit import AuditLog
from goldendreams.extensions import db
from tests.factories import TOTP_SECRET, UserFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_secret(user_id: int) -> str:
    return db.session.execute(
        text("SELECT secret FROM second_factors WHERE user_id = :id"), {"id": user_id}
    ).scalar_one()


def test_every_encrypted_column_is_found(app):
    assert "second_factors.secret" in {
        f"{column.table.name}.{column.name}" for column in crypto.encrypted_columns()
    }


def test_a_secret_written_with_an_old_key_reads_after_rotation_with_the_new_key(app):
    app.config["ENCRYPTION_KEYS"] = [OLD_KEY]
    user = UserFactory(second_factor=True)
    old_token = raw_secret(user.id)
    assert Fernet(OLD_KEY).decrypt(old_token.encode()).decode() == TOTP_SECRET

    app.config["ENCRYPTION_KEYS"] = f"{NEW_KEY},{OLD_KEY}"  # the environment's form
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "second_factors.secret: 1 values re-encrypted." in result.output

    new_token = raw_secret(user.id)
    assert new_token != old_token
    assert Fernet(NEW_KEY).decrypt(new_token.encode()).decode() == TOTP_SECRET
    app.config["ENCRYPTION_KEYS"] = [NEW_KEY]
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id).secret == TOTP_SECRET
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "keys.rotated"))
    assert entry.actor_id is None and entry.detail == {"values": 1}

    # The old key alone reads it no more: it can go.
    app.config["ENCRYPTION_KEYS"] = [OLD_KEY]
    db.session.expire_all()
    with pytest.raises(InvalidToken):
        db.session.get(SecondFactor, user.id)


def test_a_site_setting_keys_of_its_own_still_reads_what_the_default_key_wrote(app):
    """Before ENCRYPTION_KEYS is set, a key derived from the site's secret encrypts; once it
    is set, that key still decrypts (until `flask keys rotate`), never encrypts."""
    app.config["ENCRYPTION_KEYS"] = []
    user = UserFactory(second_factor=True)
    written_by_default = raw_secret(user.id)
    app.config["ENCRYPTION_KEYS"] = NEW_KEY
    db.session.expire_all()
    assert db.session.get(SecondFactor, user.id).secret == TOTP_SECRET
    assert crypto.decrypt(written_by_default) == TOTP_SECRET
    assert Fernet(NEW_KEY).decrypt(crypto.encrypt("x").encode()) == b"x"  # new ones: own key
