"""The offline bundle: every published page of one language, relative links only, files as
they were uploaded, no draft; and the command that writes it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from protectdesk.library import actions, bundle
from protectdesk.library.models import Version

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


PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 200 + b"%%EOF\n"


def _with_file(desks, slug: str, name: str, content: bytes) -> None:
    actions.create_with_versions(
        author=desks.caseworker,
        data=actions.ResourceData(
            slug=slug,
            kind="manual",
            audience="defenders",
            topics=("collective_protection",),
            licence="cc-by-4.0",
        ),
        versions=[
            (
                actions.VersionData("pt", f"Título {slug}", body="Texto."),
                actions.Upload(name, len(content), [content]),
            )
        ],
        publisher=desks.coordinator,
    )


def test_the_public_link_builds_the_zip_once_per_state_of_the_library(desks, monkeypatch):
    _resource(desks, "viagem", publish=True, file=True)
    built = []
    real_write = bundle.write

    def counting_write(*args, **kwargs):
        built.append(args[0])
        return real_write(*args, **kwargs)

    monkeypatch.setattr(bundle, "write", counting_write)
    url = reverse("library:offline", args=["pt"])
    first = Client().get(url)
    second = Client().get(url)
    assert built == ["pt"], "the second visitor gets the zip already built"
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)
    assert second["Content-Type"] == "application/zip" and not second.cookies

    version = Version.objects.get(resource__slug="viagem", language="pt")
    actions.save_version(
        actor=desks.coordinator,
        resource=version.resource,
        data=actions.VersionData("pt", "Título novo", "Resumo.", "Outro texto."),
        expected_version=version.row_version,
    )
    changed = Client().get(url)
    assert built == ["pt", "pt"], "a change of the library makes a new zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(changed.streaming_content)))
    assert "Título novo" in archive.read("index.html").decode()
    cached = list((Path(settings.DATA_DIR) / "cache" / "library").glob("pt-*.zip"))
    assert len(cached) == 1, "the zip of the library as it was is gone"


def test_compressed_files_are_stored_and_streamed_not_read_whole(desks, monkeypatch):
    _with_file(desks, "manual", "manual.pdf", PDF)
    _resource(desks, "viagem", publish=True, file=True)
    files_dir = Path(settings.FILES_DIR).resolve()
    read_bytes = Path.read_bytes

    def no_whole_reads(path: Path) -> bytes:
        assert files_dir not in path.resolve().parents, f"{path} read whole into memory"
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", no_whole_reads)
    out = io.BytesIO()
    bundle.write("pt", out)
    archive = zipfile.ZipFile(out)
    assert archive.getinfo("files/manual/manual.pdf").compress_type == zipfile.ZIP_STORED
    assert archive.read("files/manual/manual.pdf") == PDF
    assert archive.getinfo("files/viagem/guia.txt").compress_type == zipfile.ZIP_DEFLATED
    assert archive.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED


def test_file_names_in_the_bundle_are_ascii_and_links_are_encoded(desks):
    _with_file(desks, "viagem", "Guía de viaje ñandú #1.pdf", PDF)
    out = io.BytesIO()
    bundle.write("pt", out)
    archive = zipfile.ZipFile(out)
    names = set(archive.namelist())
    assert "files/viagem/guia-de-viaje-nandu-1.pdf" in names
    assert all(name.isascii() and " " not in name for name in names), names
    page = archive.read("viagem.html").decode()
    assert "Guía de viaje ñandú #1.pdf" in page, "the page still names the file as uploaded"
    for name in ("index.html", "viagem.html"):
        for link in LINK.findall(archive.read(name).decode()):
            assert link == quote(unquote(link)), f"{link} is not percent-encoded"
            assert unquote(link) in names, link
