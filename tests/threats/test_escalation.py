"""Escalation flags on hand-built timelines (threats/escalation.py, methodology.md §3 step 2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from protectdesk.threats.escalation import (
    LIKELY_THREAT,
    MORE_OFTEN,
    REPEATED_PERPETRATOR,
    SEVERITY_RISING,
    THREAT_THEN_PHYSICAL,
    Assessed,
    Flag,
    Point,
    flags_for,
    gravity,
    latest,
    likely_threat,
    more_often,
    repeated_perpetrator,
    severity_rising,
    threat_then_physical,
)

TODAY = date(2026, 12, 2)


def ago(days: int, today: date = TODAY) -> date:
    return today - timedelta(days=days)


def point(id: str, when: date | str | int, **fields) -> Point:
    """An incident on an exact date, in a month ("YYYY-MM") or in a year."""
    if isinstance(when, date):
        return Point(id, "exact", when.year, month=f"{when:%Y-%m}", day=when, **fields)
    if isinstance(when, str):
        return Point(id, "month", int(when[:4]), month=when, **fields)
    return Point(id, "year", when, **fields)


def often(days: int, ids: tuple[str, ...], recent: int, before: int, unplaced: int = 0) -> Flag:
    facts = {"days": days, "recent": recent, "before": before, "unplaced": unplaced}
    return Flag(MORE_OFTEN, ids, facts)


# --- nothing to go on ---------------------------------------------------------------------


def test_no_incident_raises_no_flag():
    """An empty log raises no flag of any kind, no gravity and no latest month."""
    assert more_often([], TODAY) == []
    assert severity_rising([], TODAY) == []
    assert repeated_perpetrator([]) == []
    assert threat_then_physical([]) == []
    assert likely_threat([]) == []
    assert flags_for([], [], TODAY) == []
    assert gravity([], []) == 0
    assert latest([], []) == ""


def test_one_incident_raises_no_flag():
    """A single incident, however grave and whatever its types, is not a pattern."""
    only = point("i1", ago(1), severity=5, declared_threat=True, physical=True, actors=("a1", "a1"))
    assert more_often([only], TODAY) == []
    assert severity_rising([only], TODAY) == []
    assert repeated_perpetrator([only]) == []
    assert threat_then_physical([only]) == []
    assert flags_for([only], [], TODAY) == []


# --- more often -------------------------------------------------------------------------


def test_a_burst_in_the_last_30_days_against_fewer_before():
    """Two incidents in the last 30 days against one in the 30 before flags the 30-day window;
    the 90-day window, with all three against none, flags too."""
    points = [point("old", ago(40)), point("b", ago(1)), point("a", ago(2))]
    assert more_often(points, TODAY) == [
        often(30, ("a", "b"), recent=2, before=1),
        often(90, ("old", "a", "b"), recent=3, before=0),
    ]


def test_fewer_now_than_before_does_not_flag():
    """Two incidents in the last 30 days against three in the 30 before: only the 90-day window,
    which holds all five, flags."""
    points = [point(f"p{n}", ago(n)) for n in (1, 2, 31, 32, 33)]
    assert more_often(points, TODAY) == [
        often(90, ("p33", "p32", "p31", "p2", "p1"), recent=5, before=0)
    ]


def test_equal_counts_do_not_flag():
    """As many incidents now as in the window before is not "more often", in either window."""
    days = (1, 2, 31, 32, 100, 101, 102, 103)
    assert more_often([point(f"p{n}", ago(n)) for n in days], TODAY) == []


def test_one_recent_incident_against_none_before_does_not_flag():
    """A window needs at least two incidents, even when the window before is empty."""
    assert more_often([point("a", ago(3)), point("far", ago(400))], TODAY) == []


def test_the_30_day_window_boundaries():
    """Day 29 before today is in the last 30 days, day 30 starts the 30 before, day 59 ends them
    and day 60 is in neither."""
    points = [point(f"d{n}", ago(n)) for n in (0, 1, 2, 29, 30, 59, 60)]
    flags = more_often(points, TODAY)
    assert flags[0] == often(30, ("d29", "d2", "d1", "d0"), recent=4, before=2)
    assert flags[1] == often(90, ("d60", "d59", "d30", "d29", "d2", "d1", "d0"), 7, 0)
    assert len(flags) == 2


def test_the_90_day_window_boundaries():
    """Day 89 before today is in the last 90 days, day 90 starts the 90 before, day 179 ends them
    and day 180 is in neither."""
    points = [point(f"d{n}", ago(n)) for n in (50, 60, 89, 90, 179, 180)]
    assert more_often(points, TODAY) == [often(90, ("d89", "d60", "d50"), recent=3, before=2)]


def test_month_only_dates_are_placed_on_the_15th():
    """With today 2026-12-14, 2026-11 is placed on 11-15 (day 29, in the last 30 days) and
    2026-10 on 10-15 (day 60, outside the 30 days before)."""
    today = date(2026, 12, 14)
    points = [
        point("oct", "2026-10"),
        point("nov14", date(2026, 11, 14)),
        point("nov", "2026-11"),
        point("dec13", date(2026, 12, 13)),
    ]
    assert more_often(points, today) == [
        often(30, ("nov", "dec13"), recent=2, before=1),
        often(90, ("oct", "nov14", "nov", "dec13"), recent=4, before=0),
    ]


def test_a_month_only_date_whose_15th_is_after_today_is_placed_today():
    """With today 2026-12-02, an incident in 2026-12 counts as today, inside the last 30 days."""
    december = point("dec", "2026-12")
    assert december.placed(TODAY) == TODAY
    points = [december, point("nov", date(2026, 11, 20))]
    assert more_often(points, TODAY) == [
        often(30, ("nov", "dec"), recent=2, before=0),
        often(90, ("nov", "dec"), recent=2, before=0),
    ]


def test_a_month_only_date_is_placed_on_the_15th_when_today_is_later():
    """With today 2026-12-20, an incident in 2026-12 is placed on 2026-12-15."""
    assert point("dec", "2026-12").placed(date(2026, 12, 20)) == date(2026, 12, 15)


def test_year_only_dates_are_left_out_of_windows_and_counted():
    """Incidents known only by their year are in no window and are counted as unplaced."""
    points = [point("y26", 2026), point("a", ago(2)), point("b", ago(1)), point("y25", 2025)]
    assert point("y26", 2026).placed(TODAY) is None
    assert more_often(points, TODAY) == [
        often(30, ("a", "b"), recent=2, before=0, unplaced=2),
        often(90, ("a", "b"), recent=2, before=0, unplaced=2),
    ]


# --- severity rising ----------------------------------------------------------------------


def rising(ids: tuple[str, ...], severities: list[int], unplaced: int = 0) -> Flag:
    return Flag(SEVERITY_RISING, ids, {"severities": severities, "unplaced": unplaced})


def three(*severities: int) -> list[Point]:
    return [point(f"s{n}", ago(10 - n), severity=s) for n, s in enumerate(severities)]


def test_2_2_4_rises():
    """Never going down and ending higher than it began is rising."""
    assert severity_rising(three(2, 2, 4), TODAY) == [rising(("s0", "s1", "s2"), [2, 2, 4])]


@pytest.mark.parametrize("severities", [(4, 2, 4), (3, 3, 3), (3, 2, 1), (1, 3, 2), (2, 4, 4, 1)])
def test_a_dip_or_a_flat_line_does_not_rise(severities):
    """A drop anywhere among the last three, or no rise from first to last, is not rising."""
    assert severity_rising(three(*severities), TODAY) == []


def test_two_placed_incidents_are_too_few_to_rise():
    """Rising needs three placed incidents; a year-only one does not make up the third."""
    points = [point("a", ago(5), severity=1), point("b", ago(2), severity=4)]
    assert severity_rising([*points, point("y", 2026, severity=5)], TODAY) == []


def test_only_the_last_three_placed_incidents_count():
    """An older, graver incident does not stop 1, 2, 3 from rising."""
    assert severity_rising(three(5, 1, 2, 3), TODAY) == [rising(("s1", "s2", "s3"), [1, 2, 3])]


def test_incidents_are_ordered_by_date_not_by_list_order():
    """The timeline is read oldest first, whatever order the incidents come in."""
    points = [
        point("c", ago(1), severity=4),
        point("a", ago(3), severity=2),
        point("b", ago(2), severity=2),
    ]
    assert severity_rising(points, TODAY) == [rising(("a", "b", "c"), [2, 2, 4])]
    falling = [
        point("c", ago(1), severity=2),
        point("a", ago(3), severity=4),
        point("b", ago(2), severity=2),
    ]
    assert severity_rising(falling, TODAY) == []


def test_incidents_of_the_same_day_are_ordered_by_created_at():
    """Two incidents of one day are read in the order they were recorded."""
    day = ago(1)
    first = point("a", ago(5), severity=2)
    early, late = datetime(2026, 12, 1, 9, 0), datetime(2026, 12, 1, 10, 0)
    grave_late = [first, point("x", day, severity=4, created_at=late)]
    grave_late.append(point("y", day, severity=2, created_at=early))
    assert severity_rising(grave_late, TODAY) == [rising(("a", "y", "x"), [2, 2, 4])]
    grave_early = [first, point("x", day, severity=4, created_at=early)]
    grave_early.append(point("y", day, severity=2, created_at=late))
    assert severity_rising(grave_early, TODAY) == []


def test_a_month_only_incident_is_placed_on_the_15th_for_severity():
    """2026-11 sits between 11-14 and 11-16; 4, 2, 4 in that order does not rise."""
    points = [
        point("nov16", date(2026, 11, 16), severity=4),
        point("nov", "2026-11", severity=2),
        point("nov14", date(2026, 11, 14), severity=4),
    ]
    assert severity_rising(points, TODAY) == []
    points = [
        point("nov16", date(2026, 11, 16), severity=4),
        point("nov", "2026-11", severity=2),
        point("nov14", date(2026, 11, 14), severity=2),
    ]
    assert severity_rising(points, TODAY) == [rising(("nov14", "nov", "nov16"), [2, 2, 4])]


def test_year_only_incidents_are_left_out_of_severity_and_counted():
    """A year-only incident is not one of the last three and is counted as unplaced."""
    points = [*three(2, 2, 4), point("y", 2026, severity=1)]
    assert severity_rising(points, TODAY) == [rising(("s0", "s1", "s2"), [2, 2, 4], unplaced=1)]


# --- repeated perpetrator -----------------------------------------------------------------


def repeated(actor: str, ids: tuple[str, ...]) -> Flag:
    return Flag(REPEATED_PERPETRATOR, ids, {"actor": actor, "count": len(ids)})


def test_an_actor_in_two_or_more_incidents_flags_once_per_actor():
    """Each actor named in two or more incidents raises one flag, naming them oldest first."""
    points = [
        point("i3", ago(1), actors=("a1",)),
        point("i1", ago(30), actors=("a1", "a2")),
        point("i2", ago(20), actors=("a2", "a1")),
        point("i4", ago(5), actors=("a3",)),
    ]
    assert repeated_perpetrator(points) == [
        repeated("a1", ("i1", "i2", "i3")),
        repeated("a2", ("i1", "i2")),
    ]


def test_two_actors_named_once_each_do_not_flag():
    """Different actors are different perpetrators."""
    points = [point("i1", ago(3), actors=("a1",)), point("i2", ago(2), actors=("a2",))]
    assert repeated_perpetrator(points) == []


def test_an_actor_listed_twice_on_one_incident_counts_once():
    """Naming an actor twice on the same incident is still one incident."""
    assert repeated_perpetrator([point("i1", ago(3), actors=("a1", "a1"))]) == []
    points = [point("i1", ago(3), actors=("a1", "a1")), point("i2", ago(2), actors=("a1",))]
    assert repeated_perpetrator(points) == [repeated("a1", ("i1", "i2"))]


def test_year_only_incidents_count_for_repeated_perpetrator():
    """Actors are compared whatever the dates, so a year-only incident counts (and is oldest)."""
    points = [point("i2", date(2026, 3, 10), actors=("a1",)), point("i1", 2024, actors=("a1",))]
    assert repeated_perpetrator(points) == [repeated("a1", ("i1", "i2"))]
    points = [point("i1", 2025, actors=("a1",)), point("i2", 2026, actors=("a1",))]
    assert repeated_perpetrator(points) == [repeated("a1", ("i1", "i2"))]


# --- threat then physical -----------------------------------------------------------------


def then(threat: str, attack: str) -> list[Flag]:
    return [Flag(THREAT_THEN_PHYSICAL, (threat, attack), {})]


def test_a_threat_then_an_attack_on_exact_dates_flags():
    """A declared threat followed by a physical incident names both."""
    points = [point("t", ago(10), declared_threat=True), point("p", ago(2), physical=True)]
    assert threat_then_physical(points) == then("t", "p")


def test_an_attack_before_the_threat_does_not_flag():
    """Words after acts is not a move from words to acts."""
    points = [point("t", ago(2), declared_threat=True), point("p", ago(10), physical=True)]
    assert threat_then_physical(points) == []


def test_a_threat_and_an_attack_on_the_same_day_flag():
    """The attack's earliest day only needs to be on or after the threat's latest day."""
    points = [point("p", ago(4), physical=True), point("t", ago(4), declared_threat=True)]
    assert threat_then_physical(points) == then("t", "p")


def test_a_threat_and_an_attack_in_the_same_month_known_by_month_do_not_flag():
    """Which came first within the month is not known."""
    points = [point("t", "2026-03", declared_threat=True), point("p", "2026-03", physical=True)]
    assert threat_then_physical(points) == []


def test_a_year_only_threat_then_a_later_month_flags():
    """A threat in 2025 (year only) is certainly before an attack in 2026-03."""
    points = [point("t", 2025, declared_threat=True), point("p", "2026-03", physical=True)]
    assert threat_then_physical(points) == then("t", "p")


def test_a_year_only_threat_then_an_attack_in_that_year_does_not_flag():
    """A threat in 2026 (year only) may have come after an attack in 2026-12."""
    points = [point("t", 2026, declared_threat=True), point("p", "2026-12", physical=True)]
    assert threat_then_physical(points) == []


def test_an_exact_threat_against_a_month_only_attack():
    """A threat on the 1st is certainly not after an attack that month; on the 2nd, it may be."""
    attack = point("p", "2026-03", physical=True)
    first = point("t", date(2026, 3, 1), declared_threat=True)
    assert threat_then_physical([first, attack]) == then("t", "p")
    second = point("t", date(2026, 3, 2), declared_threat=True)
    assert threat_then_physical([second, attack]) == []


def test_one_incident_that_is_both_threat_and_attack_does_not_flag_alone():
    """An incident is not followed by itself; another, non-physical incident changes nothing."""
    both = point("b", ago(5), declared_threat=True, physical=True)
    assert threat_then_physical([both]) == []
    assert threat_then_physical([both, point("o", ago(1))]) == []


def test_an_incident_that_is_both_is_the_threat_before_a_later_attack():
    """A threat-and-attack incident followed by another physical one flags."""
    points = [point("b", ago(5), declared_threat=True, physical=True)]
    points.append(point("p", ago(1), physical=True))
    assert threat_then_physical(points) == then("b", "p")


def test_the_first_threat_and_the_first_attack_after_it_are_named():
    """One flag, naming the earliest threat and the earliest attack certainly after it."""
    points = [
        point("p2", ago(1), physical=True),
        point("t2", ago(10), declared_threat=True),
        point("p1", ago(5), physical=True),
        point("p0", ago(30), physical=True),
        point("t1", ago(20), declared_threat=True),
    ]
    assert threat_then_physical(points) == then("t1", "p1")


# --- likely threat ------------------------------------------------------------------------


@pytest.mark.parametrize("likelihood", [4, 5])
def test_a_concluded_assessment_rating_4_or_5_flags(likelihood):
    """A concluded assessment judging the threat likely flags, naming its incidents."""
    assessed = Assessed("ta1", likelihood, concluded=True, incidents=("i1", "i2"))
    assert likely_threat([assessed]) == [
        Flag(LIKELY_THREAT, ("i1", "i2"), {"assessment": "ta1", "likelihood": likelihood})
    ]


@pytest.mark.parametrize(
    ("likelihood", "concluded"), [(3, True), (1, True), (None, True), (5, False), (4, False)]
)
def test_a_lower_rating_or_an_unconcluded_assessment_does_not_flag(likelihood, concluded):
    """A rating of 3 or less, no rating, or an assessment not yet concluded raises nothing."""
    assert likely_threat([Assessed("ta1", likelihood, concluded, ("i1",))]) == []


def test_each_likely_assessment_flags_on_its_own():
    """Flags follow the assessments, one each, skipping the ones that do not qualify."""
    assessments = [
        Assessed("ta1", 5, True, ("i1",)),
        Assessed("ta2", 3, True, ("i2",)),
        Assessed("ta3", 4, True, ()),
    ]
    assert likely_threat(assessments) == [
        Flag(LIKELY_THREAT, ("i1",), {"assessment": "ta1", "likelihood": 5}),
        Flag(LIKELY_THREAT, (), {"assessment": "ta3", "likelihood": 4}),
    ]


# --- every flag, gravity, latest ----------------------------------------------------------


def test_flags_for_lists_every_kind_in_page_order():
    """More often, severity, perpetrator, threat then physical, likely threat: in that order."""
    points = [
        point("a", ago(3), severity=2, declared_threat=True, actors=("x",)),
        point("b", ago(2), severity=2, actors=("x",)),
        point("c", ago(1), severity=4, physical=True),
    ]
    assessments = [Assessed("ta", 5, True, ("c",))]
    assert flags_for(points, assessments, TODAY) == [
        often(30, ("a", "b", "c"), recent=3, before=0),
        often(90, ("a", "b", "c"), recent=3, before=0),
        rising(("a", "b", "c"), [2, 2, 4]),
        repeated("x", ("a", "b")),
        then("a", "c")[0],
        Flag(LIKELY_THREAT, ("c",), {"assessment": "ta", "likelihood": 5}),
    ]


def test_gravity_is_zero_without_flags():
    """Severe incidents that raise no flag add no gravity."""
    assert gravity([point("i1", ago(1), severity=5)], []) == 0


def test_gravity_is_ten_times_the_worst_severity_behind_the_flags_plus_their_number():
    """Only incidents behind a flag count towards the worst severity."""
    points = [
        point("i1", ago(200), severity=2, actors=("x",)),
        point("i2", ago(100), severity=3, actors=("x",)),
        point("lone", ago(400), severity=5),
    ]
    flags = flags_for(points, [], TODAY)
    assert flags == [repeated("x", ("i1", "i2"))]
    assert gravity(points, flags) == 31


def test_gravity_counts_every_flag():
    """Four flags resting on incidents of severity up to 4 weigh 44."""
    points = [
        point(f"s{n}", ago(3 - n), severity=s, actors=("x",)) for n, s in enumerate((2, 2, 4))
    ]
    flags = flags_for(points, [], TODAY)
    codes = [flag.code for flag in flags]
    assert codes == [MORE_OFTEN, MORE_OFTEN, SEVERITY_RISING, REPEATED_PERPETRATOR]
    assert gravity(points, flags) == 44


def test_latest_is_empty_without_flags():
    """No flag, no incident behind one, no month."""
    assert latest([point("i1", ago(1))], []) == ""


def test_latest_is_the_month_of_the_most_recent_incident_behind_the_flags():
    """An exact date gives its month; a later incident behind no flag is ignored."""
    points = [
        point("i1", date(2026, 3, 10), actors=("x",)),
        point("i2", "2026-07", actors=("x",)),
        point("i3", date(2026, 2, 1), actors=("x",)),
        point("lone", "2026-11"),
    ]
    assert latest(points, repeated_perpetrator(points)) == "2026-07"
    exact_last = [
        point("i1", "2026-01", actors=("x",)),
        point("i2", date(2026, 3, 31), actors=("x",)),
    ]
    assert latest(exact_last, repeated_perpetrator(exact_last)) == "2026-03"


def test_latest_is_the_year_when_only_the_year_is_known():
    """Incidents known only by their year give the year."""
    points = [point("i1", 2024, actors=("x",)), point("i2", 2025, actors=("x",))]
    assert latest(points, repeated_perpetrator(points)) == "2025"
    points = [point("i1", 2025, actors=("x",)), point("i2", "2026-01", actors=("x",))]
    assert latest(points, repeated_perpetrator(points)) == "2026-01"


def test_an_exact_incident_whose_day_is_unknown_falls_back_to_its_month():
    """An exact incident whose date the writer cannot open is placed by its month."""
    sealed = Point("i1", "exact", 2026, month="2026-11", day=None)
    assert sealed.placed(TODAY) == date(2026, 11, 15)
    assert (sealed.earliest(), sealed.latest()) == (date(2026, 11, 1), date(2026, 11, 30))
