"""The offline bundle: every published page of one language, relative links only, files as
they were uploaded, no draft; and the command that writes it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from protectdesk.library import actions, bundle

GUIDE = b"Guia de viagem segura\n"
LINK = re.compile(r'(?:href|src)="([^"]*)"')


def _resource(desks, slug: str, publish: bool, file: bool) -> None:
    actions.create_with_versions(
        author=desks.caseworker,
        data=actions.ResourceData(
            slug=slug,
            kind="guide",
            audience="communities",
            topics=("collective_protection",),
            licence="cc-by-4.0",
        ),
        versions=[
            (
                actions.VersionData("pt", f"Título {slug}", "Resumo.", "Parágrafo um.\n\nDois."),
                actions.Upload("guia.txt", len(GUIDE), [GUIDE]) if file else None,
            )
        ],
        publisher=desks.coordinator if publish else None,
    )


def test_the_bundle_holds_the_published_pages_with_relative_links_only(desks):
    _resource(desks, "viagem", publish=True, file=True)
    _resource(desks, "comunidade", publish=True, file=False)
    _resource(desks, "rascunho", publish=False, file=True)
    out = io.BytesIO()
    assert bundle.write("pt", out) == 2
    archive = zipfile.ZipFile(out)
    names = set(archive.namelist())
    assert names == {
        "index.html",
        "viagem.html",
        "comunidade.html",
        "files/viagem/guia.txt",
        "app.css",
    }
    assert archive.read("files/viagem/guia.txt") == GUIDE
    for name in names - {"app.css", "files/viagem/guia.txt"}:
        html = archive.read(name).decode()
        assert 'lang="pt"' in html and "<script" not in html
        for link in LINK.findall(html):
            assert not link.startswith(("/", "http:", "https:", "//")), (name, link)
            assert link in names, f"{name} links to {link}, which is not in the bundle"
    assert "Título rascunho" not in archive.read("index.html").decode()
    assert "Parágrafo um." in archive.read("viagem.html").decode()
    # The same library makes the same zip (fixed entry times).
    again = io.BytesIO()
    bundle.write("pt", again)
    assert again.getvalue() == out.getvalue()


def test_the_public_link_downloads_the_same_bundle(desks):
    _resource(desks, "viagem", publish=True, file=True)
    response = Client().get(reverse("library:offline", args=["pt"]))
    assert response.status_code == 200 and not response.cookies
    data = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).read("files/viagem/guia.txt") == GUIDE
    assert Client().get(reverse("library:offline", args=["xx"])).status_code == 404


def test_the_command_writes_a_new_file_and_never_overwrites(desks, tmp_path: Path):
    _resource(desks, "viagem", publish=True, file=False)
    out = tmp_path / "biblioteca.zip"
    call_command("library", "bundle", "--language", "pt", "--out", str(out))
    assert "viagem.html" in zipfile.ZipFile(out).namelist()
    with pytest.raises(CommandError, match="already exists"):
        call_command("library", "bundle", "--language", "pt", "--out", str(out))


def test_the_demo_library_is_a_dozen_guides_in_four_languages(desks):
    from protectdesk.demo_library import create_library
    from protectdesk.library.models import Resource, Status, Version

    create_library(desks.coordinator, desks.caseworker)
    assert Resource.objects.count() == 12
    assert Resource.objects.filter(status=Status.DRAFT).count() == 1
    for language in ("en", "es", "fr", "pt"):
        assert Version.objects.filter(language=language).count() == 12
    out = io.BytesIO()
    assert bundle.write("fr", out) == 11
    found = Client().get(reverse("library:index"), {"q": "menaces", "lang": "fr"})
    assert "Lire une menace en cinq étapes" in found.content.decode()
