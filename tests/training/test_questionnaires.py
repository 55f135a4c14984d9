"""Questionnaires as data: the shipped ones load; a broken definition says every problem;
and the pre/post figures are the ones worked out by hand."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from protectdesk.training import questionnaires, scoring
from protectdesk.training.questionnaires import QuestionnaireError, validate


def _texts(word: str) -> dict[str, str]:
    return {"en": word, "es": word, "fr": word, "pt": word}


DEFINITION = {
    "code": "three_questions",
    "title": _texts("Three questions"),
    "scale": {"min": 1, "max": 5, "low": _texts("no"), "high": _texts("yes")},
    "questions": [
        {"code": "q1", "module": "risk_analysis", **_texts("One")},
        {"code": "q2", "module": "incidents", **_texts("Two")},
        {"code": "q3", "module": "wellbeing", **_texts("Three")},
    ],
}


def test_the_shipped_questionnaires_load_and_cover_every_module():
    shipped = questionnaires.shipped()
    assert "security_self_assessment" in shipped
    assessment = shipped["security_self_assessment"]
    assert (assessment.low, assessment.high) == (1, 5)
    modules = {question.module for question in assessment.questions}
    assert modules == {
        "risk_analysis",
        "threat_assessment",
        "incidents",
        "digital_security",
        "wellbeing",
        "protection_plans",
        "security_wheel",
    }


def test_a_broken_definition_lists_every_problem_where_it_is():
    broken = copy.deepcopy(DEFINITION)
    del broken["questions"][1]["pt"]
    broken["questions"][2]["module"] = "astrology"
    broken["questions"][2]["code"] = "q1"
    broken["questions"][0]["modul"] = "typo"
    broken["scale"]["max"] = 30
    with pytest.raises(QuestionnaireError) as refused:
        validate(broken)
    problems = refused.value.problems
    assert "question 2 (q2): no text in pt" in problems
    assert "question 3 (q1): module 'astrology' is not a curriculum module" in problems
    assert "question 3 (q1): the code is used twice" in problems
    assert "question 1 (q1): unknown keys ['modul']" in problems
    assert "scale: from a low to a higher number, at most 10 points" in problems
    assert len(problems) == 5
    with pytest.raises(QuestionnaireError):
        validate(["not", "a", "mapping"])


def test_answers_must_be_on_the_scale_and_ask_known_questions():
    questionnaire = validate(DEFINITION)
    with pytest.raises(ValueError, match="off the scale"):
        questionnaire.check_answers({"q1": 6})
    with pytest.raises(ValueError, match="does not ask"):
        questionnaire.check_answers({"q9": 3})
    with pytest.raises(ValueError, match="whole number"):
        questionnaire.check_answers({"q1": True})


def test_pre_post_figures_match_the_hand_worked_numbers():
    questionnaire = validate(DEFINITION)
    pairs = [
        ({"q1": 2, "q2": 3, "q3": 1}, {"q1": 4, "q2": 3, "q3": 2}),  # A: 2 → 3, +1
        ({"q1": 3, "q2": 2}, {"q1": 3, "q2": 4, "q3": 5}),  # B: q1, q2 only: 5/2 → 7/2, +1
        ({"q1": 4, "q2": 4, "q3": 4}, {"q1": 3, "q2": 4, "q3": 2}),  # C: 4 → 3, −1
        ({}, {"q1": 5}),  # D: nothing answered twice
        ({"q1": 2, "q2": 2, "q3": 2}, {"q1": 2, "q2": 2, "q3": 2}),  # E: 0
    ]
    b = scoring.participant_change(questionnaire, *pairs[1])
    assert b is not None
    assert b.questions == ("q1", "q2")
    assert (b.before, b.after, b.delta) == (Fraction(5, 2), Fraction(7, 2), 1)
    assert dict(b.per_question) == {"q1": 0, "q2": 2}
    assert scoring.participant_change(questionnaire, *pairs[3]) is None

    result = scoring.workshop_result(questionnaire, pairs)
    assert (result.participants, result.incomplete) == (4, 1)
    q1, q2, q3 = result.questions
    assert (q1.n, q1.before, q1.after, q1.delta) == (4, Fraction(11, 4), 3, Fraction(1, 4))
    assert (q2.n, q2.before, q2.after) == (4, Fraction(11, 4), Fraction(13, 4))
    assert (q3.n, q3.before, q3.after, q3.delta) == (3, Fraction(7, 3), 2, Fraction(-1, 3))
    assert result.mean_change == Fraction(1, 4)
    assert (result.improved, result.same, result.worse) == (2, 1, 1)


def test_a_workshop_with_no_complete_pair_has_no_figures():
    questionnaire = validate(DEFINITION)
    result = scoring.workshop_result(questionnaire, [({"q1": 1}, {})])
    assert (result.participants, result.incomplete, result.mean_change) == (0, 1, None)
    assert all(row.n == 0 and row.delta is None for row in result.questions)
