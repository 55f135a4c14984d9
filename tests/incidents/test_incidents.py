"""Security incidents: the caseworker's daily log, with what the methodology asks for."""

import re

import pytest
from django.test import Client

from protectdesk.cases import actions as case_actions
from protectdesk.incidents.actions import PerpetratorEntry, SourceEntry, When
from protectdesk.incidents.models import Incident, Step
from tests.conftest import keyring_of, sign_in
from tests.incidents.helpers import log_incident_with


def _form(**overrides):
    data = {
        "title": "Men asking about her routine",
        "when": "2026-10-12",
        "exact_time": "21:40",
        "country": "GT",
        "subdivision": "GT-16",
        "place": "Corner of the market",
        "types": ["intimidation", "surveillance"],
        "nature": "physical",
        "narrative": "Two men asked neighbours at what time she leaves home.",
        "consequences": "She changed her route.",
        "affected": ["defender", "family"],
        "authority_response": "not_reported",
        "perpetrators-TOTAL_FORMS": "2",
        "perpetrators-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_log_an_incident_through_the_form(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    data = _form(
        **{
            "perpetrators-0-actor": "new",
            "perpetrators-0-new_type": "state_police",
            "perpetrators-0-new_name": "Two plain-clothes officers",
            "perpetrators-0-confidence": "likely",
            "perpetrators-0-possibly_false": "on",
            "sources-0-connection": "witness",
            "sources-0-reliability": "likely_reliable",
            "sources-0-description": "The shopkeeper",
        }
    )
    response = client.post(f"/cases/{desks.case.id}/incidents/new/", data)
    assert response.status_code == 302
    incident = Incident.objects.get(case=desks.case)
    assert (incident.month, incident.year, incident.date_precision) == ("2026-10", 2026, "exact")
    assert (
        incident.severity == 3 and not incident.severity_by_hand
    )  # surveillance (3) > intimidation (2)
    assert incident.step == Step.REGISTERED
    page = client.get(response["Location"]).content
    for text in [
        b"Men asking about her routine",
        b"2026-10-12",
        b"21:40",
        b"Two plain-clothes officers",
        b"The shopkeeper",
        b"the attribution may be false",
    ]:
        assert text in page, text


@pytest.mark.parametrize(
    ("typed", "precision", "month"),
    [
        ("2026-10-12", "exact", "2026-10"),
        ("12/10/2026", "exact", "2026-10"),
        ("2026-10", "month", "2026-10"),
        ("10/2026", "month", "2026-10"),
        ("2026", "year", ""),
    ],
)
def test_dates_of_any_precision(desks, signed_in_client, typed, precision, month):
    client = signed_in_client(desks.caseworker)
    assert (
        client.post(f"/cases/{desks.case.id}/incidents/new/", _form(when=typed)).status_code == 302
    )
    incident = Incident.objects.get(case=desks.case)
    assert (incident.date_precision, incident.month) == (precision, month)
    assert keyring_of(desks.caseworker).opened(incident).exact_date == (
        "2026-10-12" if precision == "exact" else ""
    )


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_validation_in_each_language_keeps_what_was_typed(desks, signed_in_client, language):
    from django.utils import translation
    from django.utils.dates import MONTHS

    from protectdesk.incidents.forms import _DATE_HELP

    client = signed_in_client(desks.caseworker)
    client.cookies["django_language"] = language
    response = client.post(
        f"/cases/{desks.case.id}/incidents/new/",
        _form(title="", when="31/02/2026", narrative="Keep this text please"),
    )
    assert response.status_code == 400
    content = response.content.decode().replace("&#x27;", "'")
    assert f'lang="{language}"' in content
    with translation.override(language):
        required = translation.gettext("Give the incident a short title.")
        no_day = translation.gettext(
            "%(month)s %(year)s has no day %(day)s: it has %(last)s days."
        ) % {"month": MONTHS[2], "year": 2026, "day": 31, "last": 28}
        help_text = str(_DATE_HELP)
    assert required in content
    assert no_day in content  # the day does not exist: not the format hint again
    if language == "en":
        assert "February 2026 has no day 31" in content
    else:
        with translation.override("en"):
            assert help_text != str(_DATE_HELP), "the catalogue translates the date help"
    assert help_text in content
    assert "Keep this text please" in content  # nothing typed is lost
    assert not Incident.objects.exists()


