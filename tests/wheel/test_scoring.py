"""What a session's scores say (wheel/scoring.py): exact values, no Django."""

from __future__ import annotations

import pytest

from protectdesk.wheel import scoring

SPOKES = ("experience", "training", "planning", "rules")


def _three():
    return scoring.aggregate(
        SPOKES,
        [
            {"experience": 80, "training": 20, "planning": 45},
            {"experience": 70, "training": 60, "planning": 40},
            {"experience": 90, "training": 40},
        ],
    )


def test_each_spoke_has_its_mean_lowest_highest_and_count():
    result = _three()
    experience, training, planning, _rules = result.spokes
    assert (experience.mean, experience.lowest, experience.highest, experience.count) == (
        80,
        70,
        90,
        3,
    )
    assert (training.mean, training.lowest, training.highest) == (40, 20, 60)
    assert (planning.mean, planning.count) == (42.5, 2)  # the third left it blank: not a zero
    assert result.participants == 3


def test_a_spoke_nobody_scored_has_no_values_and_is_neither_weak_nor_strong():
    rules = _three().spoke("rules")
    assert rules is not None
    assert (rules.mean, rules.lowest, rules.highest, rules.spread, rules.count) == (
        None,
        None,
        None,
        None,
        0,
    )
    assert not rules.weak and not rules.strong and not rules.disagreement and rules.tone == ""


def test_the_overall_mean_is_the_mean_of_the_spokes_means():
    # (80 + 40 + 42.5) / 3 spokes with a mean; "rules" has none and does not count as 0.
    assert _three().overall == pytest.approx(54.1666666, abs=1e-6)
    assert scoring.aggregate(SPOKES, []).overall is None


def test_participants_disagree_at_thirty_points_apart():
    result = _three()
    spreads = {s.code: s.spread for s in result.spokes}
    assert spreads == {"experience": 20, "training": 40, "planning": 5, "rules": None}
    assert [s.code for s in result.disagreements] == ["training"]
    edge = scoring.aggregate(["a", "b"], [{"a": 10, "b": 10}, {"a": 40, "b": 39}])
    assert [s.code for s in edge.disagreements] == ["a"]  # 30 apart: yes; 29: no


def test_weak_spokes_have_a_mean_below_50_and_strong_ones_75_or_more():
    result = _three()
    assert [s.code for s in result.weak] == ["training", "planning"]
    assert [s.tone for s in result.spokes] == ["strong", "weak", "weak", ""]
    edge = scoring.aggregate(["a", "b", "c"], [{"a": 50, "b": 75, "c": 49}])
    assert [s.tone for s in edge.spokes] == ["", "strong", "weak"]


def test_scores_of_spokes_outside_the_wheel_are_ignored():
    result = scoring.aggregate(["a"], [{"a": 10, "zzz": 100}])
    assert [s.code for s in result.spokes] == ["a"] and result.overall == 10


def test_compare_gives_each_spokes_change_and_none_where_either_has_no_mean():
    before = scoring.aggregate(SPOKES, [{"experience": 60, "training": 50, "rules": 30}])
    after = _three()
    comparison = scoring.compare(before, after)
    assert comparison.deltas == {
        "experience": 20,  # 80 − 60
        "training": -10,  # 40 − 50
        "planning": None,  # not scored before
        "rules": None,  # not scored now
    }
    # Overall: 54.1666… − (60 + 50 + 30) / 3
    assert comparison.overall == pytest.approx(54.1666666 - 46.6666666, abs=1e-6)


def test_compare_with_a_spoke_the_earlier_session_did_not_have():
    before = scoring.aggregate(["a"], [{"a": 40}])
    after = scoring.aggregate(["a", "new"], [{"a": 55, "new": 70}])
    assert scoring.compare(before, after).deltas == {"a": 15, "new": None}
