"""Inside a workshop: participants (added once; a defender linked by an encrypted case id),
their self-assessments before and after, the results, and coaching actions that become
measures of a defender's protection plan."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.db import connection

from protectdesk.audit.models import AuditEntry
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import Measure
from protectdesk.training import actions, queries
from protectdesk.training.models import CoachingSession, Participant, SelfAssessment
from tests.conftest import keyring_of
from tests.training.helpers import ENDS, STARTS, add_person, assess, coach, make_workshop


def _raw(model, column: str, pk) -> bytes:
    """The stored bytes of one column, straight from the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608 - names from the model
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        (value,) = cursor.fetchone()
    return bytes(value)


def _with_two_trainers(desks):
    """A workshop of the caseworker (a member of ``desks.case``) and ``desks.trainer`` (not)."""
    workshop = make_workshop(desks.caseworker)
    actions.add_trainer(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        workshop=workshop,
        user=desks.trainer,
    )
    return workshop


def _link(trainer, workshop, reference: str):
    return actions.add_participant(
        actor=trainer,
        keyring=keyring_of(trainer),
        workshop=workshop,
        data=actions.ParticipantData(case_reference=reference),
    )


# --- participants ---------------------------------------------------------------------------


def test_the_same_name_twice_is_refused_whatever_its_accents_case_or_spaces(desks):
    workshop = make_workshop(desks.trainer)
    first = add_person(desks.trainer, workshop, "José  Pérez")
    audits = AuditEntry.objects.count()
    for same in ("jose perez", " JOSÉ PEREZ ", "Jose\tPérez"):
        with pytest.raises(actions.TrainingError) as refused:
            add_person(desks.trainer, workshop, same)
        assert refused.value.code == "duplicate", same
    assert list(Participant.objects.filter(workshop=workshop)) == [first]
    assert AuditEntry.objects.count() == audits
    add_person(desks.trainer, workshop, "José Pereira")  # another person is welcome
    assert Participant.objects.filter(workshop=workshop).count() == 2


def test_the_same_defender_twice_is_refused(desks):
    workshop = make_workshop(desks.trainer)
    _link(desks.trainer, workshop, desks.case.reference)
    with pytest.raises(actions.TrainingError) as refused:
        _link(desks.trainer, workshop, f"  {desks.case.reference.lower()} ")
    assert refused.value.code == "duplicate"
    assert Participant.objects.filter(workshop=workshop).count() == 1


def test_an_unknown_case_reference_is_refused(desks):
    workshop = make_workshop(desks.trainer)
    for reference in ("TD-2026-9999", "OD-2026-0001"):  # none, and another desk's
        with pytest.raises(actions.TrainingError) as refused:
            _link(desks.trainer, workshop, reference)
        assert refused.value.code == "no_such_case", reference
    assert not Participant.objects.filter(workshop=workshop).exists()


def test_a_linked_participant_stores_no_name_and_the_link_only_encrypted(desks):
    workshop = make_workshop(desks.trainer)
    participant = _link(desks.trainer, workshop, desks.case.reference)
    keyring = keyring_of(desks.trainer)
    assert keyring.text(participant, "name") == ""
    assert keyring.text(participant, "linked_case") == str(desks.case.id)
    stored = _raw(Participant, "linked_case", participant.id)
    assert len(stored) > 24  # an envelope, not an empty column
    assert str(desks.case.id).encode() not in stored
    assert desks.case.id.hex.encode() not in stored
    assert desks.case.id.bytes not in stored


def test_a_trainer_who_is_a_member_of_the_case_sees_the_defenders_name(desks):
    workshop = _with_two_trainers(desks)
    participant = _link(desks.caseworker, workshop, desks.case.reference)
    member_view = queries.name_of(keyring_of(desks.caseworker), participant)
    assert member_view == f"Ana Test Defender ({desks.case.reference})"
    other_view = queries.name_of(keyring_of(desks.trainer), participant)
    assert other_view == f"Defender with case {desks.case.reference}"
    assert "Ana" not in other_view


