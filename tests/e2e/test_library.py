"""The library in the browser, JavaScript off: a coordinator writes and publishes a guide in
Portuguese with its file; a visitor with a fresh profile finds it by another form of a word,
reads it and downloads it, and leaves with no cookie."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import make_desk
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e

GUIDE = "Guia de segurança para defensoras\n\n1. Combine um sinal de alerta.\n"


def test_a_guide_is_published_then_found_and_downloaded_by_a_visitor(
    journey, audit, server, tmp_path
):
    _desk, coordinator, _phrase = make_desk("Library Desk", "LB", "coordinator@lb.example")

    staff = journey("coordinator")
    staff.sign_in(coordinator.login)
    staff.click(staff.page.get_by_role("link", name="Library"))
    staff.check("manage")
    staff.click(staff.page.get_by_role("link", name="New resource"))
    staff.check("new", phone=True)
    # First without a topic: the error summary says so, and what was typed stays.
    staff.page.get_by_label("Address").fill("guia-de-seguranca")
    staff.page.get_by_label("Kind").select_option("guide")
    staff.page.get_by_label("Licence").select_option("cc-by-sa-4.0")
    staff.page.get_by_role("button", name="Create the draft").click()
    expect(staff.page.locator("#error-summary")).to_contain_text("Choose at least one topic.")
    staff.check("new-refused", status=400)
    expect(staff.page.get_by_label("Address")).to_have_value("guia-de-seguranca")
    staff.page.get_by_label("Digital security").check()
    staff.page.get_by_label("Personal and organisational protection plans").check()
    staff.click(staff.page.get_by_role("button", name="Create the draft"))
    staff.check("edit", phone=True)

    staff.click(staff.page.get_by_role("link", name="Add a Portuguese version"))
    staff.check("version-form", phone=True)
    staff.page.get_by_label("Title").fill("Segurança no caminho para casa")
    staff.page.get_by_label("Summary").fill("Um guia curto para defensoras que voltam tarde.")
    staff.page.get_by_label("Text", exact=True).fill(
        "As defensoras combinam rotas e horários.\n\nAvisem uma pessoa de confiança."
    )
    staff.page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "guia.txt", "mimeType": "text/plain", "buffer": GUIDE.encode()}]
    )
    staff.click(staff.page.get_by_role("button", name="Save this version"))
    expect(staff.page.locator(".messages")).to_contain_text("version saved")
    staff.click(staff.page.get_by_role("button", name="Publish"))
    expect(staff.page.locator(".messages")).to_contain_text("Published.")

    visitor = journey("visitor")
    visitor.goto("/library/?lang=pt")
    expect(visitor.page.locator("html")).to_have_attribute("lang", "pt")
    visitor.check("library-pt", phone=True)
    visitor.page.get_by_label("Palavras a pesquisar").fill("defensora")
    visitor.click(visitor.page.get_by_role("button", name="Pesquisar"))
    expect(visitor.page.locator("main")).to_contain_text("1 recurso encontrado")
    visitor.check("found", phone=True)
    visitor.click(visitor.page.get_by_role("link", name="Segurança no caminho para casa"))
    expect(visitor.page.locator("article")).to_contain_text("Avisem uma pessoa de confiança.")
    visitor.check("guide", phone=True)
    with visitor.page.expect_download() as download_info:
        visitor.page.get_by_role("link", name="Baixar guia.txt").click()
    download = download_info.value
    assert download.suggested_filename == "guia.txt"
    assert Path(download.path()).read_text(encoding="utf-8") == GUIDE
    Path(download.path()).unlink()
    assert visitor.context.cookies() == [], "the public library sets no cookie"

    # The whole library in Portuguese, for a USB stick: it opens from disk with no server.
    visitor.goto("/library/?lang=pt")
    with visitor.page.expect_download() as download_info:
        visitor.page.get_by_role("link", name="Baixar a biblioteca neste idioma").click()
    folder = tmp_path / "usb"
    with zipfile.ZipFile(download_info.value.path()) as archive:
        archive.extractall(folder)
    offline = journey("offline reader")
    offline.page.goto((folder / "index.html").as_uri())
    expect(offline.page.locator("h1")).to_have_text("Biblioteca")
    offline.page.get_by_role("link", name="Segurança no caminho para casa").click()
    expect(offline.page.locator("article")).to_contain_text("Avisem uma pessoa de confiança.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    offline.page.screenshot(path=str(SCREENSHOTS / f"{audit.test_name}-offline-guide.png"))
    assert all(url.startswith("file://") for url in offline.requests), offline.requests
    assert (folder / "files/guia-de-seguranca/guia.txt").read_text(encoding="utf-8") == GUIDE

    # A search of punctuation only: the pattern, in Portuguese, and no cookie either.
    visitor.goto("/library/?lang=pt&q=%3F%21")
    expect(visitor.page.locator("#error-summary")).to_contain_text("Digite pelo menos uma palavra")
    visitor.check("search-refused", status=400)
    assert visitor.context.cookies() == []
    audit.assert_clean()
