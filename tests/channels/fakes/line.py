"""To be written (issue 19)."""


def register(fake, credentials: dict) -> None:
    pass
