"""Analytics in the browser, JavaScript off: the demo desk's analyst opens the analytics, a view
with its charts and tables, filters it and downloads the same tables as CSV; the coordinator
sets the smallest group (first refused, then saved). Every page is checked at 360 px, for
weight, scripts and by axe-core."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from protectdesk import demo

pytestmark = pytest.mark.e2e


def test_the_demo_analyst_reads_a_view_and_its_csv(journey, audit, server):
    demo.create_demo()
    a = journey("analyst")
    a.sign_in(demo.ANALYST, demo.DEMO_PASSWORD)
    a.check("home", phone=True)
    nav = a.page.locator("header nav")
    expect(nav.get_by_role("link", name="Analytics")).to_have_count(1)
    expect(nav.get_by_role("link", name="Cases")).to_have_count(0)
    a.click(nav.get_by_role("link", name="Analytics"))
    a.check("index", phone=True)
    a.click(a.page.get_by_role("link", name="Incidents by type", exact=True))
    expect(a.page.locator("h1")).to_have_text("Incidents by type")
    expect(a.page.locator("table.chart-data").first).to_be_visible()
    a.check("incidents-by-type", phone=True)

    table = a.page.locator("table.chart-data").first
    shown = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in table.locator("tbody tr").all()
    }
    assert shown and all(int(n) >= 5 for n in shown.values())
    with a.page.expect_download() as download:
        a.page.get_by_role("link", name="Download these tables (CSV)").click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    from_csv = {group: n for chart, group, n in lines[1:] if chart == "Type of incident"}
    assert from_csv.pop("Total")
    assert from_csv == shown

    a.page.locator("summary", has_text="Filter").click()
    kind = a.page.locator("fieldset", has_text="Type of incident")
    kind.locator("input[type=checkbox]").first.check()
    a.click(a.page.get_by_role("button", name="Show"))
    assert re.search(r"type=[a-z_]+", a.page.url)
    a.check("incidents-by-type-filtered", phone=True)
    audit.assert_clean()


def test_the_coordinator_sets_the_smallest_group(journey, audit, server):
    demo.create_demo()
    c = journey("coordinator")
    c.sign_in(demo.COORDINATOR, demo.DEMO_PASSWORD)
    c.goto("/analytics/")
    c.click(c.page.get_by_role("link", name="Analytics settings"))
    c.check("settings", phone=True)
    c.page.get_by_label("Smallest group shown").fill("1")
    c.page.get_by_role("button", name="Save the settings").click()
    expect(c.page.locator("#error-summary")).to_contain_text("Enter 2 or more")
    c.check("settings-refused", status=400, phone=True)
    c.page.get_by_label("Smallest group shown").fill("10")
    c.click(c.page.get_by_role("button", name="Save the settings"))
    expect(c.page.locator(".messages")).to_contain_text("The analytics settings are saved.")
    c.goto("/analytics/incidents-handling/")
    expect(c.page.locator("main")).to_contain_text("Groups of fewer than 10")
    c.check("view-k10", phone=True)
    audit.assert_clean()
