"""Staff accounts, roles, login and logout."""
