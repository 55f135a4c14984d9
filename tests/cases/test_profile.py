"""The defender's profile: editing it, and two colleagues saving at once."""

import re

from protectdesk.cases import actions as case_actions
from tests.conftest import keyring_of


def test_profile_edit_conflict(desks, signed_in_client):
    case_actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        user=desks.caseworker2,
    )
    url = f"/cases/{desks.case.id}/profile/"
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    version = (
        re.search(rb'name="row_version" value="(\d+)"', alice.get(url).content).group(1).decode()
    )
    base = {"kind": "individual", "country": "GT", "row_version": version}
    assert alice.post(url, {**base, "name": "Ana T. Defender"}).status_code == 302
    conflict = bob.post(url, {**base, "name": "Ana Teresa Defender"})
    assert conflict.status_code == 409
    assert b"Ana T. Defender" in conflict.content and b"Ana Teresa Defender" in conflict.content
