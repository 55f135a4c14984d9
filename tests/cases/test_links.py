"""Links between cases (an individual and their collective): who may see the other side."""

from protectdesk.cases import actions as case_actions
from tests.conftest import keyring_of


def test_links_show_the_other_name_only_to_those_who_can_open_it(desks, signed_in_client):
    keyring = keyring_of(desks.caseworker)
    community = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=case_actions.DefenderProfile(
            kind="community", country="GT", name="Comunidad Las Flores"
        ),
    )
    response = signed_in_client(desks.caseworker).post(
        f"/cases/{desks.case.id}/links/", {"collective": str(community.id)}
    )
    assert response.status_code == 302
    assert (
        b"Comunidad Las Flores"
        in signed_in_client(desks.caseworker).get(f"/cases/{desks.case.id}/").content
    )
    # The defender's own account can open the individual's case, not the community's: the link
    # is not shown to them at all.
    page = signed_in_client(desks.defender).get(f"/cases/{desks.case.id}/").content
    assert b"Comunidad Las Flores" not in page and community.reference.encode() not in page
    # A staff member of this case who cannot open the community's sees that a link exists.
    case_actions.add_member(
        actor=desks.caseworker, keyring=keyring, case=desks.case, user=desks.caseworker2
    )
    page = signed_in_client(desks.caseworker2).get(f"/cases/{desks.case.id}/").content
    assert b"Comunidad Las Flores" not in page and b"a case you cannot open" in page
