"""Money as a reader reads it: Babel's currency format in their language, no needless ".00"."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_currency
from flask_babel import get_locale


def format_money(amount, currency: str, locale: str | Locale | None = None) -> str:
    """``45000.00`` MMK → "MMK45,000" (en), "45,000 K" (my). Whole amounts drop their
    decimals (a worker reads "THB1,500", not "THB1,500.00"); others keep the currency's."""
    locale = Locale.parse(locale or get_locale() or "en")
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        return f"{amount} {currency}"
    if amount == amount.to_integral_value():
        pattern = copy.copy(locale.currency_formats["standard"])
        pattern.frac_prec = (0, 0)
        return format_currency(amount, currency, pattern, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)
