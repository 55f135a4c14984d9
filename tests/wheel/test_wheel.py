"""The security wheel through the real actions and pages: scores checked, one participant per
form sent, the defender reads and never writes, the session page, weak spokes into the plan."""

from __future__ import annotations

import datetime
import re
import uuid
from html import unescape

import pytest
from django.urls import reverse

from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import Measure
from protectdesk.records.keyring import NoCaseAccess
from protectdesk.wheel import actions
from protectdesk.wheel.models import Participant, SpokeMeasure, SpokeScore, WheelSession
from tests.conftest import keyring_of

Entry = actions.SpokeEntry


def _session(desks, held_on=datetime.date(2026, 7, 1), wheel="organisational", **extra):
    return actions.start_session(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        wheel=wheel,
        held_on=held_on,
        **extra,
    )


def _participant(desks, session, label, *scores, submission=None):
    return actions.add_participant(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        session=session,
        label=label,
        submission=submission or uuid.uuid4(),
        scores=tuple(scores),
    )


def _page(client, session):
    return client.get(reverse("wheel:session", args=[session.case_id, session.id]))


def _text(response) -> str:
    """The page as text: tags dropped, spaces (the no-break ones too) collapsed."""
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(text.replace("\u00a0", " ").split())


# --- actions --------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [101, -1])
def test_a_score_outside_0_to_100_is_refused_and_nothing_written(desks, score):
    session = _session(desks)
    with pytest.raises(ValueError, match="outside 0 to 100"):
        _participant(desks, session, "Ana", Entry("training", 50), Entry("planning", score))
    assert not Participant.objects.exists() and not SpokeScore.objects.exists()


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ((Entry("devices", 50),), "not a spoke of wheel 'organisational'"),  # another wheel's
        ((Entry("training", 50), Entry("training", 60)), "scored twice"),
        ((), "at least one spoke"),
    ],
)
def test_scores_of_unknown_or_repeated_spokes_are_refused(desks, scores, message):
    with pytest.raises(ValueError, match=message):
        _participant(desks, _session(desks), "Ana", *scores)
    assert not Participant.objects.exists()


def test_a_session_runs_a_shipped_wheel(desks):
    with pytest.raises(ValueError, match="unknown wheel"):
        _session(desks, wheel="travel")
    assert not WheelSession.objects.exists()


def test_the_same_form_sent_twice_makes_one_participant(desks):
    session = _session(desks)
    submission = uuid.uuid4()
    first = _participant(desks, session, "Ana", Entry("training", 40), submission=submission)
    with pytest.raises(actions.AlreadySubmitted) as refused:
        _participant(desks, session, "Ana", Entry("training", 90), submission=submission)
    assert refused.value.participant.pk == first.pk
    assert Participant.objects.filter(session=session).count() == 1
    assert list(SpokeScore.objects.values_list("score", flat=True)) == [40]
    # The same id in another session is another form.
    _participant(desks, _session(desks), "Ana", Entry("training", 90), submission=submission)
    assert Participant.objects.count() == 2


def test_the_defenders_account_writes_nothing(desks):
    session = _session(desks)
    keyring = keyring_of(desks.defender)
    with pytest.raises(NoCaseAccess):
        actions.start_session(
            actor=desks.defender, keyring=keyring, case=desks.case, wheel="organisational"
        )
    with pytest.raises(NoCaseAccess):
        actions.add_participant(
            actor=desks.defender,
            keyring=keyring,
            session=session,
            label="Me",
            submission=uuid.uuid4(),
            scores=(Entry("training", 10),),
        )
    with pytest.raises(NoCaseAccess):
        actions.make_measure(
            actor=desks.defender, keyring=keyring, session=session, spoke="training"
        )
    assert WheelSession.objects.count() == 1 and not Participant.objects.exists()


def test_what_participants_write_is_encrypted_under_the_shared_key(desks):
    session = _session(desks, title="Assembly of the Ixil team", notes="In the parish hall")
    participant = _participant(
        desks, session, "Rosa Pérez", Entry("training", 20, "No budget", "Ask the network")
    )
    score = SpokeScore.objects.get(participant=participant)
    for record, name, plain in (
        (session, "title", "Assembly of the Ixil team"),
        (participant, "label", "Rosa Pérez"),
        (score, "solutions", "Ask the network"),
    ):
        assert plain.encode() not in bytes(getattr(type(record).objects.get(pk=record.pk), name))
    defender = keyring_of(desks.defender)  # the organisation reads it with its account
    assert defender.opened(participant).label == "Rosa Pérez"
    assert defender.opened(score).solutions == "Ask the network"
    assert defender.opened(session).notes == "In the parish hall"


