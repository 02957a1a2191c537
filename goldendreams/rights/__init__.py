"""Know-your-rights articles, hotlines, the fee-repayment calculator and offline reading."""