def test_future_dates_and_wrong_regions_are_refused(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    assert (
        b"This date is in the future"
        in client.post(f"/cases/{desks.case.id}/incidents/new/", _form(when="2099-01-01")).content
    )
    assert (
        "Choose “Region” from the options shown"
        in client.post(
            f"/cases/{desks.case.id}/incidents/new/", _form(subdivision="FR-IDF")
        ).content.decode()
    )


def test_steps_follow_analysis_and_reaction(desks):
    incident = log_incident_with(
        desks.caseworker, desks.case, analysis="A pattern: third time this month."
    )
    assert incident.step == Step.ANALYSED
    reacted = log_incident_with(desks.caseworker, desks.case, reaction="She stayed with relatives.")
    assert reacted.step == Step.REACTED


def test_severity_by_hand(desks):
    incident = log_incident_with(
        desks.caseworker, desks.case, types=("suspicious_event",), severity=4
    )
    assert incident.severity == 4 and incident.severity_by_hand
    same = log_incident_with(desks.caseworker, desks.case, types=("death_threat",), severity=4)
    assert not same.severity_by_hand


def test_repeated_perpetrator_is_flagged_by_actor_id(desks, signed_in_client):
    first = log_incident_with(
        desks.caseworker,
        desks.case,
        perpetrators=(
            PerpetratorEntry(new_actor_type="landowners", new_actor_name="Finca El Roble guards"),
        ),
    )
    actor_id = first.perpetrators.get().actor_id
    second = log_incident_with(
        desks.caseworker,
        desks.case,
        perpetrators=(PerpetratorEntry(actor_id=actor_id, confidence="confirmed"),),
    )
    page = (
        signed_in_client(desks.caseworker)
        .get(f"/cases/{desks.case.id}/incidents/{second.id}/")
        .content
    )
    assert b"also in 1 other incident" in page


def test_concurrent_edit_shows_both_versions_and_loses_nothing(desks, signed_in_client):
    incident = log_incident_with(desks.caseworker, desks.case, narrative="Original narrative")
    actions_keyring = keyring_of(desks.caseworker)
    case_actions.add_member(
        actor=desks.caseworker, keyring=actions_keyring, case=desks.case, user=desks.caseworker2
    )
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    url = f"/cases/{desks.case.id}/incidents/{incident.id}/edit/"
    version = (
        re.search(rb'name="row_version" value="(\d+)"', alice.get(url).content).group(1).decode()
    )
    assert bob.get(url).status_code == 200
    first = alice.post(
        url, _form(narrative="Alice's version", row_version=version, types=["surveillance"])
    )
    assert first.status_code == 302
    second = bob.post(
        url, _form(narrative="Bob's version", row_version=version, types=["surveillance"])
    )
    assert second.status_code == 409
    content = second.content.decode().replace("&#x27;", "'")
    assert "Someone saved this incident" in content
    assert "Alice's version" in content and "Bob's version" in content  # both visible, nothing lost
    assert (
        keyring_of(desks.caseworker).opened(Incident.objects.get(pk=incident.pk)).narrative
        == "Alice's version"
    )
    new_version = re.search(r'name="row_version" value="(\d+)"', content).group(1)
    assert (
        bob.post(
            url, _form(narrative="Merged version", row_version=new_version, types=["surveillance"])
        ).status_code
        == 302
    )
    assert (
        keyring_of(desks.caseworker).opened(Incident.objects.get(pk=incident.pk)).narrative
        == "Merged version"
    )


def test_defender_reads_their_incident_but_not_the_staff_side(desks, signed_in_client):
    incident = log_incident_with(
        desks.caseworker,
        desks.case,
        analysis="Probably linked to the mine",
        narrative="Shared facts",
        perpetrators=(
            PerpetratorEntry(
                new_actor_type="company_national", new_actor_name="Minera Ejemplo security chief"
            ),
        ),
        sources=(SourceEntry("witness", "unsure", "The cousin who saw it"),),
    )
    defender = signed_in_client(desks.defender)
    page = defender.get(f"/cases/{desks.case.id}/incidents/{incident.id}/").content
    assert b"Shared facts" in page
    # Names, sources and analysis are under the staff key; the attribution itself (type,
    # confidence) is staff assessment too and is not shown to the defender's account.
    for secret in [
        b"Local or national company",
        b"Probably linked to the mine",
        b"Minera Ejemplo security chief",
        b"The cousin who saw it",
    ]:
        assert secret not in page
    assert defender.get(f"/cases/{desks.case.id}/incidents/{incident.id}/edit/").status_code == 404


def test_defender_does_not_see_the_staff_attribution(desks, signed_in_client):
    # Regression test from the round-one security review (L1): the attribution's type and
    # confidence, and the step the analysis reached, are staff assessment.
    incident = log_incident_with(
        desks.caseworker,
        desks.case,
        perpetrators=(
            PerpetratorEntry(
                new_actor_type="state_intelligence", new_actor_name="Unit X", confidence="likely"
            ),
        ),
        analysis="staff reasoning",
    )
    page = (
        signed_in_client(desks.defender)
        .get(f"/cases/{desks.case.id}/incidents/{incident.id}/")
        .content
    )
    assert b"Intelligence agency" not in page and b"Likely" not in page and b"Analysed" not in page


def test_non_members_get_404_for_defender_incidents_and_links(desks, signed_in_client):
    incident = log_incident_with(desks.caseworker, desks.case)
    client = signed_in_client(desks.caseworker2)
    for path in [
        f"/cases/{desks.case.id}/",
        f"/cases/{desks.case.id}/profile/",
        f"/cases/{desks.case.id}/incidents/{incident.id}/",
        f"/cases/{desks.case.id}/actors/",
    ]:
        assert client.get(path).status_code == 404, path
    assert (
        client.post(
            f"/cases/{desks.case.id}/links/", {"collective": str(desks.case.id)}
        ).status_code
        == 404
    )
    listing = client.post("/incidents/", {"words": "", "page": "1"})
    assert b"Car outside the office" not in listing.content


def test_filters_find_the_incident(desks, signed_in_client):
    log_incident_with(
        desks.caseworker,
        desks.case,
        title="Threat by phone",
        types=("death_threat",),
        when=When("month", 2026, "2026-09"),
        perpetrators=(PerpetratorEntry(new_actor_type="nonstate_criminal", new_actor_name="Gang"),),
    )
    log_incident_with(
        desks.caseworker,
        desks.case,
        title="Smear post",
        types=("stigmatisation",),
        when=When("year", 2025),
        subdivision="",
    )
    client = signed_in_client(desks.caseworker)

    def titles(**filters):
        content = client.post("/incidents/", filters).content
        return {t for t in [b"Threat by phone", b"Smear post"] if t in content}

    assert titles() == {b"Threat by phone", b"Smear post"}
    assert titles(types=["death_threat"]) == {b"Threat by phone"}
    assert titles(month_from="2026-01", month_to="2026-12") == {b"Threat by phone"}
    assert titles(subdivision="gt-16") == {b"Threat by phone"}
    assert titles(perpetrator_type="nonstate_criminal") == {b"Threat by phone"}
    assert titles(severity_min="4") == {b"Threat by phone"}
    assert titles(case=str(desks.case.id), words="smear") == {b"Smear post"}
    bad = client.post("/incidents/", {"month_from": "2026-13"})
    assert bad.status_code == 400 and b"YYYY-MM" in bad.content


def test_incident_attachment(desks, signed_in_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = log_incident_with(desks.caseworker, desks.case)
    client = signed_in_client(desks.caseworker)
    response = client.post(
        f"/cases/{desks.case.id}/files/",
        {
            "record": f"incidents.incident:{incident.id}",
            "file": SimpleUploadedFile("threat.txt", b"written threat"),
        },
    )
    assert response["Location"].endswith(f"/incidents/{incident.id}/#attachments")
    assert b"threat.txt" in client.get(f"/cases/{desks.case.id}/incidents/{incident.id}/").content
    assert Client().get(f"/cases/{desks.case.id}/incidents/{incident.id}/").status_code == 302
    sign_in(Client(), desks.caseworker2.login)


def test_the_case_page_shows_the_exact_day_to_members(desks, signed_in_client):
    """The day is encrypted; the table shows it to whoever opens the case, else the month."""
    log_incident_with(desks.caseworker, desks.case)  # on 2026-10-12
    log_incident_with(
        desks.caseworker, desks.case, title="Only the month", when=When("month", 2026, "2026-09")
    )
    for member in (desks.caseworker, desks.defender):
        page = signed_in_client(member).get(f"/cases/{desks.case.id}/").content.decode()
        table = page[page.index('<table class="incidents">') :]
        assert "<td>2026-10-12</td>" in table, member.role
        assert "<td>2026-09</td>" in table, member.role
