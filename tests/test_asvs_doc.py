"""docs/ASVS.md stays honest: every OWASP ASVS 5.0 level 1 and 2 requirement has a row with a
status, every test it cites exists, and its summary counts are those of its tables.

The tests are read with ``ast``, never imported: this module is fast and needs no app.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ASVS.md"

#: ASVS 5.0.0's level 1 and 2 requirements: how many each section has. Level 3 ones come last
#: in every section, so these are numbered 1 to N. 253 in all.
SECTIONS = {
    "1.1": 2, "1.2": 9, "1.3": 11, "1.4": 3, "1.5": 2,
    "2.1": 3, "2.2": 3, "2.3": 4, "2.4": 1,
    "3.2": 2, "3.3": 4, "3.4": 6, "3.5": 5, "3.7": 2,
    "4.1": 3, "4.2": 1, "4.3": 2, "4.4": 4,
    "5.1": 1, "5.2": 3, "5.3": 2, "5.4": 3,
    "6.1": 3, "6.2": 12, "6.3": 4, "6.4": 4, "6.5": 5, "6.6": 3, "6.8": 4,
    "7.1": 3, "7.2": 4, "7.3": 2, "7.4": 5, "7.5": 2, "7.6": 2,
    "8.1": 2, "8.2": 3, "8.3": 1, "8.4": 1,
    "9.1": 3, "9.2": 4,
    "10.1": 2, "10.2": 2, "10.3": 4, "10.4": 11, "10.5": 5, "10.6": 2, "10.7": 3,
    "11.1": 2, "11.2": 3, "11.3": 3, "11.4": 4, "11.5": 1, "11.6": 1,
    "12.1": 3, "12.2": 2, "12.3": 4,
    "13.1": 1, "13.2": 5, "13.3": 2, "13.4": 5,
    "14.1": 2, "14.2": 4, "14.3": 3,
    "15.1": 3, "15.2": 3, "15.3": 7,
    "16.1": 1, "16.2": 5, "16.3": 4, "16.4": 3, "16.5": 3,
    "17.1": 1, "17.2": 4, "17.3": 2,
}  # fmt: skip
#: The level 1 requirements among them (70); the others are level 2.
LEVEL_1 = set(
    re.findall(
        r"\S+",
        """
    1.2.1 1.2.2 1.2.3 1.2.4 1.2.5 1.3.1 1.3.2 1.5.1
    2.1.1 2.2.1 2.2.2 2.3.1
    3.2.1 3.2.2 3.3.1 3.4.1 3.4.2 3.5.1 3.5.2 3.5.3
    4.1.1 4.4.1
    5.2.1 5.2.2 5.3.1 5.3.2
    6.1.1 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 6.2.6 6.2.7 6.2.8 6.3.1 6.3.2 6.4.1 6.4.2
    7.2.1 7.2.2 7.2.3 7.2.4 7.4.1 7.4.2
    8.1.1 8.2.1 8.2.2 8.3.1
    9.1.1 9.1.2 9.1.3 9.2.1
    10.4.1 10.4.2 10.4.3 10.4.4 10.4.5
    11.3.1 11.3.2 11.4.1
    12.1.1 12.2.1 12.2.2
    13.4.1
    14.2.1 14.3.1
    15.1.1 15.2.1 15.3.1
    """,
    )
)

ROW = re.compile(r"^\|\s*(\d+\.\d+\.\d+) \(L([12])\)\s*\|")
CITATION = re.compile(r"`(tests/[\w/.-]+?\.py)((?:::\w+)*)`")
NOT_COVERED = "not covered by a test"
NOT_MET = re.compile(r"\*\*(Not met|Partly met)\*\*")
SUMMARY = {
    "listed": "Requirements listed",
    "applicable": "Applicable",
    "covered": "Covered by at least one test",
    "not_covered": "Not covered by a test",
    "not_met": "Applicable but not met or only partly met",
}


def rows() -> list[dict]:
    """The requirement rows of every table: id, level, requirement, applies, how."""
    found = []
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), start=1):
        match = ROW.match(line)
        if not match:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"line {number}: a row needs 4 cells, not {len(cells)}: {line}"
        found.append(
            {
                "line": number,
                "id": match.group(1),
                "level": int(match.group(2)),
                "requirement": cells[1],
                "applies": cells[2],
                "how": cells[3],
            }
        )
    return found


def expected_ids() -> set[str]:
    return {f"{section}.{n}" for section, last in SECTIONS.items() for n in range(1, last + 1)}


@cache
def defined_tests(path: Path) -> set[str]:
    """``name`` of each test function and ``Class::name`` of each test method in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, functions) and item.name.startswith("test")
            )
    return names


def counts() -> dict[str, int]:
    table = rows()
    applicable = [row for row in table if row["applies"] == "yes"]
    covered = [row for row in applicable if CITATION.search(row["how"])]
    return {
        "listed": len(table),
        "applicable": len(applicable),
        "covered": len(covered),
        "not_covered": len(applicable) - len(covered),
        "not_met": sum(1 for row in applicable if NOT_MET.search(row["how"])),
    }


def test_the_rows_are_every_level_1_and_2_requirement_of_asvs_5():
    ids = [row["id"] for row in rows()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"listed twice: {duplicates}"
    assert len(expected_ids()) == 253 and len(LEVEL_1) == 70
    assert expected_ids() >= LEVEL_1
    assert not expected_ids() - set(ids), f"missing: {sorted(expected_ids() - set(ids))}"
    assert not set(ids) - expected_ids(), f"not L1/L2 in 5.0: {sorted(set(ids) - expected_ids())}"
    wrong_level = [row["id"] for row in rows() if (row["id"] in LEVEL_1) != (row["level"] == 1)]
    assert not wrong_level, f"wrong level: {wrong_level}"


def test_every_row_has_a_status():
    problems = []
    for row in rows():
        where = f"line {row['line']} ({row['id']})"
        if not row["requirement"]:
            problems.append(f"{where}: no requirement text")
        if row["applies"] == "yes":
            if not (CITATION.search(row["how"]) or NOT_COVERED in row["how"]):
                problems.append(f"{where}: applies, but cites no test and says no '{NOT_COVERED}'")
        elif re.fullmatch(r"no — \S.*", row["applies"]):
            if CITATION.search(row["how"]):
                problems.append(f"{where}: does not apply, yet cites a test")
        else:
            problems.append(f"{where}: applies must be 'yes' or 'no — <reason>'")
    assert not problems, "\n".join(problems)


def test_every_cited_test_exists():
    text = DOC.read_text(encoding="utf-8")
    missing_files, missing_tests = set(), set()
    for path_text, names in CITATION.findall(text):
        path = ROOT / path_text
        if not path.is_file():
            missing_files.add(path_text)
            continue
        name = names.removeprefix("::")
        if name and name not in defined_tests(path):
            missing_tests.add(f"{path_text}::{name}")
    assert not missing_files and not missing_tests, (
        f"cited test files that do not exist: {sorted(missing_files)}; "
        f"cited tests not defined in their file: {sorted(missing_tests)}"
    )


def test_the_summary_counts_match_the_tables():
    text = DOC.read_text(encoding="utf-8")
    stated = {}
    for key, label in SUMMARY.items():
        match = re.search(rf"^- {re.escape(label)}: \*\*(\d+)\*\*$", text, re.M)
        assert match, f"the summary has no line '- {label}: **N**'"
        stated[key] = int(match.group(1))
    assert stated == counts()
