"""The caseworker's daily log in the browser, JavaScript off, in each of the four languages.

A new caseworker registers an individual and a community, opens their cases, logs an incident,
edits it, and filters the incident list to find it again. Every page is checked at 360 px, for
weight (≤ 60 KB with its CSS), for scripts and foreign requests, and by axe-core.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from protectdesk.incidents.models import Incident
from tests.conftest import add_user, make_desk

pytestmark = pytest.mark.e2e

TITLES = {
    "en": ("Threat at the market", "A man threatened her at the market.", "market"),
    "es": ("Amenaza en el mercado", "Un hombre la amenazó en el mercado.", "mercado"),
    "fr": ("Menace au marché", "Un homme l'a menacée au marché.", "marché"),
    "pt": ("Ameaça no mercado", "Um homem a ameaçou no mercado.", "mercado"),
}


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_register_defenders_log_edit_and_find_an_incident(journey, audit, server, language):
    _desk, coordinator, _phrase = make_desk("Daily Log Desk", "DL", f"coord-{language}@dl.example")
    caseworker = add_user(
        coordinator, "caseworker", f"cw-{language}@dl.example", "Daniela Caseworker"
    )
    title, narrative, word = TITLES[language]

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    # Switch language with the footer form (no JavaScript).
    worker.page.select_option("#language", language)
    worker.click(worker.page.locator("form.language button"))
    expect(worker.page.locator("html")).to_have_attribute("lang", language)
    worker.check("home", phone=True)

    def register(kind: str, name: str) -> None:
        worker.goto("/cases/new/")
        worker.check(f"new-{kind}", phone=True)
        worker.page.locator(f"input[name=kind][value={kind}]").check()
        worker.page.locator("#id_name").fill(name)
        worker.page.select_option("#id_subdivision", "GT-16")
        worker.click(worker.page.locator("form button.primary"))
        expect(worker.page.locator("h1")).to_have_text(name)
        worker.check(f"case-{kind}", phone=True)

    register("community", f"Comunidad Prueba {language}")
    community_url = worker.page.url
    register("individual", f"Persona Prueba {language}")
    individual_url = worker.page.url

    # Open their cases again from the list.
    worker.goto("/cases/")
    worker.check("case-list", phone=True)
    worker.click(worker.page.locator(f"a[href='{community_url.removeprefix(server)}']").first)
    worker.click(
        worker.page.locator(f"a[href='{individual_url.removeprefix(server)}']").first
    ) if worker.page.locator(
        f"a[href='{individual_url.removeprefix(server)}']"
    ).count() else worker.goto(individual_url.removeprefix(server))

    # Log an incident on the individual's case.
    worker.goto(individual_url.removeprefix(server))
    worker.click(worker.page.locator("a[href$='/incidents/new/']"))
    worker.check("incident-form", phone=True)
    worker.page.locator("#id_title").fill(title)
    worker.page.locator("#id_when").fill("2026-10-12")
    worker.page.locator("input[name=types][value=death_threat]").check()
    worker.page.locator("#id_narrative").fill(narrative)
    worker.click(worker.page.locator("form.incident-form button.primary"))
    expect(worker.page.locator("h1")).to_have_text(title)
    worker.check("incident", phone=True)

    # Edit it.
    worker.click(worker.page.locator("a[href$='/edit/']"))
    worker.page.locator("#id_narrative").fill(narrative + " (2)")
    worker.click(worker.page.locator("form.incident-form button.primary"))
    expect(worker.page.locator("main")).to_contain_text(narrative + " (2)")
    worker.check("incident-edited", phone=True)
    assert Incident.objects.get().row_version == 2

    # Filter the list to find it: by type and by a word of its title (encrypted search).
    worker.goto("/incidents/")
    worker.check("incident-list", phone=True)
    worker.page.locator("details.filters summary").click()
    worker.page.locator("#id_words").fill(word)
    worker.page.select_option("#id_types", "death_threat")
    worker.click(worker.page.locator("details.filters button.primary"))
    expect(worker.page.locator("table.incidents")).to_contain_text(title)
    worker.check("incident-found", phone=True)
    audit.assert_clean()
