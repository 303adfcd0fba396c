"""Backup and restore of the whole database.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, with the connection details
from Django's DATABASES; the password goes through the PGPASSWORD environment
variable, never on the command line or in output. SQLite: the online backup API
(`sqlite3.Connection.backup`), which copies a consistent snapshot while others write.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

# Runs pg_dump/pg_restore with a fixed argument list, never through a shell.
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

from mestring.access.audit import verify_chain

# Filled by migrations themselves, so a freshly migrated database has rows here and
# still counts as empty.
MIGRATION_FILLED_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "django_site"}
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the user."""


@dataclass(frozen=True)
class ChainResult:
    municipality: str
    events: int
    broken_at: int | None
    problem: str = ""


def _settings(alias: str = "default") -> dict[str, Any]:
    return connections[alias].settings_dict


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Fant ikke programmet {name}. Installer PostgreSQL-klientverktøyene.")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    # A fixed program found on PATH; the arguments come from Django's settings.
    result = subprocess.run(  # noqa: S603 # nosec B603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # The tools' own message helps the operator; it never holds the password.
        detail = result.stderr.strip().splitlines()[-5:]
        raise BackupError(f"{Path(command[0]).name} feilet: " + " ".join(detail))


def _sqlite_path(settings: dict[str, Any]) -> Path:
    name = str(settings["NAME"])
    if name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("Databasen ligger bare i minnet og kan ikke sikkerhetskopieres.")
    return Path(name)


def backup(file: Path, *, alias: str = "default") -> None:
    """Write the whole database to `file`."""
    file = Path(file)
    if file.parent and not file.parent.exists():
        raise BackupError(f"Mappen {file.parent} finnes ikke.")
    settings = _settings(alias)
    vendor = _vendor(alias)
    if vendor == "postgresql":
        args, env = _pg_args(settings)
        command = [_program("pg_dump"), "--format=custom", "--file", str(file), *args]
        _run([*command, "--dbname", str(settings["NAME"])], env)
    elif vendor == "sqlite":
        source = sqlite3.connect(_sqlite_path(settings))
        target = sqlite3.connect(file)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"Databasetypen {vendor} støttes ikke.")


def non_empty_tables(alias: str = "default") -> list[str]:
    """Tables of the application that hold rows (migration bookkeeping left out)."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    tables = sorted(
        name
        for name in connection.introspection.django_table_names(only_existing=False)
        if name in existing and name not in MIGRATION_FILLED_TABLES
    )
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            # The table name comes from introspection, quoted by the backend.
            sql = f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1"  # noqa: S608
            cursor.execute(sql)
            if cursor.fetchone() is not None:
                found.append(table)
    return found


def restore(file: Path, *, force: bool = False, alias: str = "default") -> None:
    """Replace the database's content with the backup in `file`.

    Refused onto a database that holds data unless `force`, so a restore can never
    silently overwrite a municipality's records.
    """
    file = Path(file)
    if not file.is_file():
        raise BackupError(f"Fant ikke filen {file}.")
    filled = non_empty_tables(alias)
    if filled and not force:
        shown = ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")
        raise BackupError(
            "Databasen er ikke tom (tabeller med innhold: "
            f"{shown}). Gjenoppretting ville overskrive dataene. "
            "Bruk --force hvis du virkelig vil erstatte innholdet."
        )
    settings = _settings(alias)
    vendor = _vendor(alias)
    connections[alias].close()
    if vendor == "postgresql":
        args, env = _pg_args(settings)
        _run(
            [
                _program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                str(settings["NAME"]),
                str(file),
            ],
            env,
        )
    elif vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"Filen {file} er ikke en SQLite-sikkerhetskopi.") from exc
        target = sqlite3.connect(_sqlite_path(settings))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"Databasetypen {vendor} støttes ikke.")
    connections[alias].close()


def verify_all_chains() -> list[ChainResult]:
    """The audit chain of every municipality, checked as `mestring audit verify` does."""
    from mestring.access.models import AuditEvent
    from mestring.tenancy.models import Municipality

    results = []
    for municipality in Municipality.objects.order_by("number"):
        broken = verify_chain(municipality.pk)
        count = AuditEvent.all_objects.filter(municipality=municipality).count()
        results.append(
            ChainResult(
                municipality=municipality.number,
                events=count,
                broken_at=broken.seq if broken else None,
                problem=broken.problem if broken else "",
            )
        )
    return results
