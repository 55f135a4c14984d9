"""A resource's address cannot be one the library uses itself, and a file saved by a write
that rolls back does not stay behind on disk (nor does a rollback take a file still in use)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from protectdesk.library import actions
from protectdesk.library.models import Version


def _data(slug: str) -> actions.ResourceData:
    return actions.ResourceData(
        slug=slug, kind="guide", audience="defenders", topics=("wellbeing",), licence="cc0-1.0"
    )


@pytest.mark.parametrize("slug", ["index", "app", "files", "manage", "offline", "new"])
def test_the_librarys_own_addresses_are_refused(desks, slug):
    with pytest.raises(actions.LibraryRefused) as refused:
        actions.create_resource(actor=desks.caseworker, data=_data(slug))
    assert (refused.value.code, refused.value.field) == ("slug_reserved", "slug")


def test_the_form_says_the_address_is_the_librarys(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    response = client.post(
        reverse("library:new"),
        {
            "slug": "index",
            "kind": "guide",
            "audience": "defenders",
            "topics": ["wellbeing"],
            "licence": "cc0-1.0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "“index” is an address the library uses itself" in page
    assert 'href="#id_slug"' in page


def _library_files() -> set[Path]:
    folder = Path(settings.FILES_DIR) / "library"
    return set(folder.iterdir()) if folder.exists() else set()


class _Later(Exception):
    """Something after the save fails, and the whole transaction rolls back."""


def _save(desks, resource, content: bytes, expected: int | None) -> Version:
    return actions.save_version(
        actor=desks.caseworker,
        resource=resource,
        data=actions.VersionData("en", "Checklist", body="Lock the phone."),
        expected_version=expected,
        upload=actions.Upload("checklist.txt", len(content), [content]),
    )


def _save_then_fail(desks, resource, content: bytes, expected: int | None, before=None) -> None:
    with transaction.atomic():
        _save(desks, resource, content, expected)
        if before is not None:
            assert len(_library_files() - before) == 1, "written before the commit"
        raise _Later


def test_a_rolled_back_save_leaves_no_file_behind(desks):
    resource = actions.create_resource(actor=desks.caseworker, data=_data("checklist"))
    before = _library_files()
    with pytest.raises(_Later):
        _save_then_fail(desks, resource, b"1. Lock the phone.\n", None, before)
    assert _library_files() == before
    assert not Version.objects.filter(resource=resource).exists()


def test_a_saved_file_stays_and_a_rollback_keeps_the_file_in_use(desks):
    resource = actions.create_resource(actor=desks.caseworker, data=_data("checklist"))
    before = _library_files()
    with transaction.atomic():
        version = _save(desks, resource, b"1. Lock the phone.\n", None)
    kept = actions.file_path(version.id, version.file_sha256)
    assert kept.read_bytes() == b"1. Lock the phone.\n", "the row names a file that is there"
    # The same content again, rolled back: the committed row's file is not removed with it.
    with pytest.raises(_Later):
        _save_then_fail(desks, resource, b"1. Lock the phone.\n", version.row_version)
    assert kept.read_bytes() == b"1. Lock the phone.\n"
    # Other content, rolled back: the new file goes, the old one stays.
    with pytest.raises(_Later):
        _save_then_fail(desks, resource, b"2. Switch it off.\n", version.row_version)
    assert _library_files() - before == {kept}
