"""Accessibility and reach sweep (issue 19): every page of every role, on the demo desk.

One test crawls the demo desk as each role (see :mod:`tests.e2e.reach` for what is checked on
each page: axe-core, 360 px, 200 % zoom, Tor "Safest"), then holds the crawl to the
authorization matrix: every URL name that tests/routes.py says answers 200 to GET for one of
the crawled roles must have been reached by following links, or be listed in
:data:`UNLINKED` with the reason no link leads there — so a new page cannot escape the sweep.

The demo desk (``protectdesk demo``) is the data: a few hundred incidents, plans, wheels,
workshops, partners, the library and the observatory, so the pages have content to lay out.
It is one test on purpose: the demo is made once (about 10 s) and shared by every role.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from protectdesk import demo
from protectdesk.accounts import actions as accounts
from protectdesk.accounts.actions import invitations
from protectdesk.accounts.models import User
from protectdesk.advocacy import actions as advocacy_actions
from tests.e2e.reach import RoleCrawl, Sweep, sign_in
from tests.routes import MATRIX

pytestmark = [pytest.mark.e2e, pytest.mark.reach]

#: role (as tests/routes.py names its persona) → demo login; anonymous crawls last, from the
#: public addresses the staff pages link to (the addresses a desk hands out).
ROLES = {
    "admin": "admin@demo.example",
    "coordinator": demo.COORDINATOR,
    "caseworker": demo.CASEWORKER,
    "defender": demo.DEFENDER_HANDLE,
    "trainer": demo.TRAINER,
    "analyst": demo.ANALYST,
    "anonymous": "",
}

#: URL names answering 200 to GET that no link of any page leads to, and why. Reviewed: each
#: is reached another way, covered by the journey named.
UNLINKED = {
    "accounts:accept_invitation": "the invitation link is handed over outside the app "
    "(tests/e2e/test_journeys.py::test_accept_invitation audits it)",
    "notes:detail": "tests/notes is a module of the test suite only (the proof that a module "
    "plugs in): the demo desk has no notes",
    "imports:sheet": "a sheet exists only after an upload, a POST; tests/e2e/test_import.py "
    "audits its pages",
    "library:download": "a file, linked from the version of the two demo resources that carry "
    "one, which the sampled versions may miss; tests/e2e/test_library.py downloads one",
    "jobs:progress": "shown only after the POST that starts a job, an import "
    "(tests/e2e/test_import.py audits it)",
}


def enrich_the_demo() -> None:
    """What the demo leaves out and two pages need: a published country (the observatory's
    public page) and an account re-invited with cases it cannot open yet (the restore page)."""
    coordinator = User.objects.get(login=demo.COORDINATOR)
    advocacy_actions.publish_country(actor=coordinator, country="GT", published=True)
    caseworker2 = User.objects.get(login=demo.CASEWORKER2)
    invitation, token = invitations.invite(
        actor=coordinator, role=caseworker2.role, login=caseworker2.login, user=caseworker2
    )
    accounts.accept_invitation(
        invitation=invitation, token=token, password=demo.DEMO_PASSWORD, display_name=""
    )


def test_every_page_of_every_role(browser, server):
    demo.create_demo()
    enrich_the_demo()
    sweep = Sweep()
    started = time.monotonic()
    timings: dict[str, float] = {}
    for role, login in ROLES.items():
        begun = time.monotonic()
        fetcher = browser.new_context(java_script_enabled=False)
        try:
            seeds, unlisted = [server + "/"], []
            if login:
                sign_in(fetcher, server, login, demo.DEMO_PASSWORD)
            else:
                # The addresses a desk hands out: its public form (shown as text to copy on
                # the intake settings page, not as a link), and every public page a staff
                # page links to (the library, a published country).
                desk = demo.demo_desk()
                assert desk is not None
                seeds.append(server + reverse("intake:report", args=[desk.id]))
                unlisted = [
                    address
                    for name, addresses in sorted(sweep.public.items())
                    if MATRIX.get(name) and MATRIX[name].expect.get("anonymous") == 200
                    for address in addresses
                ]
            crawl = RoleCrawl(browser, server, role, fetcher, sweep)
            try:
                crawl.crawl(seeds, unlisted=unlisted)
            finally:
                crawl.close()
        finally:
            fetcher.close()
        timings[role] = time.monotonic() - begun

    per_role = {role: sum(1 for r, _n, _u in sweep.audited if r == role) for role in ROLES}
    print(
        f"\nreach sweep: {len(sweep.audited)} pages × roles audited in "
        f"{time.monotonic() - started:.0f} s; per role: {per_role}; seconds: "
        + ", ".join(f"{role} {seconds:.0f}" for role, seconds in timings.items())
        + "; by phase: "
        + ", ".join(f"{phase} {seconds:.0f}" for phase, seconds in sweep.seconds.items())
    )

    expected = {
        name
        for name, route in MATRIX.items()
        if route.method == "GET" and any(route.expect.get(role) == 200 for role in ROLES)
    }
    missed = sorted(expected - set(sweep.reached) - set(UNLINKED))
    stale = sorted(set(UNLINKED) & set(sweep.reached)) + sorted(set(UNLINKED) - expected)
    problems = sweep.problems()
    if missed:
        problems.append(f"pages no link reaches (link them, or list them in UNLINKED): {missed}")
    if stale:
        problems.append(f"UNLINKED lists pages that are reached or not GET 200 pages: {stale}")
    assert not problems, f"{len(problems)} reach problems:\n" + "\n".join(problems)
