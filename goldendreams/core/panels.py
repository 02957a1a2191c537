"""Sections that a higher feature adds to a lower feature's page.

Features import one way (DESIGN.md): the case page lives in ``cases``, yet safeguarding,
services, remedies and brands each have something to show on it. Rather than the case
page importing them, each registers a panel for a named slot when the app starts, and the
page renders ``{{ panels("case", case=case) }}``. A panel's context function decides
whether the reader sees it (``None``: not shown) and what its template needs; it asks the
feature's permissions like any view would.

Slots in use: ``case`` (a caseworker's case page), ``portal_case`` and ``portal_cases``
(an employer's or agency's case pages), ``conversation`` (a caseworker's conversation),
``organisation`` (the public organisation page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, render_template
from markupsafe import Markup


@dataclass(frozen=True)
class Panel:
    template: str
    #: Called with the page's keyword arguments; returns the template's extra context, or
    #: None when this reader is not to see the panel.
    context: Callable[..., dict | None]
    #: Lower first: the order of the sections on the page.
    order: int = 50


def register(app: Flask, slot: str, template: str, context, order: int = 50) -> None:
    """Add a panel to ``slot`` of this app's pages (once per template: a second app built
    in the same process registers its own)."""
    slots = app.extensions.setdefault("panels", {})
    slots.setdefault(slot, {})[template] = Panel(template, context, order)


def render(slot: str, **page) -> Markup:
    """Every panel of ``slot`` this reader may see, in order."""
    from flask import current_app

    parts = []
    registered = current_app.extensions.get("panels", {}).get(slot, {})
    for panel in sorted(registered.values(), key=lambda p: (p.order, p.template)):
        extra = panel.context(**page)
        if extra is not None:
            parts.append(render_template(panel.template, **page, **extra))
    return Markup("".join(parts))  # noqa: S704 - each part is an autoescaped template


def init_app(app: Flask) -> None:
    app.jinja_env.globals["panels"] = render