def test_the_workshop_page_shows_the_defenders_name_to_case_members_only(desks, signed_in_client):
    workshop = _with_two_trainers(desks)
    _link(desks.caseworker, workshop, desks.case.reference)
    url = f"/training/{workshop.id}/"
    assert b"Ana Test Defender" in signed_in_client(desks.caseworker).get(url).content
    page = signed_in_client(desks.trainer).get(url)
    assert page.status_code == 200
    assert b"Ana Test Defender" not in page.content
    assert desks.case.reference.encode() in page.content


# --- self-assessments -----------------------------------------------------------------------


def test_the_assessment_after_needs_the_one_before(desks):
    workshop = make_workshop(desks.trainer)
    person = add_person(desks.trainer, workshop)
    with pytest.raises(actions.TrainingError) as refused:
        assess(desks.trainer, person, "post", {"analyse_risk": 4})
    assert refused.value.code == "post_before_pre"
    assess(desks.trainer, person, "pre", {"analyse_risk": 2}, filled_on=ENDS)
    with pytest.raises(actions.TrainingError) as refused:
        assess(desks.trainer, person, "post", {"analyse_risk": 4}, filled_on=STARTS)
    assert refused.value.code == "post_before_pre"
    assert not SelfAssessment.objects.filter(participant=person, phase="post").exists()
    assess(desks.trainer, person, "post", {"analyse_risk": 4}, filled_on=ENDS)  # same day: fine
    assert SelfAssessment.objects.filter(participant=person).count() == 2


def test_a_second_save_of_a_phase_is_an_edit_with_its_version(desks):
    workshop = make_workshop(desks.trainer)
    person = add_person(desks.trainer, workshop)
    first = assess(desks.trainer, person, "pre", {"analyse_risk": 2})
    with pytest.raises(actions.TrainingError) as refused:
        assess(desks.trainer, person, "pre", {"analyse_risk": 5})
    assert refused.value.code == "already_recorded"
    keyring = keyring_of(desks.trainer)
    assert keyring.opened(SelfAssessment.objects.get(pk=first.pk)).answers == {"analyse_risk": 2}

    assess(
        desks.trainer,
        person,
        "pre",
        {"analyse_risk": 3, "assess_threat": 1},
        expected_version=first.row_version,
    )
    stored = SelfAssessment.objects.get(participant=person, phase="pre")
    assert stored.pk == first.pk and stored.row_version == first.row_version + 1
    assert keyring.opened(stored).answers == {"analyse_risk": 3, "assess_threat": 1}


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        ({"analyse_risk": 6}, "off the scale"),
        ({"analyse_risk": 0}, "off the scale"),
        ({"horoscope": 3}, "does not ask"),
    ],
)
def test_answers_off_the_questionnaire_are_refused(desks, answers, why):
    workshop = make_workshop(desks.trainer)
    person = add_person(desks.trainer, workshop)
    with pytest.raises(ValueError, match=why):
        assess(desks.trainer, person, "pre", answers)
    assert not SelfAssessment.objects.filter(participant=person).exists()


def test_the_results_are_the_hand_worked_numbers(desks):
    trainer = desks.trainer
    workshop = make_workshop(trainer)
    a = add_person(trainer, workshop, "Participant A")
    b = add_person(trainer, workshop, "Participant B")
    only_pre = add_person(trainer, workshop, "Participant C")
    add_person(trainer, workshop, "Participant D")  # nothing recorded yet
    assess(trainer, a, "pre", {"analyse_risk": 2, "assess_threat": 3})
    assess(trainer, a, "post", {"analyse_risk": 4, "assess_threat": 3})
    assess(trainer, b, "pre", {"analyse_risk": 1})
    assess(trainer, b, "post", {"analyse_risk": 2})
    assess(trainer, only_pre, "pre", {"analyse_risk": 5})

    found = queries.results(keyring_of(trainer), trainer, workshop)
    assert found is not None
    assert (found.waiting_pre, found.waiting_post) == (1, 1)
    by_code = {row.code: row for row in found.result.questions}
    # analyse_risk: before (2 + 1) / 2, after (4 + 2) / 2, both participants.
    assert by_code["analyse_risk"].before == Fraction(3, 2)
    assert by_code["analyse_risk"].after == 3
    assert by_code["analyse_risk"].delta == Fraction(3, 2)
    assert by_code["analyse_risk"].n == 2
    # assess_threat: A only, 3 both times.
    assert (by_code["assess_threat"].before, by_code["assess_threat"].after) == (3, 3)
    assert by_code["assess_threat"].n == 1
    assert by_code["react_incident"].n == 0 and by_code["react_incident"].before is None
    # A: mean 2.5 → 3.5 (+1); B: 1 → 2 (+1); the workshop's mean change +1, both improved.
    assert found.result.participants == 2
    assert found.result.mean_change == 1
    assert (found.result.improved, found.result.same, found.result.worse) == (2, 0, 0)
    rows = {row[0]: row[1:] for row in found.rows}
    label = next(q.label for q in found.questionnaire.questions if q.code == "analyse_risk")
    assert rows[label] == ("1.5", "3", "+1.5", 2)
    threat = next(q.label for q in found.questionnaire.questions if q.code == "assess_threat")
    assert rows[threat] == ("3", "3", "±0", 1)
    people = {p.name: (p.before, p.after, p.change) for p in found.people}
    assert people == {"Participant A": ("2.5", "3.5", "+1"), "Participant B": ("1", "2", "+1")}


