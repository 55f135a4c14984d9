"""Browser tests: Debian's Chromium driven by Playwright, JavaScript off, against ``live_server``.

Every journey runs in a browser context with JavaScript disabled, the way Tor Browser at its
"Safest" level sees the app. Each page a journey reaches goes through :meth:`Journey.check`:

* a full-page screenshot into ``test-artifacts/screenshots/<test>-<step>.png``;
* no ``<script`` in the HTML, no request to any host but the live server, HTML + CSS ≤ 60 KB;
* an axe-core accessibility audit (serious and critical violations fail the test, listed at
  the end so one inaccessible page does not hide the rest of the journey); with ``phone=True``
  also "no horizontal scrolling at 360 px".

The audit needs JavaScript, so it runs in a *separate* context (JavaScript on, CSP bypassed)
that carries the journey's cookies. A page reached by GET is audited by loading the same URL
again. A page that cannot be fetched again — the result of a POST (an invitation link, recovery
codes) or a page showing one-time messages — is audited by serving the HTML the journey
received at the same URL (``page.route``), so its stylesheet and images load from the live
server as they did for the user and colour contrast is measured on the real styles.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an asyncio loop in this thread; Django would refuse ORM calls from
# it (SynchronousOnlyOperation). The live server runs in its own thread and is unaffected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.db.models import F
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Response,
    sync_playwright,
)

from protectdesk.accounts.models import User
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = E2E_DIR.parents[1] / "test-artifacts" / "screenshots"
#: What the browser downloads (a plan's PDF, a dossier): the browser's disk, not the server's,
#: so outside the temporary folder the canary scan reads for files the server left behind.
DOWNLOADS = E2E_DIR.parents[1] / "test-artifacts" / "downloads"

PAGE_BUDGET_BYTES = 60 * 1024  # HTML + CSS of one page (overview.md: "a few dozen KB")
PHONE = {"width": 360, "height": 740}
FAILING_IMPACTS = {"serious", "critical"}
NAVIGATION_TIMEOUT_MS = 15_000


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium)."
        )
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make e2e-deps` (npm ci in tests/e2e).")
    with sync_playwright() as playwright:
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, downloads_path=str(DOWNLOADS)
        )
        yield chromium
        chromium.close()


@pytest.fixture
def server(live_server: Any, transactional_db: None) -> str:
    """The live server's base URL, e.g. ``http://localhost:41234`` (no trailing slash)."""
    return str(live_server.url).rstrip("/")


def current_totp(secret: str, *, windows_later: int = 0) -> str:
    """The six-digit code an authenticator app shows for a base32 ``secret`` (spaces allowed):
    now, or ``windows_later`` 30-second windows from now."""
    key = base64.b32decode(secret.replace(" ", "").upper())
    return f"{totp(key, drift=windows_later):06d}"


def let_a_totp_window_pass(user: User) -> None:
    """Move ``user``'s authenticator device one window on, as if 30 seconds had passed for it.

    Codes are single-use: django-otp refuses a code whose time step is not after the device's
    ``last_t`` (the step of the code used at enrolment). Rather than sleep until the next
    window, shift the device's clock origin ``t0`` back by one step, so the server now expects
    the code of ``current_totp(secret, windows_later=1)``. ``last_t`` is left alone: the code
    already used is still refused. The live server shares this test's database (see ``server``).
    """
    moved = TOTPDevice.objects.filter(user=user, confirmed=True).update(t0=F("t0") - F("step"))
    assert moved == 1, f"expected one confirmed TOTP device, moved {moved}"


# --- accessibility audit --------------------------------------------------------------------


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]
    url: str
    step: str

    def __str__(self) -> str:
        targets = ", ".join(self.targets)
        return f"[{self.impact}] {self.rule}: {self.help} — {targets} — {self.url} ({self.step})"


def violations_of(result: dict[str, Any], url: str, step: str) -> list[Violation]:
    """The serious and critical violations in an axe-core result."""
    return [
        Violation(
            rule=item["id"],
            impact=item.get("impact") or "",
            help=item["help"],
            targets=[" ".join(map(str, node["target"])) for node in item["nodes"]],
            url=url,
            step=step,
        )
        for item in result["violations"]
        if item.get("impact") in FAILING_IMPACTS
    ]


