"""Features import one way (DESIGN.md, "Layout"): core imports no feature; a feature
imports only features below it; pages that combine features live above them; nothing
imports search. Read from the code's own import statements (ast), so a new import against
the order fails here, with the file and line.

KNOWN_BACK_ARROWS are the exceptions; there are none since the organisation page and the
directory moved to ``profile`` and the private-code pages to ``desk`` (issue 17). The list
may only shrink: a listed import that is gone fails too, so it is taken off.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "goldendreams"

#: Lowest first. A module may import its own package, the ones before it, and the shared
#: modules (extensions, config). Packages that compose features come after all features.
ORDER = ["core", "accounts", "agencies", "reviews", "jobs", "cases", "collective", "validation",
         "plans", "support", "rights", "inbox", "channels", "safeguarding", "trends", "brands",
         "moderation", "profile", "desk"]  # fmt: skip
SHARED = {"extensions", "config"}

KNOWN_BACK_ARROWS: set[tuple[str, str]] = set()


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package of goldendreams) for each import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [
            (node.lineno, name.split(".")[1])
            for name in names
            if name.startswith("goldendreams.") and name.count(".") >= 1
        ]
    return found


def arrows_against_the_order() -> dict[tuple[str, str], list[int]]:
    wrong: dict[tuple[str, str], list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in [*ORDER, "search"]:
            continue
        home = parts[0]
        for line, target in imports_of(path):
            if target in (home, *SHARED):
                continue
            against = target == "search" or (
                home in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(home)
            )
            if against:
                key = ("/".join(parts), target)
                wrong.setdefault(key, []).append(line)
    return wrong


def test_no_module_imports_against_the_order():
    wrong = arrows_against_the_order()
    new = {f"{path}:{lines[0]} imports {target}" for (path, target), lines in wrong.items()
           if (path, target) not in KNOWN_BACK_ARROWS}  # fmt: skip
    assert not new, "imports against the feature order (DESIGN.md): " + ", ".join(sorted(new))


def test_the_list_of_known_exceptions_only_shrinks():
    gone = KNOWN_BACK_ARROWS - set(arrows_against_the_order())
    assert not gone, f"no longer imported, take them off KNOWN_BACK_ARROWS: {sorted(gone)}"


def test_the_check_catches_an_import_against_the_order(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from goldendreams.cases import queries\nimport goldendreams.search\n")
    assert imports_of(module) == [(1, "cases"), (2, "search")]