# --- pages ----------------------------------------------------------------------------------


def _two_sessions(desks):
    earlier = _session(desks, held_on=datetime.date(2026, 6, 1))
    _participant(desks, earlier, "Ana", Entry("training", 30), Entry("experience", 70))
    session = _session(desks, title="Second round")
    _participant(
        desks,
        session,
        "Ana",
        Entry("training", 20, "No time for it", "A yearly workshop"),
        Entry("experience", 90),
        Entry("planning", 55),
    )
    _participant(
        desks,
        session,
        "",
        Entry("training", 60, "", "Pair new staff with a mentor"),
        Entry("experience", 70),
    )
    return earlier, session


def test_the_session_page_shows_the_chart_the_tables_and_the_comparison(desks, signed_in_client):
    _earlier, session = _two_sessions(desks)
    response = _page(signed_in_client(desks.caseworker), session)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    # The chart: a bar per spoke with its tone, and its data table with the deltas.
    assert '<figure class="chart">' in html
    assert 'class="bar w40 weak"' in html  # training: (20 + 60) / 2 = 40
    assert 'class="bar w80 strong"' in html  # experience: 80
    assert "Training 40 % +10 since 2026-06-01" in text  # 40 − 30
    assert "Experience and practice 80 % +10 since 2026-06-01" in text
    assert "Planning 55 % not scored on 2026-06-01" in text
    assert "Awareness and attitude — Planning" in text  # not scored now: nothing to compare
    # Overall (80 + 40 + 55) / 3 = 58.3; on 2026-06-01 (70 + 30) / 2 = 50.
    assert "2 participants. Overall mean: 58.3 %" in text
    assert "Compared with the session of 2026-06-01 : overall +8.3 points." in text
    # Agreement: training 20 to 60 is 40 points apart.
    assert "Training 20 60 40 participants disagree" in text
    # A table per participant, the unnamed one numbered.
    assert "Ana" in text and "Participant 2" in text
    assert "Training 20 % No time for it A yearly workshop Planning 55 %" in text
    second = text.split("Participant 2", 1)[1].split("Add a participant", 1)[0]
    assert "Experience and practice 70 % Training 60 % Pair new staff with a mentor" in second
    assert "Planning" not in second  # only the spokes they scored


def test_a_participant_is_entered_once_even_if_the_form_is_sent_twice(desks, signed_in_client):
    session = _session(desks)
    client = signed_in_client(desks.caseworker)
    page = _page(client, session).content.decode()
    submission = re.search(r'name="submission" value="([0-9a-f-]+)"', page)
    assert submission is not None
    data = {
        "label": "Marta",
        "submission": submission[1],
        "score_training": "35",
        "barriers_training": "Turnover",
        "solutions_training": "Induction for newcomers",
        "score_rules": "0",
    }
    url = reverse("wheel:session", args=[desks.case.id, session.id])
    first = client.post(url, data)
    assert first.status_code == 302
    participant = Participant.objects.get(session=session)
    assert first["Location"].endswith(f"#participant-{participant.pk}")
    assert dict(SpokeScore.objects.values_list("spoke", "score")) == {"training": 35, "rules": 0}
    again = client.post(url, data, follow=True)
    assert "These scores are already saved" in again.content.decode()
    assert Participant.objects.filter(session=session).count() == 1
    # The next page view offers a new form.
    assert submission[1] not in _page(client, session).content.decode()


