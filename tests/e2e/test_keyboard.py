"""A caseworker logs an incident with the keyboard only: Tab, Shift+Tab, Enter and Space.

No mouse click, JavaScript off, as someone who cannot use a pointer (or uses a switch that
sends keys) works. On every page the journey crosses:

* the first Tab stop is the skip link, it is visible when focused, and Enter on it moves the
  sequential focus start into ``<main>`` (the next Tab lands inside it);
* every element that receives focus shows it: its computed outline or box-shadow differs from
  the one it has unfocused (WCAG 2.4.7) — measured in the journey's own browser, since CSS
  ``:focus-visible`` does not need JavaScript and the styles are the ones the person sees;
* focus follows the document's order (each stop after the previous one, no positive
  ``tabindex``: WCAG 2.4.3), and Shift+Tab goes back to the previous stop;
* the journey reaches what it needs by Tab alone: the sign-in button, the case, "Log an
  incident", every field it fills, and the submit button; the incident is then saved.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from protectdesk.incidents.models import Incident
from tests.conftest import PASSWORD
from tests.e2e.conftest import NAVIGATION_TIMEOUT_MS

pytestmark = pytest.mark.e2e

MAX_STOPS = 200  # Tab presses to reach one target before the test gives up

#: Mark every focusable element with its unfocused outline and shadow, before any Tab.
BASELINE_JS = """() => {
    for (const e of document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')) {
        const s = getComputedStyle(e);
        e.dataset.reachBaseline = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
    }
    return document.querySelectorAll('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').length;
}"""

#: The focused element: a description, its place in document order, and whether it shows focus.
FOCUSED_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const now = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
    const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadowed = s.boxShadow !== 'none';
    const box = e.getBoundingClientRect();
    return {
        what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '')
            + ' "' + (e.innerText || e.value || e.name || '').trim().slice(0, 30) + '"',
        order: Array.from(document.querySelectorAll('*')).indexOf(e),
        shows: (outlined || shadowed) && now !== e.dataset.reachBaseline,
        visible: box.width > 0 && box.height > 0 && box.right > 0 && box.left < window.innerWidth,
        inMain: !!document.querySelector('main') && document.querySelector('main').contains(e),
    };
}"""


class Keyboard:
    """One JavaScript-free page driven by keys only, checking every focus stop."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.segments: list[str] = []
        self.last_order = -1

    def new_page(self, label: str) -> None:
        """A page has loaded: take its unfocused styles, then check the skip link.

        A page that puts focus in a field itself (``autofocus`` on the sign-in form) has
        already skipped the menus: there focus must start inside ``<main>``, and the skip
        link must still be the first focusable element of the document.
        """
        self.label = label
        positive = self.page.evaluate(BASELINE_JS)
        if positive:
            self.problems.append(f"{label}: {positive} elements with a positive tabindex")
        self.last_order = -1
        first_focusable = self.page.evaluate(
            "() => { const e = document.querySelector('a[href], button, input:not([type=hidden]),"
            " select, textarea'); return e && e.classList.contains('skip') }"
        )
        if not first_focusable:
            self.problems.append(f"{label}: the skip link is not the first focusable element")
        start = self.page.evaluate(FOCUSED_JS)
        if start is not None:  # autofocus
            if not start["inMain"]:
                self.problems.append(f"{label}: the page focuses {start['what']}, outside <main>")
            self.last_order = start["order"]
            return
        first = self.tab()
        is_skip = self.page.evaluate("() => document.activeElement.classList.contains('skip')")
        if first is None or not is_skip:
            self.problems.append(f"{label}: the first Tab stop is not the skip link: {first}")
            return
        if not first["visible"]:
            self.problems.append(f"{label}: the skip link is focused but not visible")
        self.page.keyboard.press("Enter")
        hash_now = self.page.evaluate("() => location.hash")
        assert hash_now == "#main", f"{label}: the skip link went to {hash_now!r}, not #main"
        self.last_order = -1  # the sequential focus start moved to <main>
        inside = self.tab()
        if inside is None or not inside["inMain"]:
            self.problems.append(f"{label}: after the skip link, Tab went to {inside}")

    def tab(self, key: str = "Tab") -> dict | None:
        self.page.keyboard.press(key)
        stop = self.page.evaluate(FOCUSED_JS)
        if stop is None:
            return None
        if key == "Tab" and stop["order"] == self.last_order:
            # Tab moved to the next segment (minutes, AM/PM) of a time field: Chromium's own
            # inner fields, whose focus the field's computed style does not show. The stop
            # that entered the field was checked; the segments are reported, not hidden.
            self.segments.append(f"{self.label}: {stop['what']}")
            return stop
        if not stop["shows"]:
            self.problems.append(f"{self.label}: no visible focus indicator on {stop['what']}")
        if key == "Tab" and stop["order"] < self.last_order:
            self.problems.append(f"{self.label}: focus went back in the document to {stop['what']}")
        self.last_order = stop["order"]
        return stop

    def tab_to(self, selector: str) -> None:
        """Tab until the element matching ``selector`` has focus."""
        for _ in range(MAX_STOPS):
            if self.page.evaluate(
                "(sel) => document.activeElement && document.activeElement.matches(sel)", selector
            ):
                return
            if self.tab() is None:
                break
        raise AssertionError(f"{self.label}: Tab never reached {selector}")

    def enter(self) -> None:
        """Press Enter on the focused link or button and wait for the page it leads to."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press("Enter")


def test_a_caseworker_logs_an_incident_with_the_keyboard_only(browser: Browser, server: str, desks):
    case = desks.case
    before = Incident.objects.filter(case=case).count()
    context = browser.new_context(java_script_enabled=False, base_url=server)
    try:
        page = context.new_page()
        page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        keys = Keyboard(page)

        page.goto("/login/")
        keys.new_page("sign-in")
        keys.tab_to("#id_login")
        page.keyboard.type(desks.caseworker.login)
        keys.tab_to("input[type=password]")
        page.keyboard.type(PASSWORD)
        keys.tab_to("main form button[type=submit]")
        keys.enter()
        assert page.url == server + "/", page.url

        keys.new_page("home")
        keys.tab_to(f"main a[href='/cases/{case.id}/']")
        keys.enter()

        keys.new_page("case")
        keys.tab_to(f"main a[href='/cases/{case.id}/incidents/new/']")
        keys.enter()

        keys.new_page("incident form")
        keys.tab_to("#id_title")
        page.keyboard.type("Car parked outside the office all night")
        keys.tab_to("#id_when")
        page.keyboard.type("2026-11-30")
        keys.tab_to("input[name=types][value=surveillance]")
        page.keyboard.press("Space")
        expect(page.locator("input[name=types][value=surveillance]")).to_be_checked()
        # Shift+Tab goes back one stop, Tab returns: the order is the same both ways.
        back = keys.tab("Shift+Tab")
        again = keys.tab()
        assert back is not None and again is not None and again["order"] > back["order"]
        keys.tab_to("#id_narrative")
        page.keyboard.type("A grey car without plates stayed outside the office from 8 pm to 6 am.")
        keys.tab_to("form.incident-form button.primary")
        keys.enter()

        expect(page.locator("h1")).to_have_text("Car parked outside the office all night")
        assert Incident.objects.filter(case=case).count() == before + 1
        keys.new_page("incident saved")
    finally:
        context.close()
    print(f"\ntime-field segments passed by Tab, focus not measurable: {keys.segments}")
    assert not keys.problems, "Keyboard problems:\n" + "\n".join(keys.problems)
