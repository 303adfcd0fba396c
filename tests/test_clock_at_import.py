"""Nothing reads the clock when a module is imported.

A date worked out at import is stale once midnight passes: in a server that runs for days,
and in a test run that crosses midnight (Oslo), where a test collected on one day compares
its "today" with the application's next day. A CI run did exactly that. This walks every
module of the application and the tests and names each clock read that runs at import:
module level, class bodies, decorators (parametrize lists) and default arguments."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_CALLS = ("now", "today", "localdate", "localtime", "utcnow")
# A line may read the clock at import when it says why (an instant, not a date, with
# cutoffs years away from it): midnight cannot make it stale.
ON_PURPOSE = "clock read at import on purpose"


def import_time_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The parts of a module that run when it is imported (function bodies do not)."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from node.decorator_list
            yield from node.args.defaults
            yield from (d for d in node.args.kw_defaults if d is not None)
        elif isinstance(node, ast.ClassDef):
            yield from node.decorator_list
            yield from import_time_nodes(node.body)
        elif not isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def clock_reads(source: str) -> list[tuple[int, str]]:
    lines = source.splitlines()
    found = []
    pending = list(import_time_nodes(ast.parse(source).body))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue  # its body runs when called
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CLOCK_CALLS and ON_PURPOSE not in lines[node.lineno - 1]:
                found.append((node.lineno, ast.unparse(node)))
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found)


def modules() -> Iterator[Path]:
    for folder in (ROOT / "src" / "mestring", ROOT / "tests"):
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_walk_finds_a_clock_read_at_import():
    source = (
        "import datetime\nfrom django.utils import timezone\n"
        "TODAY = timezone.localdate()\n"
        "class Form:\n    day = datetime.date.today()\n"
        "def f(at=timezone.now()):\n    return timezone.now()\n"
        "@mark(when=[datetime.datetime.now()])\ndef g():\n    pass\n"
        "LATER = lambda: timezone.now()\n"
        "NOW = timezone.now()  # clock read at import on purpose: an instant\n"
    )
    assert [line for line, _ in clock_reads(source)] == [3, 5, 6, 8]


def test_no_module_reads_the_clock_when_imported():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in modules()
        for line, call in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "\n".join(offenders)
