"""Every case-level page names its case the same way: Cases › the defender's name, with the
case reference › the page (issue 10: one page said the reference, the next the name)."""

import re

import pytest
from django.urls import reverse

from protectdesk.incidents import actions as incident_actions
from tests.conftest import keyring_of
from tests.incidents.helpers import log_incident_with


def _crumbs(html: str) -> list[str]:
    nav = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumb"
    items = re.findall(r"<li>(.*?)</li>", nav.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.mark.parametrize(
    ("page", "last"),
    [
        ("cases:detail", None),
        ("cases:edit_defender", "Edit profile"),
        ("incidents:new", "Log an incident"),
        ("incidents:detail", "Incident"),
        ("incidents:edit", "Edit incident"),
        ("threats:actors", "Actors map"),
        ("threats:edit_actor", "Edit actor"),
    ],
)
def test_the_breadcrumb_names_the_case_by_name_and_reference(desks, signed_in_client, page, last):
    incident = log_incident_with(desks.caseworker, desks.case)
    actor = incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        actor_type="state_police",
        name="Unit 7",
    )
    kwargs = {"case_id": desks.case.id}
    if page in ("incidents:detail", "incidents:edit"):
        kwargs["incident_id"] = incident.id
    if page == "threats:edit_actor":
        kwargs["actor_id"] = actor.id
    response = signed_in_client(desks.caseworker).get(reverse(page, kwargs=kwargs))
    assert response.status_code == 200
    crumbs = _crumbs(response.content.decode())
    case = f"Ana Test Defender {desks.case.reference}"
    assert crumbs[:2] == ["Cases", case]
    if last is None:
        assert crumbs == ["Cases", case]
    else:
        assert crumbs[-1] == last
        assert crumbs[2:-1] in ([], ["Incident"], ["Actors map"])


def test_the_defenders_own_account_sees_the_same_breadcrumb(desks, signed_in_client):
    incident = log_incident_with(desks.caseworker, desks.case)
    client = signed_in_client(desks.defender)
    case = f"Ana Test Defender {desks.case.reference}"
    detail = client.get(reverse("cases:detail", args=[desks.case.id])).content.decode()
    assert _crumbs(detail) == ["Cases", case]
    page = client.get(reverse("incidents:detail", args=[desks.case.id, incident.id]))
    assert _crumbs(page.content.decode()) == ["Cases", case, "Incident"]
