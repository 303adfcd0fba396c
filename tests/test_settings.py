"""Settings from the environment.

Each case runs in its own Python process, so the settings module is imported afresh
with exactly the environment under test.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_migrated

SETUP = (
    "import django, json, os\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mestring.settings')\n"
    "django.setup()\n"
    "from django.conf import settings\n"
)

PRINT_SETTINGS = SETUP + (
    "db = settings.DATABASES['default']\n"
    "print(json.dumps({\n"
    "    'env': settings.MESTRING_ENV, 'debug': settings.DEBUG,\n"
    "    'secret_key': settings.SECRET_KEY, 'allowed_hosts': settings.ALLOWED_HOSTS,\n"
    "    'synthetic': settings.MESTRING_SYNTHETIC_IDS,\n"
    "    'bypass': settings.MESTRING_DEMO_2FA_BYPASS,\n"
    "    'dev_oidc': settings.MESTRING_DEV_OIDC,\n"
    "    'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST'),\n"
    "    'port': db.get('PORT'), 'user': db.get('USER'), 'conn_max_age': db['CONN_MAX_AGE'],\n"
    "    'static_root': str(settings.STATIC_ROOT),\n"
    "}))\n"
)

# Runs in production: collect static files, migrate, then look at a real response.
PRODUCTION_RESPONSE = SETUP + (
    "from django.core.management import call_command\n"
    "from django.contrib.auth import get_user_model\n"
    "from django.test import Client\n"
    "call_command('collectstatic', interactive=False, verbosity=0)\n"
    "call_command('migrate', verbosity=0)\n"
    "get_user_model().objects.create_user('anna', password='riktig-hest-batteri-stift')\n"
    "client = Client(HTTP_HOST='mestring.example.no')\n"
    "page = client.get('/logg-inn/', secure=True)\n"
    "plain = client.get('/logg-inn/')\n"
    "login = client.post('/logg-inn/', {'username': 'anna',\n"
    "                    'password': 'riktig-hest-batteri-stift'}, secure=True)\n"
    "cookies = {}\n"
    "for response in (page, login):\n"
    "    for name, morsel in response.cookies.items():\n"
    "        cookies[name] = {key: morsel[key] for key in\n"
    "                         ('secure', 'httponly', 'path', 'domain', 'samesite')}\n"
    "print(json.dumps({\n"
    "    'status': page.status_code, 'headers': dict(page.headers),\n"
    "    'plain_status': plain.status_code, 'plain_location': plain.get('Location'),\n"
    "    'login_status': login.status_code, 'login_location': login.get('Location'),\n"
    "    'cookies': cookies,\n"
    "    'synthetic': settings.MESTRING_SYNTHETIC_IDS, 'debug': settings.DEBUG,\n"
    "    'bypass': settings.MESTRING_DEMO_2FA_BYPASS,\n"
    "    'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE'],\n"
    "}))\n"
)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production-use"
_OUR_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CSRF_TRUSTED_ORIGINS",
}


def _environment(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _OUR_VARIABLES and not key.startswith("MESTRING_")
    }
    env["MESTRING_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONWARNINGS"] = "ignore"
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(args: list[str], tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=_environment(tmp_path, **overrides),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(tmp_path: Path, **overrides: str | None) -> dict:
    result = _run(["-c", PRINT_SETTINGS], tmp_path, **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _production(tmp_path: Path, **overrides: str | None) -> dict[str, str | None]:
    """A complete, valid production environment, with overrides."""
    return {
        "MESTRING_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(45),  # 60 random characters
        "ALLOWED_HOSTS": "mestring.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        **overrides,
    }


def test_development_is_the_default(tmp_path):
    values = _settings(tmp_path)
    assert values["env"] == "development"
    assert values["debug"] is True
    assert values["synthetic"] is True
    assert values["bypass"] is False
    assert values["dev_oidc"] is False
    assert values["secret_key"] == DEVELOPMENT_SECRET_KEY
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "data" / "mestring.sqlite3")
    assert (tmp_path / "data").is_dir()  # created, so the database file can be written
    assert values["static_root"] == str(tmp_path / "data" / "static")
    assert values["conn_max_age"] == 0
    assert {"127.0.0.1", "localhost", "testserver"} <= set(values["allowed_hosts"])


def test_sqlite_database_url(tmp_path):
    path = tmp_path / "elsewhere" / "db.sqlite3"
    values = _settings(tmp_path, DATABASE_URL=f"sqlite:///{path}")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(path)
    assert path.parent.is_dir()


def test_postgres_database_url(tmp_path):
    values = _settings(
        tmp_path,
        DATABASE_URL="postgres://mestring:hemmelig@db.example.no:5433/mestring",
        MESTRING_DB_CONN_MAX_AGE="30",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"], values["port"], values["user"]) == (
        "mestring",
        "db.example.no",
        5433,
        "mestring",
    )
    assert values["conn_max_age"] == 30


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"DEBUG": "1"}, "DEBUG is on"),
        (
            {"SECRET_KEY": None},
            "SECRET_KEY is missing, the development default, or shorter than 50",
        ),
        (
            {"SECRET_KEY": DEVELOPMENT_SECRET_KEY},
            "SECRET_KEY is missing, the development default, or shorter than 50",
        ),
        ({"MESTRING_SYNTHETIC_IDS": "1"}, "MESTRING_SYNTHETIC_IDS is on"),
        ({"MESTRING_DEMO_2FA_BYPASS": "true"}, "MESTRING_DEMO_2FA_BYPASS is on"),
    ],
    ids=["debug", "missing-key", "development-key", "synthetic-ids", "demo-bypass"],
)
def test_production_refuses_unsafe_settings(tmp_path, overrides, problem):
    result = _run(["-c", SETUP], tmp_path, **_production(tmp_path, **overrides))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    # Exactly the one problem is named, so the operator knows what to fix.
    assert last_line == (
        f"django.core.exceptions.ImproperlyConfigured: Refusing to start in production: {problem}"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean (1/0, true/false), not 'maybe'."),
        (
            "MESTRING_LOGIN_MAX_FAILURES",
            "five",
            "MESTRING_LOGIN_MAX_FAILURES must be a whole number, not 'five'.",
        ),
    ],
)
def test_bad_values_give_a_clear_error(tmp_path, variable, value, message):
    result = _run(["-c", SETUP], tmp_path, **{variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_empty_database_url_means_the_default(tmp_path):
    values = _settings(tmp_path, DATABASE_URL="")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "data" / "mestring.sqlite3")


@pytest.mark.parametrize("value", ["nonsense", "mysqlx://db.example.no/mestring"])
def test_the_command_names_a_bad_setting_in_one_line(tmp_path, value):
    """The operator gets what is wrong, not a traceback."""
    result = _run(["-m", "mestring", "check"], tmp_path, DATABASE_URL=value)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"mestring: DATABASE_URL is not a database URL Mestring can use ({value!r}): "
        "expected e.g. postgres://USER@HOST:5432/NAME or sqlite:///PATH."
    )
    production = _run(["-m", "mestring", "check"], tmp_path, **_production(tmp_path, DEBUG="1"))
    assert production.returncode == 2
    assert production.stderr.strip() == ("mestring: Refusing to start in production: DEBUG is on")


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _run(
        ["-m", "mestring", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **_production(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_response_headers_and_cookies(tmp_path, migrated_sqlite):
    copy_migrated(migrated_sqlite, tmp_path / "production.sqlite3")  # its migrate: a no-op
    result = _run(["-c", PRODUCTION_RESPONSE], tmp_path, **_production(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])

    # Production defaults: no synthetic ids, no bypass, no DEBUG, pooled connections.
    assert (values["synthetic"], values["bypass"], values["debug"]) == (False, False, False)
    assert values["conn_max_age"] == 60

    assert values["status"] == 200
    headers = values["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    csp = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"

    # Plain HTTP is sent to HTTPS.
    assert values["plain_status"] == 301
    assert values["plain_location"] == "https://mestring.example.no/logg-inn/"

    # The password step starts a session: both cookies are __Host- cookies.
    assert (values["login_status"], values["login_location"]) == (302, "/logg-inn/ny-app/")
    cookies = values["cookies"]
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for cookie in cookies.values():
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""  # __Host- cookies must not set a Domain
        assert cookie["samesite"] == "Lax"


@pytest.mark.attack
def test_development_login_provider_is_off_unless_asked_for(tmp_path):
    """(I1) The development login provider (anyone may log in as any person) is off by
    default outside production too; only MESTRING_DEV_OIDC=1 turns it on."""
    assert _settings(tmp_path)["dev_oidc"] is False
    assert _settings(tmp_path, MESTRING_DEV_OIDC="1")["dev_oidc"] is True
