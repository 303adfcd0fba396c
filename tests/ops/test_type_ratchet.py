"""The type checking ratchet: the packages mypy checks only grow, and ignores do not creep.

`make lint` runs mypy over the packages listed under `[tool.mypy]` in pyproject.toml:
the whole `mestring` package. These tests hold what has been won: the list keeps it,
no override switches errors off, the number of `# type: ignore` comments in src never
rises above its ceiling, and each one names its error code and gives its reason
(`# type: ignore[attr-defined]  # why`). When you remove ignores, lower the ceiling to
the new count. See docs/testing.md.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

# Packages mypy checks. The list in pyproject.toml must contain every one of them: the
# whole `mestring` package, every app, the settings and the URLs.
CHECKED = frozenset({"mestring"})

# The most `# type: ignore` comments src may hold. Lower it when you remove some.
IGNORE_CEILING = 12

# Ignores written before every ignore had to give its reason, per file: how many there
# may still be without one. None is left; an entry here may only shrink.
WITHOUT_REASON: dict[str, int] = {}

# `# type: ignore`, its codes in brackets (if any), and what follows on the line.
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")
# A reason: another comment after the ignore, with words in it.
REASON = re.compile(r"^\s*#\s*\S")


def _mypy_config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["mypy"]


def _ignores() -> list[tuple[str, int, re.Match[str]]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = IGNORE.search(line)
            if match:
                found.append((name, number, match))
    return found


def test_the_checked_packages_only_grow():
    config = _mypy_config()
    listed = set(config.get("packages", [])) | set(config.get("modules", []))
    missing = sorted(CHECKED - listed)
    assert not missing, f"mypy no longer checks {missing}: put them back in [tool.mypy]"
    # A package added to pyproject belongs in CHECKED too, so that it stays.
    unrecorded = sorted(listed - CHECKED)
    assert not unrecorded, f"add {unrecorded} to CHECKED in this file"


def test_no_checked_module_is_exempted():
    """A package on the list is checked whole: no exclude, no errors switched off."""
    config = _mypy_config()
    assert not config.get("exclude"), "mypy's exclude would skip files of the checked packages"
    for override in config.get("overrides", []):
        assert not override.get("ignore_errors"), f"ignore_errors in {override['module']}"
        assert not override.get("disable_error_code"), f"errors off in {override['module']}"


def test_type_ignores_stay_under_the_ceiling():
    count = len(_ignores())
    assert count <= IGNORE_CEILING, (
        f"{count} `# type: ignore` in src, at most {IGNORE_CEILING}: type the code instead"
    )


def test_every_type_ignore_names_its_error_code():
    bare = [f"{name}:{number}" for name, number, match in _ignores() if not match["codes"]]
    assert not bare, f"`# type: ignore` without an error code: {bare}"


def test_new_type_ignores_give_their_reason():
    without = Counter(
        name for name, _number, match in _ignores() if not REASON.match(match["rest"])
    )
    over = {name: count for name, count in without.items() if count > WITHOUT_REASON.get(name, 0)}
    assert not over, (
        "`# type: ignore[code]` needs a reason after it (`# type: ignore[code]  # why`); "
        f"files with more ignores without one than before: {over}"
    )


def test_the_pattern_reads_codes_and_reasons():
    line = "x.y = 1  # type: ignore[attr-defined]  # set on T, unbound"
    match = IGNORE.search(line)
    assert match and match["codes"] == "[attr-defined]" and REASON.match(match["rest"])
    bare = IGNORE.search("x = 1  # type: ignore")
    assert bare and not bare["codes"] and not REASON.match(bare["rest"])
    assert not REASON.match(IGNORE.search("x  # type: ignore[misc]")["rest"])
