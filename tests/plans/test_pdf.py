"""The printed plan: a PDF per language with the shipped fonts, built in memory, and a URL
fetcher that serves the app's own static files and nothing else."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions as case_actions
from protectdesk.lib import pdf
from protectdesk.plans import actions
from tests.conftest import add_defender_account, keyring_of

NAME = "Ирина Łukasz Ñáñez Ελένη"  # Cyrillic, Polish, Spanish accents, Greek: one font


def _case_with_a_plan(desks):
    keyring = keyring_of(desks.caseworker)
    case = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name=NAME),
    )
    version = actions.start_plan(actor=desks.caseworker, keyring=keyring, case=case)
    version = actions.update_plan(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        data=actions.PlanData(
            version.next_review, "Amenazas: la denuncia", staff_notes="Solo personal"
        ),
        expected_version=version.row_version,
    )
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="arrest_detention",
        data=actions.ContingencyData("1. Llame a la abogada.", contacts="Abogada: +502 0000"),
    )
    return case


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_plan_prints_in_each_language_with_the_shipped_fonts(desks, signed_in_client, language):
    case = _case_with_a_plan(desks)
    response = signed_in_client(desks.caseworker).get(
        reverse("plans:pdf", args=[case.id]) + f"?lang={language}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    # Embedded under the @font-face family of print.css: the shipped files, not the system's.
    assert fonts and all("PD-Sans" in font for font in fonts), fonts
    text = _text(content)
    with translation.override(language):
        title, sheet = gettext("Protection plan"), gettext("Emergency sheet")
    if language != "en":
        assert title != "Protection plan", "the catalogue has no translation yet"
    assert title in text and sheet in text
    assert NAME in text.replace("\n", " ")  # the text layer, accents and non-Latin letters
    assert "1. Llame a la abogada." in text and "Abogada: +502 0000" in text
    assert "Solo personal" not in text  # staff notes never go to paper
    assert AuditEntry.objects.filter(action="plan.printed").count() == 1


def test_the_defender_prints_their_plan(desks, signed_in_client):
    case = _case_with_a_plan(desks)
    defender = add_defender_account(desks.caseworker, case)
    response = signed_in_client(defender).get(reverse("plans:pdf", args=[case.id]) + "?lang=es")
    assert response.status_code == 200
    assert "Solo personal" not in _text(b"".join(response.streaming_content))


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/static/protectdesk/print.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        f"{pdf.BASE_URL}media/secret.txt",
        f"{pdf.BASE_URL}static/../settings.py",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/settings.py",
        f"{pdf.BASE_URL}static/protectdesk/nothing-here.css",
        f"{pdf.BASE_URL}static/protectdesk/print.css?x=1",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnly().fetch(url)


def test_the_fetcher_serves_the_static_files(db):
    response = pdf.StaticOnly().fetch(f"{pdf.BASE_URL}static/protectdesk/print.css")
    assert b"@font-face" in response.read()
    font = pdf.StaticOnly().fetch(f"{pdf.BASE_URL}static/protectdesk/fonts/DejaVuSans.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font


def test_a_document_pointing_elsewhere_prints_without_it(db):
    """An image or stylesheet from another host, a file or data is simply left out."""
    html = (
        '<html><head><link rel="stylesheet" href="http://example.org/x.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><p>kept</p><img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )
    assert "kept" in _text(pdf.render(html))


def test_the_printed_plan_carries_the_latest_wheel_chart(desks, signed_in_client):
    import uuid

    from protectdesk.wheel import actions as wheel_actions
    from protectdesk.wheel import definitions

    case = _case_with_a_plan(desks)
    keyring = keyring_of(desks.caseworker)
    wheel = definitions.load()["organisational"]
    session = wheel_actions.start_session(
        actor=desks.caseworker, keyring=keyring, case=case, wheel="organisational"
    )
    wheel_actions.add_participant(
        actor=desks.caseworker,
        keyring=keyring,
        session=session,
        label="One",
        submission=uuid.uuid4(),
        scores=tuple(wheel_actions.SpokeEntry(s.code, 40) for s in wheel.spokes),
    )
    response = signed_in_client(desks.caseworker).get(
        reverse("plans:pdf", args=[case.id]) + "?lang=en"
    )
    text = _text(b"".join(response.streaming_content))
    assert "Mean score of each spoke" in text and wheel.spokes[0].label in text


def test_characters_the_fonts_lack_never_reach_the_log(desks, signed_in_client):
    """WeasyPrint warns about each character it cannot draw, naming it: that must go nowhere."""
    from tests import canary as scan

    keyring = keyring_of(desks.caseworker)
    name = "王秀英 Ꮳ张"  # Chinese and Cherokee: not in DejaVu Sans
    case = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name=name),
    )
    actions.start_plan(actor=desks.caseworker, keyring=keyring, case=case)
    response = signed_in_client(desks.caseworker).get(reverse("plans:pdf", args=[case.id]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    logged = b"".join(scan.log_files().values()).decode("utf-8", "replace")
    assert not any(character in logged for character in "王秀英Ꮳ张")


def test_a_plan_too_long_to_print_is_refused_with_a_message(desks, signed_in_client, monkeypatch):
    case = _case_with_a_plan(desks)
    monkeypatch.setattr(pdf, "MAX_CHARACTERS", 100)
    response = signed_in_client(desks.caseworker).get(
        reverse("plans:pdf", args=[case.id]), follow=True
    )
    assert "The plan is too long to print" in response.content.decode()
    assert not AuditEntry.objects.filter(action="plan.printed").exists()
