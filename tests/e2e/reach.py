"""The reach sweep's machinery: crawl a role's pages by their links, and check each one.

Why a crawl and not a list of URLs: a list is what someone remembered to write; links are what
a person can actually reach. Each role starts at the home page and follows every same-origin
``<a href>`` (and ``<img src>``) it is shown, by GET only — the product's GET is safe
(tests/test_get_is_safe.py) and every state change is a POST form, so following links changes
nothing. Pages are deduplicated by *resolved URL name* per role: the sweep checks each kind of
page once per role, not each of the desk's hundreds of incidents. A kind of page is still
fetched a few times (:data:`DISCOVER_PER_NAME`) to find its links, because the first case of
a list need not have a plan or a wheel session; only the first instance is audited.

Each HTML page a role reaches is fetched as the role's JavaScript-free browser receives it
(no ``<script>``, HTML + CSS within the budget, links found) and then loaded in the role's
audit page (JavaScript on for axe-core, CSP bypassed, the same cookies), where it is checked:

* axe-core, serious and critical violations fail (the same rule as :class:`Auditor`);
* phone: 360 CSS px wide, no horizontal scrolling;
* 200 % zoom: a 640×400 CSS px viewport at device scale factor 2 — what a 1280×800 window
  shows at 200 % (WCAG 1.4.4 "resize text" without loss, and the reflow of 1.4.10: content in
  one column, no horizontal scrolling except inside a data table's own scroll box); no
  horizontal scrolling and no clipped text (an element that hides its overflow and whose
  text is wider or taller than its box);
* Tor Browser "Safest": JavaScript off (as always), SVG and downloadable fonts off. Chromium
  has no switch for either, so the loaded page is stripped of its SVG (inline ``<svg>``, and
  the source of any image served as SVG) and of its ``@font-face`` rules
  (:meth:`RoleCrawl.safest` says why in place); then every chart must still carry its data
  table, the page must still fit 360 px, and axe's name rules (``link-name``, ``button-name``,
  ``image-alt``, ``svg-img-alt``, ``role-img-alt``, ``input-button-name``) must pass, so no
  icon was the only name of a link or button.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

from tests.e2e.conftest import (
    AXE_JS,
    NAVIGATION_TIMEOUT_MS,
    PAGE_BUDGET_BYTES,
    PHONE,
    Violation,
    violations_of,
)

#: Instances of one kind of page fetched (not audited) per role, to find links the first lacks.
DISCOVER_PER_NAME = 4
#: 200 % of a 1280×800 window, in CSS pixels (see the module docstring).
ZOOM = {"width": 640, "height": 400}
DESKTOP = {"width": 1280, "height": 800}
#: Never followed even though they are links: none is a GET that changes state today, this is
#: a belt for the day one is added by mistake (the matrix lists them as POST anyway).
NEVER_FOLLOW = {"accounts:logout", "set_language"}
#: axe rules that must hold once SVG is gone: every link, button and image keeps a name.
SAFEST_RULES = [
    "link-name",
    "button-name",
    "input-button-name",
    "image-alt",
    "svg-img-alt",
    "role-img-alt",
]
#: Tor "Safest" applied to a loaded page (see :meth:`RoleCrawl.safest`).
SAFEST_JS = """(svgImages) => {
    document.querySelectorAll('svg').forEach(e => e.remove());
    document.querySelectorAll('img, input[type=image]').forEach(e => {
        if (svgImages.includes(e.currentSrc || e.src)) e.removeAttribute('src');
    });
    for (const sheet of Array.from(document.styleSheets)) {
        const rules = sheet.cssRules;
        for (let i = rules.length - 1; i >= 0; i--) {
            if (rules[i] instanceof CSSFontFaceRule) sheet.deleteRule(i);
        }
    }
}"""

#: Elements whose text is cut off: they hide overflow (or ellipsise) and their content is
#: larger than their box. A visually-hidden helper (1×1 px, clipped on purpose) is not text
#: cut off: it is read by screen readers and never meant to show.
CLIPPED_JS = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
    const s = getComputedStyle(e);
    if (['SELECT', 'TEXTAREA', 'OPTION', 'OPTGROUP'].includes(e.tagName)) return false;  // they scroll
    if (s.display === 'none' || s.visibility === 'hidden' || !e.textContent.trim()) return false;
    const hides = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY)
        || s.textOverflow === 'ellipsis';
    if (!hides || e.clientWidth <= 1 || e.clientHeight <= 1) return false;
    return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
}).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
    ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') + ' "' + e.textContent.trim().slice(0, 40) + '"')"""

