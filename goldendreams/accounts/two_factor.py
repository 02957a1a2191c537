"""The second factor: TOTP codes (RFC 6238) from an authenticator app, and recovery codes.

Codes are the common ones authenticator apps make: 30-second steps, 6 digits, HMAC-SHA-1
(what every app supports). A code is accepted one step either side of the server's clock (a
phone's clock drifts, typing takes time), and never twice: ``SecondFactor.last_step`` keeps
the step of the last code accepted, and only later steps count. Recovery codes are for a
lost phone: ten, shown once, kept as SHA-256 hashes, each good once.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from goldendreams.accounts.models import RecoveryCode, SecondFactor, User
from goldendreams.core import audit
from goldendreams.core.base import utcnow
from goldendreams.extensions import db

STEP_SECONDS = 30
DIGITS = 6
#: Steps either side of the server's clock a code may come from.
WINDOW = 1
RECOVERY_CODES = 10
#: Base32 letters (no 0, 1, 8 or 9, which look like O, I and B): 10 of them are 50 bits.
RECOVERY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
RECOVERY_LENGTH = 10
#: What people mistype for base32 letters.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


class TwoFactorError(ValueError):
    """The second factor could not be set up or changed; the message says why."""


def current_step() -> int:
    """The TOTP time step now (tests replace this to stand at a step of their choosing)."""
    return int(time.time()) // STEP_SECONDS


def is_required(user: User) -> bool:
    """Roles in ``TWO_FACTOR_ROLES`` read workers' words and contacts: they must use one."""
    return user.role in current_app.config["TWO_FACTOR_ROLES"]


def factor_of(user: User) -> SecondFactor | None:
    """The user's second factor, confirmed or waiting for its first code, or None (never
    set up, or reset by an administrator)."""
    return db.session.get(SecondFactor, user.id)


def is_enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def must_enrol(user: User) -> bool:
    """A required role without a confirmed second factor: only enrolment is open to them."""
    return is_required(user) and not is_enrolled(user)


def recovery_codes_left(user: User) -> int:
    query = select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(query) or 0


# --- enrolment -------------------------------------------------------------------------------


def pending_secret(user: User) -> str:
    """The secret of an enrolment in progress, made on first asking and kept until confirmed
    (so a page opened again shows the key the phone may already hold)."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise TwoFactorError(_("Your two-step login is already set up."))
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), last_step=0)
        db.session.add(factor)
        db.session.commit()
    return factor.secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SITE_NAME"]
    )


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline ``<svg>``: no XML declaration and no style
    attribute (the Content-Security-Policy refuses inline styles), a white background with
    its quiet zone, so it scans on any page colour."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, light="#fff", dark="#000", svgclass="qr", lineclass=None, title=_("QR code")
    )


def grouped(text: str, size: int = 4) -> str:
    """A key as people copy it: groups of ``size`` letters."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def confirm(user: User, code: str) -> list[str]:
    """Finish enrolment with a first correct code; returns the new recovery codes (shown
    once, never stored in the clear)."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        raise TwoFactorError(_("Open the two-step login page again to start."))
    step = _matching_step(factor, code)
    if step is None:
        raise TwoFactorError(
            _("This code is not right. Check the time on your phone, then try again.")
        )
    factor.last_step = step
    factor.confirmed_at = utcnow()
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor.enrolled", "user", user.id)
    db.session.commit()
    return codes


# --- logging in ------------------------------------------------------------------------------


def verify(user: User, code: str) -> str | None:
    """Check a code typed at login: a code from the app (``"totp"``) or an unused recovery
    code (``"recovery"``), which is then used up; None when neither."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return None
    step = _matching_step(factor, code)
    if step is not None:
        # Only if no other request took this step (or a later one) meanwhile: two logins
        # sent at the same moment with one code cannot both pass.
        taken = db.session.execute(
            update(SecondFactor)
            .where(SecondFactor.user_id == user.id, SecondFactor.last_step < step)
            .values(last_step=step)
        )
        db.session.commit()
        return "totp" if taken.rowcount == 1 else None
    recovery = _unused_recovery_code(user, code)
    if recovery is not None:
        used = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())
        )
        db.session.commit()
        return "recovery" if used.rowcount == 1 else None
    return None


def _matching_step(factor: SecondFactor, code: str) -> int | None:
    """The step within the window whose code this is, if it is later than the last used."""
    code = _SEPARATORS.sub("", code or "")
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(factor.secret, digits=DIGITS, interval=STEP_SECONDS)
    now = current_step()
    for step in range(now - WINDOW, now + WINDOW + 1):
        # Compare every step in the window, so the time taken tells nothing.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > factor.last_step:
            return step
    return None


# --- recovery codes --------------------------------------------------------------------------


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


#: A salted scrypt per code: a copy of the database does not give the codes away, even to
#: someone trying all 2^50 of them. Lighter than a password's hash: ten are made at once.
RECOVERY_HASH_METHOD = "scrypt:16384:8:1"


def _tidy_recovery_code(code: str) -> str:
    """A recovery code as typed, tidied: case, spaces, dashes and lookalikes forgiven."""
    return _SEPARATORS.sub("", code or "").upper().translate(_LOOKALIKES)


def recovery_hash(code: str) -> str:
    return generate_password_hash(_tidy_recovery_code(code), method=RECOVERY_HASH_METHOD)


def show_recovery_code(code: str) -> str:
    """A recovery code as printed: two groups of five."""
    half = RECOVERY_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _unused_recovery_code(user: User, code: str) -> RecoveryCode | None:
    tidy = _tidy_recovery_code(code)
    if len(tidy) != RECOVERY_LENGTH:
        return None
    query = select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    # Salted hashes cannot be looked up: check each unused code (ten at most).
    return next(
        (row for row in db.session.scalars(query) if check_password_hash(row.code_hash, tidy)),
        None,
    )


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
    return [show_recovery_code(code) for code in codes]


def regenerate_recovery_codes(user: User, proof: str) -> list[str]:
    """Ten new recovery codes in place of the old ones, for the account's password or a
    current code from the app (someone at an unlocked computer cannot do it)."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        raise TwoFactorError(_("Set up two-step login first."))
    _check_proof(user, factor, proof)
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor.recovery_codes_replaced", "user", user.id)
    db.session.commit()
    return codes


def _check_proof(user: User, factor: SecondFactor, proof: str) -> None:
    step = _matching_step(factor, proof)
    if step is not None:
        factor.last_step = step
        return
    if proof and check_password_hash(user.password_hash, proof):
        return
    raise TwoFactorError(_("This is neither your password nor a current code."))


# --- switching it off ------------------------------------------------------------------------


def may_turn_off(user: User) -> bool:
    """Only roles that need no second factor may go without one."""
    return not is_required(user)


def turn_off(user: User, code: str) -> None:
    """Remove the second factor and its recovery codes, for a current code from the app."""
    if not may_turn_off(user):
        raise TwoFactorError(_("Your role needs two-step login: it cannot be turned off."))
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        raise TwoFactorError(_("Two-step login is not set up."))
    if _matching_step(factor, code) is None:
        raise TwoFactorError(
            _("This code is not right. Check the time on your phone, then try again.")
        )
    _remove(user)
    audit.record(user, "two_factor.turned_off", "user", user.id)
    db.session.commit()


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
