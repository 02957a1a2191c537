"""docs/ARCHITECTURE.md is where newcomers start: the README points to it (not to a file
outside the repository), and every file and folder it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"


def test_the_readme_points_inside_the_repository():
    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme
    assert "docs/ARCHITECTURE.md" in readme


def test_every_path_the_architecture_names_exists():
    text = DOC.read_text()
    for heading in ("## Layout", "## The write layer", "## The search change feed",
                    "## Privacy rules", "## Permission rules"):  # fmt: skip
        assert heading in text
    named = set(re.findall(r"`([\w./<>-]+\.(?:py|md|html|conf|css))`", text))
    assert len(named) >= 15
    for path in named:
        if "<" in path:
            continue
        # A bare name (models.py) is every feature's file; a template is under templates/.
        found = (ROOT / path).exists() or any(
            str(f).endswith("/" + path) for f in (ROOT / "goldendreams").rglob("*")
        )
        assert found, f"{path} is named but does not exist"