@dataclass
class Auditor:
    """``audit(page_or_html, url)``: axe-core (and the phone width) in a JavaScript-enabled context.

    Violations of impact serious/critical are collected; :meth:`assert_clean` fails the test
    listing them. Phone-width overflow is collected the same way.
    """

    browser: Browser
    test_name: str
    violations: list[Violation] = field(default_factory=list)
    overflows: list[str] = field(default_factory=list)
    steps: int = 0

    def next_label(self, who: str, step: str) -> str:
        """``NN-who-step``: numbered across the whole test, so screenshots sort in journey order."""
        self.steps += 1
        return f"{self.steps:02d}-{who}-{step}"

    def __call__(
        self,
        page_or_html: Page | str,
        url: str | None = None,
        *,
        cookies: list[Any] | None = None,
        step: str = "",
        phone: bool = False,
        status: int | None = 200,
    ) -> list[Violation]:
        """Audit a page by URL (``Page``: its URL and cookies), or given HTML served at ``url``."""
        if isinstance(page_or_html, str):
            html: str | None = page_or_html
            assert url, "auditing HTML needs the URL it was served at (for its stylesheet)"
        else:
            html = None
            url = url or page_or_html.url
            cookies = page_or_html.context.cookies() if cookies is None else cookies
        context = self.browser.new_context(java_script_enabled=True, bypass_csp=True)
        try:
            if cookies:
                context.add_cookies(cookies)  # type: ignore[arg-type]
            page = context.new_page()
            page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
            if html is not None:
                served = html

                def serve_once(route: Any) -> None:
                    route.fulfill(
                        status=status or 200, content_type="text/html; charset=utf-8", body=served
                    )

                # A request URL never carries the #fragment the page's address may have.
                address = url.split("#")[0]
                page.route(lambda candidate: candidate.split("#")[0] == address, serve_once)
            response = page.goto(url, wait_until="load")
            assert response is not None, f"audit could not load {url}"
            if status is not None:
                assert response.status == status, (
                    f"audit: {url} answered {response.status}, expected {status}"
                )
            if html is None and page.url != url:
                raise AssertionError(f"audit: {url} redirected to {page.url} when loaded again")
            self._check_styles(page, url)
            found = self._axe(page, url, step)
            if phone:
                self._phone(page, url, step)
            return found
        finally:
            context.close()

    def _check_styles(self, page: Page, url: str) -> None:
        # Colour contrast is meaningless without the stylesheet: make sure it applied.
        applied = page.evaluate(
            "() => Array.from(document.styleSheets).some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })"
        )
        assert applied, f"audit: the stylesheet did not load for {url}"

    def _axe(self, page: Page, url: str, step: str) -> list[Violation]:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        found = violations_of(result, url, step)
        self.violations.extend(found)
        return found

    def _phone(self, page: Page, url: str, step: str) -> None:
        page.set_viewport_size(PHONE)
        page.wait_for_function(f"() => window.innerWidth === {PHONE['width']}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """(limit) => Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > limit + 0.5)
                    .slice(0, 8)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                         (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') +
                         ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)')""",
                PHONE["width"],
            )
            self.overflows.append(
                f"{url} ({step}): scrollWidth {width}px > {PHONE['width']}px; widest: {wide}"
            )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"{self.test_name}-{step}-phone.png"), full_page=True
        )

    def assert_clean(self) -> None:
        problems = [str(v) for v in self.violations] + [
            f"[phone] horizontal scrolling: {o}" for o in self.overflows
        ]
        assert not problems, (
            "Accessibility problems (axe-core serious/critical, phone width):\n"
            + "\n".join(problems)
        )


@pytest.fixture
def audit(browser: Browser, request: pytest.FixtureRequest) -> Auditor:
    return Auditor(browser, request.node.name)


# --- journeys -------------------------------------------------------------------------------


