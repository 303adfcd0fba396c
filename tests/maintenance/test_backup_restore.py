"""Backup and restore round trips on SQLite and PostgreSQL.

Each test runs the real `mestring` commands in subprocesses against databases of its
own (files in tmp_path, or PostgreSQL databases it creates and drops), loads the demo
municipality, backs up, restores into an empty database and compares every table's
row count and a checksum of its rows ordered by primary key. The test run's own
database is not used, so CI runs these once.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import copy_migrated

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
MESTRING = [sys.executable, "-m", "mestring"]

pytestmark = pytest.mark.engine_independent


def run(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MESTRING_DB_CONN_MAX_AGE": "0"}
    result = subprocess.run(
        [*MESTRING, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mestring {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _digest(rows: list[tuple]) -> tuple[int, str]:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return len(rows), digest.hexdigest()


def sqlite_checksums(path: Path) -> dict[str, tuple[int, str]]:
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        result = {}
        for table in tables:
            info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
            pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
            order = ", ".join(f'"{c}"' for c in pk) or "rowid"
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
            result[table] = _digest(rows)
        return result
    finally:
        connection.close()


def pg_checksums(name: str) -> dict[str, tuple[int, str]]:
    with psycopg.connect(PG_URL.format(name=name).replace("postgres://", "postgresql://")) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            pk = [
                row[0]
                for row in conn.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                    (f'"{table}"',),
                )
            ]
            order = ", ".join(f'"{c}"' for c in pk) or "1"
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
            result[table] = _digest(rows)
        return result


def assert_same(source: dict[str, tuple[int, str]], target: dict[str, tuple[int, str]]) -> None:
    assert sorted(source) == sorted(target)
    different = {t: (source[t], target[t]) for t in source if source[t] != target[t]}
    assert different == {}
    # The comparison means something: the demo data filled the main tables.
    assert source["people_person"][0] > 100
    assert source["access_auditevent"][0] > 0


def test_sqlite_round_trip(tmp_path: Path, migrated_sqlite: Path) -> None:
    source = f"sqlite:///{copy_migrated(migrated_sqlite, tmp_path / 'source.sqlite3')}"
    target_path = tmp_path / "target.sqlite3"
    target = f"sqlite:///{target_path}"
    backup_file = tmp_path / "backup.sqlite3"
    run(source, "migrate", "--verbosity", "0")  # already migrated: checks it is in step
    run(source, "demo")

    done = run(source, "backup", str(backup_file))
    assert "Sikkerhetskopi skrevet" in done.stdout
    restored = run(target, "restore", str(backup_file))
    assert "gjenopprettet" in restored.stdout
    assert "Tilgangsloggen for kommune 9999 er hel" in restored.stdout
    assert_same(sqlite_checksums(tmp_path / "source.sqlite3"), sqlite_checksums(target_path))
    assert run(target, "audit", "verify", "--municipality", "9999").returncode == 0

    # The target now holds data: a second restore is refused, and nothing changes.
    before = sqlite_checksums(target_path)
    refused = run(target, "restore", str(backup_file), check=False)
    assert refused.returncode != 0
    assert "Databasen er ikke tom" in refused.stderr
    assert "--force" in refused.stderr
    assert sqlite_checksums(target_path) == before
    forced = run(target, "restore", str(backup_file), "--force")
    assert "er hel" in forced.stdout
    assert_same(sqlite_checksums(tmp_path / "source.sqlite3"), sqlite_checksums(target_path))


def test_sqlite_restore_of_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database at all" * 100)
    result = run(f"sqlite:///{tmp_path / 'x.sqlite3'}", "restore", str(junk), check=False)
    assert result.returncode != 0
    assert "ikke en SQLite-sikkerhetskopi" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run(
        f"sqlite:///{tmp_path / 'x.sqlite3'}", "restore", str(tmp_path / "nope"), check=False
    )
    assert "Fant ikke filen" in missing.stderr


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    # Names of this process's own, so that parallel test workers and runs never meet.
    own = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    names = (f"mestring_backup_src_{own}", f"mestring_backup_dst_{own}")
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    yield names
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_round_trip(tmp_path: Path, pg_databases: tuple[str, str]) -> None:
    src_name, dst_name = pg_databases
    source, target = PG_URL.format(name=src_name), PG_URL.format(name=dst_name)
    backup_file = tmp_path / "backup.dump"
    run(source, "migrate", "--verbosity", "0")
    run(source, "demo")

    run(source, "backup", str(backup_file))
    assert backup_file.read_bytes()[:5] == b"PGDMP"  # custom format
    restored = run(target, "restore", str(backup_file))
    assert "Tilgangsloggen for kommune 9999 er hel" in restored.stdout
    assert_same(pg_checksums(src_name), pg_checksums(dst_name))
    assert run(target, "audit", "verify", "--municipality", "9999").returncode == 0

    refused = run(target, "restore", str(backup_file), check=False)
    assert refused.returncode != 0
    assert "Databasen er ikke tom" in refused.stderr
    forced = run(target, "restore", str(backup_file), "--force")
    assert "er hel" in forced.stdout
    assert_same(pg_checksums(src_name), pg_checksums(dst_name))

    # The append-only guard of the audit table survives the round trip.
    url = PG_URL.format(name=dst_name).replace("postgres://", "postgresql://")
    with psycopg.connect(url) as conn, pytest.raises(psycopg.Error):
        conn.execute("DELETE FROM access_auditevent")
