"""How long it takes to pay back recruitment fees from a month's pay."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

#: Beyond this the answer is "you cannot pay it back": 50 years of work.
MAX_MONTHS = 600
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Repayment:
    #: The fees in the pay's money.
    debt: Decimal
    #: What is left of a month's pay after living costs.
    monthly_saving: Decimal
    #: Months of work to pay everything back; None when it can never be paid back.
    months: int | None
    #: Everything paid back, with interest (None when it can never be paid back).
    total_paid: Decimal | None
    #: Why it can never be paid back: "no_saving", "interest" or "too_long".
    never_because: str | None = None

    @property
    def interest_paid(self) -> Decimal | None:
        return None if self.total_paid is None else self.total_paid - self.debt


def repayment(
    fee: Decimal,
    wage: Decimal,
    living: Decimal = Decimal(0),
    interest_percent: Decimal = Decimal(0),
    rate: Decimal = Decimal(1),
) -> Repayment:
    """Months of saving to repay ``fee`` (in the fees' money; ``rate`` of it buys 1 of the
    pay's money), saving ``wage - living`` each month, with monthly interest added to what is
    still owed at the start of each month before that month's payment."""
    fee, wage, living, interest_percent, rate = map(
        Decimal, (fee, wage, living, interest_percent, rate)
    )
    if fee <= 0 or wage <= 0 or living < 0 or interest_percent < 0 or rate <= 0:
        raise ValueError("amounts must be positive")
    # Rounded up: a tiny fee is still a fee (never "0 months").
    debt = (fee / rate).quantize(CENT, ROUND_UP)
    saving = wage - living
    monthly_rate = interest_percent / 100
    if saving <= 0:
        return Repayment(debt, saving, None, None, "no_saving")
    if saving <= (debt * monthly_rate).quantize(CENT, ROUND_HALF_UP):
        return Repayment(debt, saving, None, None, "interest")
    owed, paid, months = debt, Decimal(0), 0
    while owed > 0:
        months += 1
        if months > MAX_MONTHS:
            return Repayment(debt, saving, None, None, "too_long")
        owed += (owed * monthly_rate).quantize(CENT, ROUND_HALF_UP)
        payment = min(owed, saving)
        owed -= payment
        paid += payment
    return Repayment(debt, saving, months, paid)
