"""`mestring serve`: gunicorn with workers, the health endpoint through it, JSON access
logs, and plain refusals when migrations or collected static files are missing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

BIN = Path(sys.executable).parent
MESTRING = str(BIN / "mestring")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MESTRING_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        MESTRING_DATA_DIR=str(tmp_path),
        MESTRING_ENV="development",
        DEBUG="0",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, migrated_sqlite):
    path = tmp_path_factory.mktemp("serve")
    copy_migrated(migrated_sqlite, path / "serve.sqlite3")
    return path


def test_serve_answers_health_with_json_access_log(migrated):
    port = _free_port()
    log = (migrated / "serve.log").open("w+")
    server = subprocess.Popen(
        [MESTRING, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=_env(migrated),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/helse/?navn=Gunnhildsdatter&fnr=01019012345",
                    headers={"X-Request-ID": "serve-test-0001"},
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    status, headers, body = response.status, response.headers, response.read()
                break
            except OSError:
                time.sleep(0.3)
        assert body is not None, "mestring serve did not answer /helse/"
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": True, "migrations": True}
        assert headers["Server"] == "gunicorn"
        assert headers["X-Request-ID"] == "serve-test-0001"
    finally:
        server.terminate()
        server.wait(30)
    log.seek(0)
    output = log.read()
    assert "2 arbeidsprosesser" in output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert sum(1 for r in records if r.get("message", "").startswith("Booting worker")) == 2
    access = [r for r in records if r["name"] == "mestring.access_log"]
    ours = [r for r in access if r["request_id"] == "serve-test-0001"]
    assert ours and ours[0]["path"] == "/helse/" and ours[0]["status"] == 200
    assert "Gunnhildsdatter" not in output
    assert "01019012345" not in output


def test_serve_refuses_unapplied_migrations(tmp_path):
    result = subprocess.run(
        [MESTRING, "serve", "--bind", f"127.0.0.1:{_free_port()}"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "mangler" in result.stderr and "mestring migrate" in result.stderr


def test_serve_in_production_asks_for_collectstatic(migrated, tmp_path):
    env = _env(
        migrated,
        MESTRING_ENV="production",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="mestring.kommune.example",
        MESTRING_SYNTHETIC_IDS="0",
        MESTRING_DEV_OIDC="0",
        MESTRING_STATIC_ROOT=str(tmp_path / "static"),
    )
    result = subprocess.run(
        [MESTRING, "serve", "--bind", f"127.0.0.1:{_free_port()}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "collectstatic" in result.stderr
    assert "De statiske filene er ikke samlet" in result.stderr


def test_serve_rejects_zero_workers(migrated):
    result = subprocess.run(
        [MESTRING, "serve", "--workers", "0"],
        env=_env(migrated),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "--workers må være minst 1" in result.stderr


def test_warm_up_compiles_our_templates_before_the_fork_and_leaves_no_connection(monkeypatch):
    """`mestring serve` preloads the application and warms it in the master, so no worker
    imports the URL configuration or compiles templates on its first request."""
    from django.template import engines
    from django.urls import get_resolver

    from mestring.core.management.commands import serve

    closed = []
    monkeypatch.setattr(serve.connections, "close_all", lambda: closed.append(True))
    serve.warm_up()
    cache = engines["django"].engine.template_loaders[0].get_template_cache
    assert {"base.html", "403.html", "people/overview.html"} <= set(cache)
    assert "url_patterns" in vars(get_resolver())  # the cached_property was filled
    assert closed  # the workers are forked after this: none inherits a connection