WIDEST_JS = """(limit) => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > limit + 0.5)
    .slice(0, 6)
    .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
        ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') +
        ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)')"""

#: A chart (lib/charts.py) is a figure whose bars are decoration: its table must be inside.
CHARTS_WITHOUT_TABLE_JS = """() => Array.from(document.querySelectorAll('figure.chart, .bars'))
    .map(e => e.closest('figure') || e)
    .filter(f => !f.querySelector('table'))
    .map(f => (f.querySelector('figcaption') || f).textContent.trim().slice(0, 60))"""


class _Links(HTMLParser):
    """The same-page addresses a person can follow: links, images, and GET forms submitted
    as they stand (a GET form is a link with parameters: "Compare", "Download the PDF")."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.stylesheets: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []  # (value, selected) of the open <select>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "a" and values.get("href"):
            self.found.append(values["href"])
        elif tag == "img" and values.get("src"):
            self.found.append(values["src"])
        elif tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.stylesheets.append(values["href"])
        elif tag == "form" and values.get("method", "get").lower() == "get":
            self._form = (values.get("action", ""), [])
        elif self._form is None or "disabled" in values:
            return
        elif (
            tag == "input"
            and values.get("name")
            and values.get("type", "text") not in ("submit", "button", "image")
        ):
            if values.get("type") not in ("checkbox", "radio") or "checked" in values:
                self._form[1].append((values["name"], values.get("value", "")))
        elif tag == "select" and values.get("name"):
            self._select = (values["name"], "multiple" in values)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((values.get("value", ""), "selected" in values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form[1].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            self.found.append(action.split("?")[0] + "?" + urlencode(fields))
            self._form = None


def spread(links: list[str]) -> list[str]:
    """``links`` with each kind's instances taken from both ends of the page in turn (last,
    first, second-to-last…): a list shows the newest first, and the demo's oldest cases are
    its richest (hand-written, with assessments and plans), so both ends are worth a look."""
    by_name: dict[str | None, list[str]] = defaultdict(list)
    for link in links:
        by_name[url_name(urlsplit(link).path)].append(link)
    ordered: list[str] = []
    for same in by_name.values():
        while same:
            ordered.append(same.pop())
            if same:
                ordered.append(same.pop(0))
    return ordered


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class Sweep:
    """Everything found across the roles; :meth:`problems` lists what fails."""

    reached: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # name → roles
    audited: list[tuple[str, str, str]] = field(default_factory=list)  # (role, name, url)
    violations: list[Violation] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    public: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # name → links
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # by phase

    def problems(self) -> list[str]:
        return [str(v) for v in self.violations] + self.failures


class RoleCrawl:
    """One role's crawl: its JavaScript-free browser fetches, its audit page checks."""

    def __init__(
        self,
        browser: Browser,
        server: str,
        role: str,
        fetcher: BrowserContext,
        sweep: Sweep,
    ) -> None:
        self.server = server
        self.role = role
        self.fetcher = fetcher
        self.sweep = sweep
        self.fetched: dict[str, int] = defaultdict(int)  # name → instances fetched
        self.seen_urls: set[str] = set()
        self.unlisted: set[str] = set()
        self.css: dict[str, int] = {}
        self.context = browser.new_context(
            java_script_enabled=True,
            bypass_csp=True,
            viewport=DESKTOP,  # type: ignore[arg-type]
            device_scale_factor=2,  # the zoom check's pixels; layout is in CSS px throughout
        )
        self.context.add_cookies(fetcher.cookies())  # type: ignore[arg-type]
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.svg_responses: set[str] = set()
        self.context.on("response", self._note_svg)
        self.page = self.context.new_page()
        self.page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        self.axe = AXE_JS.read_text(encoding="utf-8")

    def close(self) -> None:
        self.context.close()

    def _note_svg(self, response: Response) -> None:
        if response.headers.get("content-type", "").startswith("image/svg"):
            self.svg_responses.add(response.url)

    def fail(self, message: str) -> None:
        self.sweep.failures.append(f"{self.role}: {message}")

    # the crawl -----------------------------------------------------------------------------

    def crawl(self, seeds: list[str], *, unlisted: Sequence[str] = ()) -> None:
        """Follow links from ``seeds``. ``unlisted`` are addresses seen on another role's
        pages: one that answers 404 to this role is not a broken link shown to it (a staff
        page links to a library draft the public cannot see)."""
        self.unlisted = set(unlisted)
        frontier = list(seeds) + list(unlisted)
        while frontier:
            url = frontier.pop(0)
            if url in self.seen_urls:
                continue
            self.seen_urls.add(url)
            path = urlsplit(url).path
            name = url_name(path)
            if name is None or name in NEVER_FOLLOW or self.fetched[name] >= DISCOVER_PER_NAME:
                continue
            self.fetched[name] += 1
            frontier.extend(self.visit(url, name, first=self.fetched[name] == 1))

    def visit(self, url: str, name: str, *, first: bool) -> list[str]:
        """Fetch ``url`` as the role's JavaScript-free browser; audit it if it is the first of
        its kind; return the same-origin links it shows."""
        begun = time.monotonic()
        response = self.fetcher.request.get(url, max_redirects=0)
        self.sweep.seconds["fetch"] += time.monotonic() - begun
        status = response.status
        if 300 <= status < 400:
            self.fetched[name] -= 1  # a redirect is not an instance of the page
            return [self.absolute(url, response.headers["location"])]
        if status == 404 and url in self.unlisted:
            return []
        if status != 200:
            # A link shown to a role that the role may not follow is a broken promise.
            self.fail(f"{url} ({name}) answered {status}")
            return []
        self.sweep.reached[name].add(self.role)
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("text/html"):
            return []  # a download or an image: reached, nothing to audit
        raw = response.body()
        html = raw.decode("utf-8")
        parser = _Links()
        parser.feed(html)
        links = [self.absolute(url, href) for href in parser.found]
        links = spread([link for link in links if link.startswith(self.server + "/")])
        if self.role != "anonymous":
            for link in links:
                linked = url_name(urlsplit(link).path)
                if linked and link not in self.sweep.public[linked]:
                    self.sweep.public[linked].append(link)
        if first:
            if "<script" in html.lower():
                self.fail(f"{url} ({name}) contains a <script> element")
            weight = len(raw) + sum(self.css_size(url, href) for href in parser.stylesheets)
            if weight > PAGE_BUDGET_BYTES:
                self.fail(f"{url} ({name}) weighs {weight} bytes of HTML+CSS")
            self.audit(url, name, html)
        return links

    def absolute(self, base: str, href: str) -> str:
        return urljoin(base, href).split("#")[0]

    def css_size(self, base: str, href: str) -> int:
        url = urljoin(base, href)
        if url not in self.css:
            self.css[url] = len(self.fetcher.request.get(url).body())
        return self.css[url]

    # the checks ----------------------------------------------------------------------------

    def audit(self, url: str, name: str, html: str) -> None:
        """Check the page the role was served. The audit page is given the same HTML at the
        same address (the server renders a case page once, not twice); its stylesheet and
        images load from the live server as they did for the person."""
        begun = time.monotonic()
        self.sweep.audited.append((self.role, name, url))
        step = f"{self.role} {name}"
        page = self.page
        self.requests.clear()
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

        def serve(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        def is_the_page(candidate: str) -> bool:
            return candidate == url

        page.route(is_the_page, serve)
        try:
            response = page.goto(url, wait_until="load")
        finally:
            page.unroute(is_the_page, serve)
        if response is None or response.status != 200 or page.url != url:
            self.fail(f"audit: {url} ({name}) did not load as it was fetched")
            return
        foreign = [r for r in self.requests if not r.startswith(self.server + "/")]
        if foreign:
            self.fail(f"{url} ({name}) requests other hosts: {foreign}")
        if not page.evaluate(
            "() => Array.from(document.styleSheets).some(s => s.cssRules.length > 0)"
        ):
            self.fail(f"audit: the stylesheet did not load for {url}")
        self.run_axe(url, step)
        laid_out = time.monotonic()
        self.no_horizontal_scroll(url, step, PHONE, "phone 360 px")
        self.no_horizontal_scroll(url, step, ZOOM, "200 % zoom")
        clipped = page.evaluate(CLIPPED_JS)
        if clipped:
            self.fail(f"{url} ({name}) at 200 % zoom: text cut off: {clipped}")
        safest = time.monotonic()
        self.safest(url, step)
        done = time.monotonic()
        self.sweep.seconds["load + axe"] += laid_out - begun
        self.sweep.seconds["360 px + zoom"] += safest - laid_out
        self.sweep.seconds["safest"] += done - safest

    def run_axe(self, url: str, step: str, rules: list[str] | None = None) -> None:
        if not self.page.evaluate("() => typeof axe !== 'undefined'"):
            self.page.add_script_tag(content=self.axe)
        options: dict[str, Any] = {"resultTypes": ["violations"]}
        if rules:
            options["runOnly"] = {"type": "rule", "values": rules}
        result = self.page.evaluate("async (options) => await axe.run(document, options)", options)
        self.sweep.violations.extend(violations_of(result, url, step))

    def no_horizontal_scroll(self, url: str, step: str, size: dict[str, int], what: str) -> None:
        page = self.page
        page.set_viewport_size(size)  # type: ignore[arg-type]
        page.wait_for_function(f"() => window.innerWidth === {size['width']}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > size["width"]:
            wide = page.evaluate(WIDEST_JS, size["width"])
            self.fail(f"{url} ({step}) {what}: scrollWidth {width}px; widest: {wide}")

    def safest(self, url: str, step: str) -> None:
        """Turn the loaded page into what Tor Browser "Safest" shows: no SVG, no web fonts.

        Done in place rather than by loading the page again through a rewriting route (which
        cost a second load per page): JavaScript is off for the user, so nothing on the page
        reacts to its DOM, and a document without its ``<svg>`` elements is the document parsed
        without them. An ``<img>`` whose response was SVG loses its source, leaving only its
        alternative text, as a browser with SVG off shows it; ``@font-face`` rules are
        deleted, so text falls back to the system fonts as with downloadable fonts off.
        """
        page = self.page
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        page.evaluate(SAFEST_JS, sorted(self.svg_responses))
        self.run_axe(url, f"{step} (Safest: no SVG, no web fonts)", SAFEST_RULES)
        bare = page.evaluate(CHARTS_WITHOUT_TABLE_JS)
        if bare:
            self.fail(f"{url} ({step}) Safest: charts without a data table: {bare}")
        self.no_horizontal_scroll(url, step, PHONE, "phone 360 px, Safest")


def sign_in(context: BrowserContext, server: str, login: str, password: str) -> Page:
    """Sign in through the real form in the JavaScript-free ``context``; returns its page."""
    page = context.new_page()
    page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
    page.goto(server + "/login/")
    page.get_by_label("E-mail or handle").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == server + "/", f"{login} did not reach the home page: {page.url}"
    return page
