"""The library's pages: public reading without a cookie, search that says what is wrong, files
that must be what they say, drafts for the desk's staff only, and nothing of a case shown."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from protectdesk.library import actions
from protectdesk.library.models import Resource, Version
from tests.conftest import sign_in


def _published(desks, slug="safe-travel", body="Plan the route and share it.") -> Resource:
    return actions.create_with_versions(
        author=desks.caseworker,
        data=actions.ResourceData(
            slug=slug,
            kind="guide",
            audience="defenders",
            topics=("protection_plans",),
            licence="cc-by-4.0",
        ),
        versions=[
            (
                actions.VersionData("pt", "Viagens seguras", "Para quem viaja.", body),
                actions.Upload("guia.txt", 20, [b"Guia de viagem segura\n"]),
            )
        ],
        publisher=desks.coordinator,
    )


def test_an_anonymous_visitor_reads_searches_and_downloads_without_a_cookie(desks):
    _published(desks, body="As defensoras planejam as rotas.")
    client = Client()
    pages = [
        reverse("library:index") + "?lang=pt",
        reverse("library:index") + "?q=defensora&lang=pt",
        reverse("library:resource", args=["safe-travel"]) + "?lang=pt",
        reverse("library:version", args=["safe-travel", "pt"]),
        reverse("library:download", args=["safe-travel", "pt"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, list(response.cookies))
    found = client.get(pages[1]).content.decode()
    assert "Viagens seguras" in found and 'lang="pt"' in found
    assert "1 recurso encontrado" in found, "the page speaks the language asked for"
    download = client.get(pages[4])
    assert b"".join(download.streaming_content) == b"Guia de viagem segura\n"
    assert (
        "attachment" in download["Content-Disposition"]
        and "guia.txt" in download["Content-Disposition"]
    )


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("a" * 5000, "5,000 characters; the limit is 200"),
        ("¿?!… — ;;", "Type at least one word"),
    ],
)
def test_a_search_that_cannot_run_says_why_with_the_pattern(desks, query, says):
    response = Client().get(reverse("library:index"), {"q": query, "lang": "en"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in page and 'role="alert"' in page and says in page
    assert 'href="#id_q"' in page
    assert not response.cookies


def test_drafts_are_not_public(desks):
    actions.create_with_versions(
        author=desks.caseworker,
        data=actions.ResourceData(
            slug="draft-only",
            kind="tool",
            audience="trainers",
            topics=("wellbeing",),
            licence="cc0-1.0",
        ),
        versions=[(actions.VersionData("en", "Unfinished", body="Not yet."), None)],
    )
    url = reverse("library:version", args=["draft-only", "en"])
    assert Client().get(url).status_code == 404
    outsider = Client()
    sign_in(outsider, desks.outsider.login)
    assert outsider.get(url).status_code == 404
    staff = Client()
    sign_in(staff, desks.caseworker2.login)
    page = staff.get(url)
    assert page.status_code == 200 and "Draft" in page.content.decode()


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_lost(desks, signed_in_client):
    resource = _published(desks)
    client = signed_in_client(desks.coordinator)  # published: a coordinator's to change
    url = reverse("library:edit_version", args=[resource.id, "en"])
    upload = ("manual.pdf", b"This is plain text, not a PDF at all.\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "title": "Travel safely",
            "summary": "",
            "body": "Plan the route.",
            "file": SimpleUploadedFile(upload[0], upload[1]),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This file is plain text, not a PDF document as its name says" in page
    assert 'value="Travel safely"' in page, "what was typed is shown again"
    assert not Version.objects.filter(resource=resource, language="en").exists()


def test_public_pages_show_nothing_of_a_case_or_a_workshop(desks, signed_in_client):
    """Signed in as a member of the case who also trains a workshop that uses the guide as a
    material, and anonymously: no name, reference, topic or participant on any public page, in
    the offline bundle or in a search for those words."""
    import io
    import zipfile

    from protectdesk.training import actions as training
    from tests.conftest import keyring_of

    resource = _published(desks)
    keyring = keyring_of(desks.caseworker)
    workshop = training.create_workshop(
        actor=desks.caseworker,
        keyring=keyring,
        data=training.WorkshopData(
            topic="Viagens seguras com Rubi Participante",
            starts_on=datetime.date(2026, 11, 2),
            ends_on=datetime.date(2026, 11, 2),
            country="BR",
            venue="Salão paroquial",
            modules=("protection_plans",),
            materials=(("", resource.id),),
        ),
    )
    training.add_participant(
        actor=desks.caseworker,
        keyring=keyring,
        workshop=workshop,
        data=training.ParticipantData(name="Rubi Participante", contacts="+55 11 5555 0101"),
    )
    training.add_participant(
        actor=desks.caseworker,
        keyring=keyring,
        workshop=workshop,
        data=training.ParticipantData(case_reference=desks.case.reference),
    )
    secrets = (
        "Ana Test Defender",
        desks.case.reference,
        workshop.case.reference,
        "Rubi Participante",
        "Salão paroquial",
        "5555",
    )
    for client in (signed_in_client(desks.caseworker), Client()):
        pages = [
            client.get(url).content.decode()
            for url in (
                reverse("library:index") + "?lang=pt",
                reverse("library:index") + "?lang=pt&q=Participante+Defender+paroquial",
                reverse("library:resource", args=["safe-travel"]),
                reverse("library:version", args=["safe-travel", "pt"]),
            )
        ]
        for page in pages:
            assert not [secret for secret in secrets if secret in page]
        offline = client.get(reverse("library:offline", args=["pt"]))
        with zipfile.ZipFile(io.BytesIO(b"".join(offline.streaming_content))) as bundle:
            text = b"".join(bundle.read(name) for name in bundle.namelist())
        assert not [secret for secret in secrets if secret.encode() in text]