# --- coaching -------------------------------------------------------------------------------


def test_coaching_dates_and_content_are_checked(desks):
    workshop = make_workshop(desks.trainer)
    person = add_person(desks.trainer, workshop)
    with pytest.raises(actions.TrainingError) as refused:
        coach(
            desks.trainer,
            person,
            "Talked about the office door",
            next_on=ENDS - datetime.timedelta(days=1),
        )
    assert refused.value.code == "next_before_held"
    with pytest.raises(actions.TrainingError) as refused:
        coach(desks.trainer, person, "  \n", ("", "   "))
    assert refused.value.code == "empty"
    assert not CoachingSession.objects.filter(participant=person).exists()
    session = coach(desks.trainer, person, "", ("Change the lock",))
    assert keyring_of(desks.trainer).opened(session).actions == [{"text": "Change the lock"}]


def _linked_coaching(desks, trainer):
    workshop = _with_two_trainers(desks)
    participant = _link(desks.caseworker, workshop, desks.case.reference)
    return coach(trainer, participant, "Follow-up call", ("Vary the route home",))


def test_a_case_member_makes_an_agreed_action_a_measure_of_the_plan(desks):
    version = plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    session = _linked_coaching(desks, desks.caseworker)
    measure = actions.action_to_measure(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), session=session, index=0
    )
    assert measure.case_id == desks.case.id
    assert measure.version_id == plan_actions.current(desks.case).id == version.id
    keyring = keyring_of(desks.caseworker)
    assert keyring.text(Measure.objects.get(pk=measure.pk), "description") == "Vary the route home"
    # Nothing in the workshop was written: the plan itself says the action is a measure.
    stored = CoachingSession.objects.get(pk=session.pk)
    assert stored.row_version == session.row_version
    assert keyring.opened(stored).actions == [{"text": "Vary the route home"}]
    assert actions.measures_in_plan(keyring, desks.case) == {"Vary the route home"}
    with pytest.raises(actions.TrainingError) as refused:
        actions.action_to_measure(
            actor=desks.caseworker, keyring=keyring_of(desks.caseworker), session=stored, index=0
        )
    assert refused.value.code == "already_measure"
    assert Measure.objects.filter(case=desks.case).count() == 1


def test_a_trainer_outside_the_case_cannot_plan_for_the_defender(desks):
    plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    session = _linked_coaching(desks, desks.trainer)
    with pytest.raises(actions.TrainingError) as refused:
        actions.action_to_measure(
            actor=desks.trainer, keyring=keyring_of(desks.trainer), session=session, index=0
        )
    assert refused.value.code == "no_case_access"
    assert not Measure.objects.filter(case=desks.case).exists()


def test_without_a_plan_the_action_waits(desks):
    session = _linked_coaching(desks, desks.caseworker)
    with pytest.raises(actions.TrainingError) as refused:
        actions.action_to_measure(
            actor=desks.caseworker, keyring=keyring_of(desks.caseworker), session=session, index=0
        )
    assert refused.value.code == "no_plan"
    assert not Measure.objects.filter(case=desks.case).exists()
    assert actions.measures_in_plan(keyring_of(desks.caseworker), desks.case) == set()