class Journey:
    """One person's browser (a context with JavaScript off) and the checks run on every page."""

    def __init__(
        self,
        browser: Browser,
        server: str,
        auditor: Auditor,
        name: str,
        *,
        cookies: list[Any] | None = None,
    ) -> None:
        self.server = server
        self.auditor = auditor
        self.name = name
        self.context: BrowserContext = browser.new_context(
            java_script_enabled=False, base_url=server
        )
        if cookies:
            self.context.add_cookies(cookies)  # type: ignore[arg-type]
        self.requests: list[str] = []
        self.context.on("request", lambda req: self.requests.append(req.url))
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        self._document: Response | None = None
        self.page.on("response", self._note_document)
        self._css_sizes: dict[str, int] = {}

    def _note_document(self, response: Response) -> None:
        request = response.request
        if (
            request.is_navigation_request()
            and request.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self._document = response

    # navigation ----------------------------------------------------------------------------

    def goto(self, path: str) -> Page:
        self.page.goto(urljoin(self.server + "/", path.lstrip("/")), wait_until="load")
        return self.page

    def click(self, target: Locator) -> Page:
        """Click a link or submit button and wait for the page it leads to (which must be OK)."""
        with self.page.expect_navigation(wait_until="load"):
            target.click()
        document = self._document
        if document is not None and document.status >= 400:
            title = self.page.title()
            raise AssertionError(
                f"{document.request.method} {document.url} answered {document.status}: {title!r}"
            )
        return self.page

    def sign_in(self, login: str, password: str = PASSWORD, *, check: bool = True) -> Page:
        """Fill the sign-in form on /login/ (visiting it first if needed) and submit it."""
        if not self.path.startswith("/login/") or self.page.locator("#id_login").count() == 0:
            self.goto("/login/")
        if check:
            self.check("sign-in-form")
        self.page.get_by_label("E-mail or handle").fill(login)
        self.page.get_by_label("Password", exact=True).fill(password)
        return self.click(self.page.get_by_role("button", name="Sign in"))

    @property
    def path(self) -> str:
        return "/" + self.page.url.removeprefix(self.server).lstrip("/")

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    # the checks ----------------------------------------------------------------------------

    def check(self, step: str, *, phone: bool = False, status: int = 200) -> str:
        """Screenshot, page-weight, no-script, same-origin and accessibility checks; returns the HTML."""
        label = self.auditor.next_label(self.name, step)
        document = self._document
        assert document is not None, f"{label}: no document was loaded"
        # The fragment (#attachments) never reaches the server: compare without it.
        assert document.url.split("#")[0] == self.page.url.split("#")[0], (
            f"{label}: expected the document of {self.page.url}, have {document.url}"
        )
        assert document.status == status, (
            f"{label}: {document.url} answered {document.status}, expected {status}"
        )
        raw = document.body()
        html = raw.decode("utf-8")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self.auditor.test_name}-{label}.png"), full_page=True
        )

        assert "<script" not in html.lower(), f"{label}: {document.url} contains a <script> element"
        foreign = [url for url in self.requests if not url.startswith(self.server + "/")]
        assert not foreign, f"{label}: requests to other hosts: {foreign}"
        weight = len(raw) + sum(self._css_size(href) for href in _stylesheets(html))
        assert weight <= PAGE_BUDGET_BYTES, (
            f"{label}: {document.url} weighs {weight} bytes of HTML+CSS (> {PAGE_BUDGET_BYTES})"
        )

        replay = document.request.method != "GET" or 'class="messages"' in html
        if replay:
            self.auditor(
                html,
                self.page.url,
                cookies=self.context.cookies(),
                step=label,
                phone=phone,
                status=status,
            )
        else:
            self.auditor(self.page, step=label, phone=phone, status=status)
        return html

    def _css_size(self, href: str) -> int:
        url = urljoin(self.page.url, href)
        assert url.startswith(self.server + "/"), f"stylesheet from another host: {url}"
        if url not in self._css_sizes:
            response = self.context.request.get(url)
            assert response.ok, f"stylesheet {url} answered {response.status}"
            self._css_sizes[url] = len(response.body())
        return self._css_sizes[url]

    def close(self) -> None:
        self.context.close()


def _stylesheets(html: str) -> list[str]:
    links = re.findall(r"<link\b[^>]*>", html, flags=re.IGNORECASE)
    return [
        match.group(1)
        for link in links
        if re.search(r"""rel=["']?stylesheet""", link, flags=re.IGNORECASE)
        and (match := re.search(r"""href=["']([^"']+)["']""", link))
    ]


@pytest.fixture
def journey(browser: Browser, server: str, audit: Auditor) -> Iterator[Callable[..., Journey]]:
    """``journey(name, cookies=None)`` → a fresh JavaScript-free browser for one person."""
    opened: list[Journey] = []

    def open_journey(name: str, *, cookies: list[Any] | None = None) -> Journey:
        person = Journey(browser, server, audit, name, cookies=cookies)
        opened.append(person)
        return person

    yield open_journey
    for person in opened:
        person.close()
