"""Comments, docstrings and docs stand alone: they give the reason, never a pointer to a
document outside the repository (a design note, a numbered issue, the municipal plans the
requirements came from). Such a pointer means nothing to a reader of this repository.

Law references («forvaltningsloven § 11 a») are written with a space after the section
sign and stay; random seeds and finding codes (listed in docs/testing.md) stay too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve()

# What is scanned: our own text. Vendored third-party files are not ours to edit.
SCANNED_DIRS = ("src", "tests", "docs", ".ci")
SCANNED_FILES = ("Makefile", "README.md", "pyproject.toml")
SUFFIXES = frozenset({".py", ".html", ".md", ".txt", ".toml", ".css", ".js", ".sh", ".cfg"})
VENDORED_DIRS = frozenset({"vendor", "axe", "__pycache__"})
VENDORED_NAMES = ("swagger-ui",)

OUTSIDE_REFERENCES = {
    "the design note": r"\bDESIGN(?:\.md\b|\s*§)",
    "an issue number": r"\b[Ii]ssues?\s*#?\d+",
    "the municipal plans of the requirements": (
        r"\b[Ss]eeds?\s+0\d\d\b|\b[Ss]eed\s+plans?\b|\b[Tt]he\s+seeds\b|\b[Ss]eeds'"
    ),
    "a section of a document (a law's is written «§ 7-1»)": r"§\d",
    "the shared folder": r"(?<![\w.-])shared/",
}
PATTERN = re.compile("|".join(f"(?:{p})" for p in OUTSIDE_REFERENCES.values()))


def scanned_files() -> list[Path]:
    files = [ROOT / name for name in SCANNED_FILES]
    for folder in SCANNED_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.resolve() == THIS:
                continue
            if VENDORED_DIRS & set(path.relative_to(ROOT).parts):
                continue
            if path.name.startswith(VENDORED_NAMES) or path.name.endswith(".min.js"):
                continue
            if path.suffix in SUFFIXES or folder == ".ci":
                files.append(path)
    return files


def test_the_scan_covers_the_repository():
    """Not vacuous: the scan reaches every place it names, and hundreds of files."""
    files = {path.relative_to(ROOT).as_posix() for path in scanned_files()}
    assert len(files) > 500
    for expected in (
        "Makefile",
        "README.md",
        ".ci/run",
        "docs/architecture.md",
        "docs/testing.md",
        "src/mestring/settings.py",
        "src/mestring/access/guard.py",
        "tests/conftest.py",
    ):
        assert expected in files
    assert any(name.endswith(".html") for name in files)
    assert any("/migrations/" in name for name in files)
    assert not any("/vendor/" in name for name in files)


def test_no_comment_points_outside_the_repository():
    found = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if PATTERN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Give the reason instead of the reference:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "# see DESIGN.md",
        '"""Settings, read from the environment (DESIGN.md §3)."""',
        "Reports as classes (DESIGN §3).",
        "# The case list, paged (issue 12).",
        '"""Issue 7 in a real browser."""',
        "fixed in issue #19",
        "The table of seeds 001 §5.2 (2017).",
        "Seeds 000 §3.1.7 reproduced.",
        "the units of the seed plans",
        "as the tables in the seeds.",
        "exports read back in the seeds' layout.",
        "in the order of a status chapter (§3.1.6)",
        "read /work/shared/DESIGN.md first",
        "see shared/seeds/",
        "the hooks in /work/shared/hooks",
    ],
)
def test_a_reference_outside_is_caught(line):
    assert PATTERN.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "A case that takes longer gets a provisional reply (forvaltningsloven § 11 a).",
        '"Helse- og omsorgstjenesteloven § 7-2",',
        "follows forvaltningsloven §§ 24–27",
        "rng = random.Random(seed)  # noqa: S311",
        "Random cases are made with a fixed seed;",
        "the seed data is built once for the module",
        '"""(H2) Another municipality\'s administrator cannot take over a user."""',
        "needs a reason and goes to the review queue",
        "/usr/share/zoneinfo",
        "tissue 3",
    ],
)
def test_a_reason_or_law_reference_is_not_caught(line):
    assert not PATTERN.search(line)
