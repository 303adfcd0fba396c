"""Helpers for the browser tests: navigation that always ends in an axe check, and login.

Every way of reaching a page here (`visit`, `click_through`, `htmx_swap`) runs
`assert_no_axe_violations` on the page it lands on. The `page` fixture (conftest.py)
also watches the browser itself and fails a test that reached a page without checking
it, so a test that navigates some other way cannot skip the check unnoticed.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Locator, Page, Response

from mestring.people.models import Staff
from tests import factories

AXE_JS = Path(__file__).parent / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_TARGETS_SHOWN = 3

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


# --- Watching the page: which documents were reached, and what the browser complained of.


@dataclass
class Watch:
    """What happened in one test's page since the last axe check."""

    unchecked: list[str] = field(default_factory=list)  # pages reached, not yet checked
    problems: list[str] = field(default_factory=list)  # CSP violations, uncaught JS errors
    _address: str = ""  # current address without fragment

    def reached(self, url: str) -> None:
        self.unchecked.append(url)

    def navigated(self, url: str) -> None:
        # Same-document changes (htmx's pushState) count as a new page; a fragment does not.
        address = urldefrag(url).url
        if address != self._address:
            self._address = address
            self.unchecked.append(url)


_WATCHES: dict[Page, Watch] = {}


def watch(page: Page) -> Watch:
    """Start recording navigations and browser errors for `page`."""
    record = Watch()
    _WATCHES[page] = record
    page.on("domcontentloaded", lambda p: record.reached(p.url))
    page.on(
        "framenavigated",
        lambda frame: record.navigated(frame.url) if frame == page.main_frame else None,
    )

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            record.problems.append(f"CSP: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: record.problems.append(f"JavaScript error: {error}"))
    return record


def unwatch(page: Page) -> Watch:
    return _WATCHES.pop(page)


# --- axe


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:AXE_TARGETS_SHOWN])
        more = len(v["targets"]) - AXE_TARGETS_SHOWN
        if more > 0:
            targets += f" (+{more} more)"
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} — {targets}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Run axe (WCAG 2.0/2.1 A and AA) on the current page and fail on any violation.

    axe is injected with `page.evaluate`, which the page's Content-Security-Policy
    (`script-src 'self'`) does not govern; an inline <script> (add_script_tag) would be
    refused. So the browser keeps enforcing the real CSP during the tests.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    record = _WATCHES.get(page)
    if record is not None:
        record.unchecked.clear()
    if violations:
        raise AssertionError(
            f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )


# --- Navigation, each ending in an axe check


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def _expect_status(response: Response | None, status: int, what: str) -> Response:
    assert response is not None, f"no response for {what}"
    assert response.status == status, f"{what}: expected HTTP {status}, got {response.status}"
    return response


def visit(page: Page, url: str, *, status: int = 200) -> Response:
    """Open `url` (relative to the live server), check the status and run axe."""
    response = _expect_status(page.goto(url), status, f"GET {url}")
    assert_no_axe_violations(page)
    return response


def click_through(page: Page, target: Locator, *, status: int = 200) -> Response:
    """Click a link or submit button that loads a new page (following redirects), then axe."""
    with page.expect_navigation() as navigation:
        target.click()
    response = _expect_status(navigation.value, status, f"click on {target}")
    assert_no_axe_violations(page)
    return response


def htmx_swap(page: Page, action: Callable[[], None], url_part: str) -> Response:
    """Do `action`, wait for the htmx request whose URL contains `url_part`, then axe."""
    with page.expect_response(
        lambda r: url_part in r.url and r.request.headers.get("hx-request") == "true"
    ) as info:
        action()
    response = _expect_status(info.value, 200, f"htmx request {url_part}")
    response.finished()
    # htmx swaps after the response has arrived; wait until it has settled.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    assert_no_axe_violations(page)
    return response


# --- The second factor


def totp_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, as the app shows it.

    django-otp refuses a code from a time step it has already accepted (`last_t`). If
    the current step was used, take the next one when the device's tolerance allows
    it, otherwise wait for a fresh step.
    """
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    ahead = device.last_t + 1 - generator.t()
    if 0 < ahead <= device.tolerance:
        generator.drift += ahead
    while generator.t() <= device.last_t:
        time.sleep(0.2)
    return f"{generator.token():0{device.digits}d}"


def wrong_totp_code(device: TOTPDevice) -> str:
    """A well-formed code that no time step inside the device's tolerance accepts."""
    device.refresh_from_db()
    valid = {
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset).token()
        for offset in range(-device.tolerance - 1, device.tolerance + 2)
    }
    return f"{next(n for n in range(10**device.digits) if n not in valid):0{device.digits}d}"


def code_from_secret(secret: str) -> str:
    """The code an app would show after the user typed the secret from the enrolment page."""
    raw = secret.replace(" ", "").upper()
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key):06d}"


def confirmed_device(staff: Staff) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=staff.user, confirmed=True).first()
    return device or factories.confirmed_device(staff.user)


# --- Logging in through the real pages


def submit_password(page: Page, username: str, password: str = factories.PASSWORD) -> Response:
    """Fill and send the first login step; lands on the code, enrolment or login page."""
    visit(page, "/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    return click_through(page, page.get_by_role("button", name="Neste"))


def submit_code(page: Page, code: str) -> Response:
    page.get_by_label("Engangskode").fill(code)
    return click_through(page, page.get_by_role("button", name="Logg inn"))


def log_in(page: Page, staff: Staff) -> None:
    """Password, then a TOTP code from the user's confirmed device; ends on the start page."""
    device = confirmed_device(staff)
    submit_password(page, staff.user.username)
    assert path_of(page) == "/logg-inn/kode/", f"after the password: {page.url}"
    submit_code(page, totp_code(device))
    assert path_of(page) == "/", f"after the code: {page.url}"
