"""Browser tests: Playwright's sync API drives Debian's Chromium against the live server.

One Chromium for the whole folder (and one test worker for all of it under xdist); a
fresh browser context (cookies, storage) per test. Data is created in the test with the
usual factories; `live_server` makes the test
transactional, so that data is committed and the server thread sees it.

Every page a test reaches must pass axe: use the helpers in `helpers.py` to navigate.
The `page` fixture fails a passing test that reached a page it never checked, or during
which the browser reported a Content-Security-Policy violation or a JavaScript error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import helpers

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("MESTRING_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM_MISSING = "Chromium mangler: installer Debian-pakken chromium"
DEFAULT_TIMEOUT_MS = 10_000
_REPORTS = pytest.StashKey[dict]()  # the test's reports by phase, for the page fixture


@pytest.hookimpl(tryfirst=True)  # before xdist reads the group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests do not depend on the database engine (CI runs them once), and they go
    # to one test worker together (`--dist loadgroup`) so that one Chromium serves them.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.engine_independent)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    # Lets the page fixture see whether the test body passed.
    report = yield
    if item.path.is_relative_to(HERE):
        item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all browser tests, stopped when the last of them has run.

    While Playwright's sync API runs, the main thread has a running event loop, and
    Django's ORM refuses to work in the test itself unless DJANGO_ALLOW_ASYNC_UNSAFE
    is set. So the variable is set for exactly that time. Package scope (rather than
    session) ends both before the other tests run: they need the ORM without the loop,
    and a variable left in os.environ would reach the subprocesses some of them start
    (`check --deploy` reports it as async.E001).
    """
    if not _chromium_available():
        message = f"{CHROMIUM_MISSING} ({CHROMIUM} finnes ikke)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: object, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="nb-NO",
        timezone_id="Europe/Oslo",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # The live server shares one SQLite connection between its threads: keep the
    # browser's requests one at a time by answering the favicon request here.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    helpers.watch(page)
    try:
        yield page
    finally:
        record = helpers.unwatch(page)
        context.close()
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is None or not report.passed:
        return
    if record.unchecked:
        pytest.fail(
            "Pages reached without an axe check (navigate with tests/browser/helpers.py): "
            + ", ".join(dict.fromkeys(record.unchecked)),
            pytrace=False,
        )
    if record.problems:
        pytest.fail("The browser reported:\n" + "\n".join(record.problems), pytrace=False)
