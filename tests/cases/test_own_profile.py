"""The defender's own account edits what its desk allows of its profile, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from tests.conftest import keyring_of


def _url(case):
    return reverse("cases:own_profile", args=[case.id])


def test_the_defender_edits_the_allowed_fields_only(desks, signed_in_client):
    client = signed_in_client(desks.defender)
    page = client.get(_url(desks.case))
    assert page.status_code == 200
    assert b'name="contacts"' in page.content and b'name="description"' in page.content
    assert b'name="name"' not in page.content and b'name="location"' not in page.content
    before = Defender.objects.get(case=desks.case)
    response = client.post(
        _url(desks.case),
        {
            "contacts": "Signal only, after 6 pm",
            "description": "Teacher and land defender",
            "name": "Forged Name",  # not on the form: ignored
            "row_version": before.row_version,
        },
    )
    assert response.status_code == 302
    opened = keyring_of(desks.caseworker).opened(Defender.objects.get(case=desks.case))
    assert opened.contacts == "Signal only, after 6 pm"
    assert opened.description == "Teacher and land defender"
    assert opened.name == keyring_of(desks.caseworker).opened(before).name
    assert Defender.objects.get(case=desks.case).kind == before.kind


def test_the_desk_decides_and_staff_use_their_own_form(desks, signed_in_client):
    desk = desks.case.desk
    desk_actions.update_desk(
        actor=desks.admin,
        desk=desk,
        name=desk.name,
        require_staff_2fa=desk.require_staff_2fa,
        languages=desk.languages,
        defender_editable=[],
    )
    page = signed_in_client(desks.defender).get(_url(desks.case))
    assert page.status_code == 200 and b'name="contacts"' not in page.content
    assert signed_in_client(desks.caseworker).get(_url(desks.case)).status_code == 404
    with pytest.raises(PermissionError):
        actions.update_own_profile(
            actor=desks.defender,
            keyring=keyring_of(desks.defender),
            case=desks.case,
            values={"contacts": "x"},
            expected_version=Defender.objects.get(case=desks.case).row_version,
        )


def test_a_stale_save_keeps_what_was_typed(desks, signed_in_client):
    client = signed_in_client(desks.defender)
    version = Defender.objects.get(case=desks.case).row_version
    client.post(_url(desks.case), {"contacts": "first", "description": "", "row_version": version})
    stale = client.post(
        _url(desks.case), {"contacts": "second", "description": "", "row_version": version}
    )
    assert stale.status_code == 409 and b"second" in stale.content