def test_a_score_out_of_range_is_refused_by_the_form_naming_the_spoke(desks, signed_in_client):
    session = _session(desks)
    response = signed_in_client(desks.caseworker).post(
        reverse("wheel:session", args=[desks.case.id, session.id]),
        {"submission": str(uuid.uuid4()), "score_training": "101", "score_planning": "-1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a score from 0 to 100 for “Training”." in page
    assert "Enter a score from 0 to 100 for “Planning”." in page
    assert not Participant.objects.exists()


def test_the_defender_reads_the_sessions_but_cannot_post(desks, signed_in_client):
    _earlier, session = _two_sessions(desks)
    client = signed_in_client(desks.defender)
    sessions = client.get(reverse("wheel:sessions", args=[desks.case.id]))
    assert sessions.status_code == 200 and "Start the session" not in sessions.content.decode()
    page = _page(client, session)
    assert page.status_code == 200
    html = page.content.decode()
    assert "A yearly workshop" in html and 'name="submission"' not in html
    assert "Make it a measure of the plan" not in html
    before = (WheelSession.objects.count(), Participant.objects.count(), Measure.objects.count())
    posts = [
        (reverse("wheel:sessions", args=[desks.case.id]), {"wheel": "digital"}),
        (
            reverse("wheel:session", args=[desks.case.id, session.id]),
            {"submission": str(uuid.uuid4()), "score_training": "50"},
        ),
        (reverse("wheel:make_measure", args=[desks.case.id, session.id, "training"]), {}),
    ]
    for url, data in posts:
        assert client.post(url, {**data, "held_on": "2026-07-01"}).status_code == 404, url
    after = (WheelSession.objects.count(), Participant.objects.count(), Measure.objects.count())
    assert after == before


def test_a_session_is_started_from_the_list(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    url = reverse("wheel:sessions", args=[desks.case.id])
    response = client.post(
        url, {"wheel": "digital", "held_on": "2026-06-01", "title": "Team day", "notes": ""}
    )
    session = WheelSession.objects.get()
    assert response["Location"] == reverse("wheel:session", args=[desks.case.id, session.id])
    assert (session.wheel, session.held_on) == ("digital", datetime.date(2026, 6, 1))
    assert keyring_of(desks.caseworker).opened(session).title == "Team day"
    assert "Team day" in client.get(url).content.decode()


def test_a_weak_spoke_becomes_a_measure_of_the_current_plan(desks, signed_in_client):
    _earlier, session = _two_sessions(desks)
    client = signed_in_client(desks.caseworker)
    # No plan yet: the page says to start it first, and offers no button.
    html = _page(client, session).content.decode()
    assert "Start the protection plan first" in html
    assert reverse("plans:plan", args=[desks.case.id]) in html
    assert "Make it a measure of the plan" not in html
    url = reverse("wheel:make_measure", args=[desks.case.id, session.id, "training"])
    assert client.post(url).status_code == 302 and not Measure.objects.exists()

    version = plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    html = _page(client, session).content.decode()
    assert html.count("Make it a measure of the plan") == 1  # training (40); planning is 55
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#weak")
    measure = Measure.objects.get()
    assert measure.version_id == version.id
    assert (measure.strategy, measure.builds_capacity) == ("protection", True)
    assert keyring_of(desks.caseworker).opened(measure).description == (
        "Strengthen: Training\n– A yearly workshop\n– Pair new staff with a mentor"
    )
    # Pressed again (a double click, a second tab): no second measure.
    assert client.post(url).status_code == 302
    assert Measure.objects.count() == 1 and SpokeMeasure.objects.count() == 1
    html = _page(client, session).content.decode()
    assert "Make it a measure of the plan" not in html and "a measure of the plan" in html
    # The plan shows it.
    plan = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert "Strengthen: Training" in plan


def test_the_case_page_shows_the_latest_session(desks, signed_in_client):
    _earlier, session = _two_sessions(desks)
    for user in (desks.caseworker, desks.defender):
        page = signed_in_client(user).get(reverse("cases:detail", args=[desks.case.id]))
        text = _text(page)
        assert "Latest session: Organisational security, 2026-07-01, 2 participants." in text
        assert "Overall mean: 58.3 %" in text
        assert reverse("wheel:session", args=[desks.case.id, session.id]) in page.content.decode()


def test_a_session_of_a_wheel_no_longer_shipped_stays_readable(desks, signed_in_client):
    _earlier, session = _two_sessions(desks)
    WheelSession.objects.filter(pk=session.pk).update(wheel="retired")  # removed from the file
    response = _page(signed_in_client(desks.caseworker), session)
    assert response.status_code == 200
    text = _text(response)
    assert "retired, 2026-07-01" in text and "training 40 %" in text  # its stored codes
    assert 'name="submission"' not in response.content.decode()  # it takes no new scores
