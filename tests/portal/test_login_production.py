"""Production refuses the development login provider, and without it the provider's
addresses do not exist. Each case runs in its own Python process (see test_settings)."""

from __future__ import annotations

import json

from tests.conftest import copy_migrated
from tests.test_settings import SETUP, _production, _run

DEV_OIDC_URLS = SETUP + (
    "from django.core.management import call_command\n"
    "from django.test import Client\n"
    "call_command('collectstatic', interactive=False, verbosity=0)\n"
    "call_command('migrate', verbosity=0)\n"
    "client = Client(HTTP_HOST='mestring.example.no')\n"
    "paths = ['/dev-oidc/.well-known/openid-configuration', '/dev-oidc/jwks',\n"
    "         '/dev-oidc/authorize']\n"
    "statuses = {p: client.get(p, secure=True).status_code for p in paths}\n"
    "statuses['/dev-oidc/token'] = client.post('/dev-oidc/token', secure=True).status_code\n"
    "start = client.get('/min-side/logg-inn/start/?kommune=0301', secure=True)\n"
    "print(json.dumps({'dev_oidc': settings.MESTRING_DEV_OIDC, 'statuses': statuses,\n"
    "                  'start': start.status_code}))\n"
)


def test_production_refuses_the_development_provider(tmp_path):
    result = _run(["-c", SETUP], tmp_path, **_production(tmp_path, MESTRING_DEV_OIDC="1"))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: Refusing to start in production: "
        "MESTRING_DEV_OIDC (the development login provider) is on"
    )


def test_production_has_no_development_provider(tmp_path, migrated_sqlite):
    copy_migrated(migrated_sqlite, tmp_path / "production.sqlite3")  # its migrate: a no-op
    result = _run(["-c", DEV_OIDC_URLS], tmp_path, **_production(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["dev_oidc"] is False
    assert set(values["statuses"].values()) == {404}, values["statuses"]
