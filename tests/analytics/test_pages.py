"""Analytics pages: who sees them, what they show (suppressed), the CSV, the desk's k, the
network's pool, and that nothing but clear statistical fields is read."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from protectdesk.accounts.actions import desk as account_actions
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.analytics import actions, queries
from protectdesk.analytics.actions import SettingsData
from protectdesk.analytics.catalogue import VIEWS
from protectdesk.analytics.models import AnalyticsSettings
from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions as case_actions
from protectdesk.cases.actions import CaseError
from protectdesk.crypto import envelope
from protectdesk.incidents.actions import When
from tests.conftest import add_user, keyring_of
from tests.incidents.helpers import log_incident_with


def _log(user, case, n: int, types: tuple[str, ...], month: str = "2026-10") -> None:
    for _ in range(n):
        log_incident_with(
            user, case, types=types, when=When("month", int(month[:4]), month), subdivision=""
        )


def consenting_case(user, name: str = "", case=None):
    """A case (``case``, or a new one of ``user``) whose defender agreed to anonymised
    statistics: only those count."""
    keyring = keyring_of(user)
    if case is None:
        case = case_actions.open_case(
            actor=user,
            keyring=keyring,
            profile=case_actions.DefenderProfile(kind="individual", country="GT", name=name),
        )
    case_actions.record_consent(
        actor=user,
        keyring=keyring,
        case=case,
        choice=case_actions.ConsentChoice(True, False, True, False, datetime.date(2026, 9, 1)),
    )
    return case


@pytest.fixture
def incidents(desks):
    """Seven surveillance incidents of three defenders and two threats of one, in October
    2026 (k = 5 and three defenders at least: the two go)."""
    cases = [consenting_case(desks.caseworker, case=desks.case)] + [
        consenting_case(desks.caseworker, f"Defender {n}") for n in (2, 3)
    ]
    for case, n in zip(cases, (3, 2, 2), strict=True):
        _log(desks.caseworker, case, n, ("surveillance",))
    _log(desks.caseworker, desks.case, 2, ("threat",))
    desks.cases = cases
    return desks


def _page(client, slug: str, query: str = "") -> str:
    response = client.get(reverse("analytics:view", args=[slug]) + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _rows_of(client, slug: str, query: str = "") -> list[list[str]]:
    response = client.get(reverse("analytics:csv", args=[slug]) + query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_view_answers_the_analyst_and_the_coordinator(incidents, signed_in_client):
    for persona in (incidents.analyst, incidents.coordinator):
        client = signed_in_client(persona)
        assert client.get(reverse("analytics:index")).status_code == 200
        for slug in VIEWS:
            _page(client, slug)
            assert client.get(reverse("analytics:csv", args=[slug])).status_code == 200
    assert signed_in_client(incidents.analyst).get("/analytics/nothing-here/").status_code == 404


def test_small_groups_are_left_out_of_every_number(incidents, signed_in_client):
    html = _page(signed_in_client(incidents.analyst), "incidents-by-type")
    assert "Surveillance" in html
    assert "Threat" not in html.split("<main", 1)[1].split("Filter", 1)[0]
    assert "Total: 7 incidents." in html
    assert "Some of the incidents were left out" in html  # 2 < k: not said how many


def test_the_csv_holds_exactly_the_published_tables(incidents, signed_in_client):
    client = signed_in_client(incidents.analyst)
    view = VIEWS["incidents-by-type"]
    scope = queries.own_scope(incidents.analyst)
    expected = []
    for table in queries.publish(view, scope, {}).tables:
        rows = queries.labelled(table)
        title = " × ".join(str(d) for d in ["Type of incident" if rows.by == ("type",) else ""])
        if rows.by == ("period",):
            title = "Period"
        expected += [[title, " · ".join(labels), str(n)] for labels, n in rows.rows]
        expected.append([title, "Total", str(rows.total)])
    lines = _rows_of(client, "incidents-by-type")
    assert lines[0] == ["Chart", "Group", "Count"]
    assert lines[1 : 1 + len(expected)] == expected
    assert ["Type of incident", "Surveillance", "7"] in lines
    assert ["Type of incident", "Total", "7"] in lines
    over_time = _rows_of(client, "incidents-over-time")
    assert ["Period", "2026", "7"] in over_time  # the default period: years
    # and the page shows the same numbers
    html = _page(client, "incidents-by-type")
    for line in expected:
        assert f"<td>{line[2]}</td>" in html or line[1] == "Total"


def test_filters_are_codes_and_sums_of_surviving_groups(incidents, signed_in_client):
    for case in incidents.cases:
        _log(incidents.caseworker, case, 2, ("surveillance",), month="2025-03")
    client = signed_in_client(incidents.analyst)
    lines = _rows_of(client, "incidents-over-time", "?period=2025")
    assert ["Period", "2025", "6"] in lines
    assert ["Period", "Total", "6"] in lines
    assert (
        _rows_of(client, "incidents-over-time", "?period=forged")[1:]
        == _rows_of(client, "incidents-over-time")[1:]
    )


def test_a_group_is_at_least_three_defenders_however_many_incidents(desks, signed_in_client):
    case = consenting_case(desks.caseworker, case=desks.case)
    _log(desks.caseworker, case, 12, ("surveillance",))
    html = _page(signed_in_client(desks.analyst), "incidents-by-type")
    assert "Total: 0 incidents." in html  # twelve incidents, one person: nothing shows
    second = consenting_case(desks.caseworker, "Second")
    _log(desks.caseworker, second, 5, ("surveillance",))
    assert "Total: 0 incidents." in _page(signed_in_client(desks.analyst), "incidents-by-type")
    third = consenting_case(desks.caseworker, "Third")
    _log(desks.caseworker, third, 1, ("surveillance",))
    assert "Total: 18 incidents." in _page(signed_in_client(desks.analyst), "incidents-by-type")


def test_only_cases_whose_defender_agreed_are_counted(incidents, signed_in_client):
    silent = case_actions.open_case(
        actor=incidents.caseworker,
        keyring=keyring_of(incidents.caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="No consent"),
    )
    _log(incidents.caseworker, silent, 5, ("surveillance",))
    client = signed_in_client(incidents.analyst)
    assert "Total: 7 incidents." in _page(client, "incidents-by-type")
    # The latest consent is in force: a defender who withdraws it leaves every number.
    case_actions.record_consent(
        actor=incidents.caseworker,
        keyring=keyring_of(incidents.caseworker),
        case=incidents.cases[1],
        choice=case_actions.ConsentChoice(True, False, False, False, datetime.date(2026, 11, 1)),
    )
    assert "Total: 0 incidents." in _page(client, "incidents-by-type")


def test_a_label_that_looks_like_a_formula_is_quoted_in_the_csv():
    from protectdesk.analytics.views import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("+1") == "'+1" and _cell("@x") == "'@x" and _cell("-2") == "'-2"
    assert _cell("Surveillance") == "Surveillance"


def test_the_desk_chooses_k_and_the_change_is_audited(incidents, signed_in_client):
    client = signed_in_client(incidents.coordinator)
    response = client.post(
        reverse("analytics:settings"), {"k": "8", "period": "quarter", "regions": "", "pooled": ""}
    )
    assert response.status_code == 302
    assert AnalyticsSettings.objects.get(desk=incidents.desk).k == 8
    entry = AuditEntry.objects.filter(action="analytics.settings_changed").get()
    assert entry.detail == {"k": 8, "period": "quarter"}
    html = _page(signed_in_client(incidents.analyst), "incidents-by-type")
    assert "Total: 0 incidents." in html  # 7 < 8: nothing shows now
    assert "Some of the incidents were left out" not in html
    assert "9 of the incidents were left out." in html  # 9 ≥ k may be said


@pytest.mark.parametrize(("k", "message"), [("1", "Enter 2 or more"), ("51", "50 or less")])
def test_k_stays_between_2_and_50(desks, signed_in_client, k, message):
    client = signed_in_client(desks.coordinator)
    response = client.post(reverse("analytics:settings"), {"k": k, "period": "quarter"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnalyticsSettings.objects.exists()
    with pytest.raises(ValueError, match="k must be between"):
        actions.save_settings(actor=desks.coordinator, data=SettingsData(1, "year", False, False))
    with pytest.raises(PermissionError):
        actions.save_settings(actor=desks.analyst, data=SettingsData(5, "year", False, False))


def _desk_with_cases(name: str, prefix: str, cases: int, each: int) -> tuple:
    from tests.conftest import make_desk

    _desk, coordinator, _phrase = make_desk(name, prefix, f"coordinator@{prefix.lower()}.example")
    worker = add_user(coordinator, "caseworker", f"caseworker@{prefix.lower()}.example")
    for n in range(cases):
        _log(worker, consenting_case(worker, f"{prefix} defender {n}"), each, ("surveillance",))
    return coordinator


def test_the_pool_is_seen_only_by_desks_that_take_part(incidents, signed_in_client):
    analyst = signed_in_client(incidents.analyst)
    network = reverse("analytics:view", args=["incidents-by-type"]) + "?scope=network"
    assert analyst.get(network).status_code == 404
    second = _desk_with_cases("Second Desk", "SD", cases=2, each=4)
    third = _desk_with_cases("Third Desk", "TH", cases=2, each=4)
    # Whatever k the members chose, the pool's are the network's (k = 10, years, no regions).
    actions.save_settings(actor=second, data=SettingsData(2, "month", True, True))
    actions.save_settings(actor=incidents.coordinator, data=SettingsData(5, "year", False, True))
    assert analyst.get(network).status_code == 404  # two desks are not a pool yet
    actions.save_settings(actor=third, data=SettingsData(50, "quarter", False, True))
    html = analyst.get(network).content.decode()
    # 7 + 8 + 8 surveillance incidents of 3 + 2 + 2 defenders: every desk's complement is at
    # least 10 incidents of at least 3 defenders, so the whole group shows.
    assert "Total: 23 incidents." in html
    assert "Total: 7" not in html  # never the desk's own share beside the pool
    assert (
        "Smallest group shown"
        in analyst.get(
            reverse("analytics:csv", args=["incidents-by-type"]) + "?scope=network"
        ).content.decode()
    )
    assert "10" in html
    # A desk's complement that is too small takes the group out: only "some" is said.
    _log(incidents.caseworker, incidents.cases[0], 6, ("threat",))
    html = analyst.get(network).content.decode()
    assert "Some of the incidents were left out" in html
    assert AuditEntry.objects.filter(action="analytics.pool_joined").count() == 3


def test_nothing_is_decrypted_and_no_membership_is_needed(incidents, signed_in_client, monkeypatch):
    assert not incidents.analyst.case_memberships.exists()
    client = signed_in_client(incidents.analyst)

    def refuse(*args, **kwargs):
        raise AssertionError("analytics opened an envelope")

    monkeypatch.setattr(envelope, "unseal", refuse)
    for slug in VIEWS:
        _page(client, slug)
        _rows_of(client, slug)


def test_the_analyst_sees_analytics_and_nothing_else_in_the_menu(desks, signed_in_client):
    html = signed_in_client(desks.analyst).get("/").content.decode()
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert reverse("analytics:index") in nav
    for other in ("cases:list", "search:search", "partners:directory", "advocacy:index"):
        assert reverse(other) not in nav
    coordinator_nav = signed_in_client(desks.coordinator).get("/").content.decode()
    assert reverse("analytics:index") in coordinator_nav
    caseworker_nav = signed_in_client(desks.caseworker).get("/").content.decode()
    assert reverse("analytics:index") not in caseworker_nav


def test_an_analyst_holds_no_case(desks):
    with pytest.raises(AccountError):
        account_actions.change_role(actor=desks.coordinator, user=desks.caseworker, role="analyst")
    with pytest.raises(CaseError):
        case_actions.add_member(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            user=desks.analyst,
        )
    colleague = add_user(desks.coordinator, "caseworker", "free@test.example")
    account_actions.change_role(actor=desks.coordinator, user=colleague, role="analyst")
    colleague.refresh_from_db()
    assert colleague.role == "analyst"


def test_periods_coarsen_from_months_to_quarters_and_years():
    assert queries.period_of("2026-10", 2026, "month") == "2026-10"
    assert queries.period_of("2026-10", 2026, "quarter") == "2026-Q4"
    assert queries.period_of("2026-03", 2026, "year") == "2026"
    assert queries.period_of("", 2025, "quarter") == "2025-x"  # the month is not known
    assert queries.period_of("", 2025, "year") == "2025"


def test_training_reach_counts_only_participants_who_agreed(desks, signed_in_client):
    from protectdesk.training import actions as training
    from tests.training.helpers import make_workshop

    workshop = make_workshop(desks.trainer)
    keyring = keyring_of(desks.trainer)
    for n in range(7):
        training.add_participant(
            actor=desks.trainer,
            keyring=keyring,
            workshop=workshop,
            data=training.ParticipantData(name=f"Participant {n}", gender="woman", counted=n < 5),
        )
    html = _page(signed_in_client(desks.analyst), "training")
    assert "Total: 5 " in html  # the two who did not agree count nowhere
    # A defender linked by their case counts only if the case's consent says so too.
    linked = training.add_participant(
        actor=desks.trainer,
        keyring=keyring,
        workshop=workshop,
        data=training.ParticipantData(case_reference=desks.case.reference, counted=True),
    )
    assert not linked.counted
