"""The case list in pages (an import can open thousands of cases): each page opens only the
defenders it shows; both lists keep their place; any page number gives a page."""

from __future__ import annotations

import re

import pytest

from protectdesk.cases import actions, queries
from protectdesk.records.models import Case
from tests.conftest import keyring_of


@pytest.fixture
def five_more(desks, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for n in range(5):
        actions.open_case(
            actor=desks.coordinator,
            keyring=keyring_of(desks.coordinator),
            profile=actions.DefenderProfile(kind="individual", country="GT", name=f"Paged {n}"),
        )


def names(page: str) -> list[str]:
    return re.findall(r"<strong>(Paged \d)</strong>", page)


def references(page: str) -> list[str]:
    section = page[page.index('id="h-desk"') :]
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([A-Z]+-\d{4}-\d{4})', section)


def test_my_cases_come_in_pages_newest_first(desks, five_more, signed_in_client):
    client = signed_in_client(desks.coordinator)
    pages = [client.get("/cases/", {"page": n}).content.decode() for n in (1, 2, 3)]
    assert [names(page) for page in pages] == [
        ["Paged 4", "Paged 3"],
        ["Paged 2", "Paged 1"],
        ["Paged 0"],
    ]
    assert "Page 2 of 3" in pages[1] and 'rel="prev"' in pages[1] and 'rel="next"' in pages[1]
    assert 'rel="next"' not in pages[2].split('id="h-desk"')[0]
    assert "5 cases, newest first." in pages[0]
    for wrong in ("abc", "-4", "0", ""):
        assert names(client.get("/cases/", {"page": wrong}).content.decode()) == names(pages[0])
    assert names(client.get("/cases/", {"page": "99"}).content.decode()) == ["Paged 0"]


def test_the_desk_list_turns_its_pages_and_keeps_the_other_lists_place(
    desks, five_more, signed_in_client
):
    client = signed_in_client(desks.coordinator)
    every = list(
        Case.objects.filter(desk=desks.coordinator.desk)
        .order_by("-created_at", "id")
        .values_list("reference", flat=True)
    )
    seen = []
    for n in range(1, -(-len(every) // 2) + 1):
        page = client.get("/cases/", {"desk_page": n, "page": 2}).content.decode()
        seen += references(page)
        assert names(page) == ["Paged 2", "Paged 1"], "my cases stay on their page 2"
        assert f'href="?desk_page={n + 1}&amp;page=2#h-desk"' in page or n * 2 >= len(every)
    assert seen == every


def test_the_home_page_shows_the_newest_cases_and_links_to_all(desks, five_more, signed_in_client):
    page = signed_in_client(desks.coordinator).get("/").content.decode()
    assert names(page) == ["Paged 4", "Paged 3"]
    assert "The newest 2 of your 5 cases." in page
