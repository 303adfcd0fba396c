"""The benchmark's figures as a readable table."""

from __future__ import annotations

from mestring.bench.measure import (
    IMPORT_BUDGET_ROWS_PER_S,
    PAGE_BUDGET_MS,
    REPORT_BUDGET_S,
    REPORT_SQL_RATIO,
    BenchFigures,
)


def _mark(ok: bool) -> str:
    return "ok" if ok else "OVER"


def format_table(figures: BenchFigures) -> str:
    lines = [f"Database: {figures.database}  Størrelse: {figures.size}"]
    if figures.build_seconds is not None:
        total = sum(figures.build_rows.values())
        lines.append(f"Bygget: {total} rader på {figures.build_seconds} s")
    if figures.pages:
        lines += ["", f"Sider og API (budsjett p95 ≤ {PAGE_BUDGET_MS:.0f} ms)"]
        lines.append(f"{'side':<34} {'status':>6} {'spørr.':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for page in figures.pages:
            lines.append(
                f"{page.name:<34} {page.status:>6} {page.queries:>6} {page.p50_ms:>8.1f} "
                f"{page.p95_ms:>8.1f}  {_mark(page.within)}"
            )
    if figures.reports:
        lines += [
            "",
            f"Årsrapporter (budsjett ≤ {REPORT_BUDGET_S:.0f} s og ≤ {REPORT_SQL_RATIO:.0f} × SQL)",
        ]
        lines.append(f"{'rapport':<22} {'s':>8} {'SQL s':>8} {'forhold':>8} {'like':>5}")
        for report in figures.reports:
            sql = "-" if report.sql_seconds is None else f"{report.sql_seconds:.3f}"
            ratio = "-" if report.ratio is None else f"{report.ratio:.1f}"
            equal = "-" if report.equal is None else ("ja" if report.equal else "NEI")
            lines.append(
                f"{report.name:<22} {report.seconds:>8.3f} {sql:>8} {ratio:>8} {equal:>5}  "
                f"{_mark(report.within)}"
            )
    if figures.imports:
        lines += ["", f"Importer (budsjett ≥ {IMPORT_BUDGET_ROWS_PER_S:.0f} rader/s)"]
        lines.append(f"{'import':<16} {'rader':>7} {'s':>8} {'rader/s':>9}")
        for item in figures.imports:
            lines.append(
                f"{item.name:<16} {item.rows:>7} {item.seconds:>8.2f} "
                f"{item.rows_per_second:>9.0f}  {_mark(item.within)}"
            )
    return "\n".join(lines) + "\n"
