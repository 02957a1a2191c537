"""How many wrong passwords an address, an account and an account from one network may
have; only wrong passwords count, never a login that worked.

- Per client (``LOGIN_RATE_LIMIT``, 30 per 15 minutes): one address guessing many accounts.
  An office or a dormitory behind one address can still log its colleagues in all day.
- Per account *and* client network (``LOGIN_LOCKOUT``, waits that grow: 3 per minute, 6 per
  15 minutes, 12 per day): someone guessing one account from somewhere waits longer and
  longer, while the owner, logging in from their own network, is not kept out.
- Per account from everywhere (``LOGIN_ACCOUNT_LIMIT``, 100 per hour): guessing from many
  networks at once. Only that can keep the owner out, and every refusal is logged.

Accounts are known by a keyed hash of the email typed, known or not (a lockout only real
accounts got would tell which emails have one). An admin lifts an account's lockouts by
moving its "lift" counter, which is part of every key of that account.
"""

from __future__ import annotations

from goldendreams.core.security import client_key, keyed_hash
from goldendreams.core.throttle import FailureBudget, bump, counter

#: Longer than the longest window, so a lift outlives every key it retires.
_LIFT_KEPT_SECONDS = 2 * 24 * 3600


def account_hash(email: str) -> str:
    return keyed_hash("account:" + (email or "").strip().lower())


def _lift_counter(account: str) -> str:
    return f"login-lift:{account}"


def login_budgets(email: str) -> dict[str, FailureBudget]:
    """The budgets a login with this email spends when the password is wrong."""
    account = account_hash(email)
    era = counter(_lift_counter(account))
    client = client_key()
    return {
        "client": FailureBudget("LOGIN_RATE_LIMIT", "login-client", client),
        "account_here": FailureBudget(
            "LOGIN_LOCKOUT", "login-account", f"{account}:{era}:{client}"
        ),
        "account": FailureBudget("LOGIN_ACCOUNT_LIMIT", "login-account-all", f"{account}:{era}"),
    }


def lift(email: str) -> None:
    """Let an account's owner try again at once, from everywhere."""
    bump(_lift_counter(account_hash(email)), _LIFT_KEPT_SECONDS)


def password_change_budget(user_id: int) -> FailureBudget:
    """Wrong current passwords at "Change password", per account: a stolen session cannot
    be used to guess the password."""
    return FailureBudget("PASSWORD_CHANGE_LIMIT", "password-change", str(user_id))
