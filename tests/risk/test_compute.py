"""The risk of a scenario, two ways (risk/compute.py, methodology.md §4), and the §4/§6 data.

Hand-worked examples with exact values, the band limits, the bad ratings, what drives the risk
and how it changed; Hypothesis properties for the monotony the docstring promises; and the
three vocabularies the risk analysis and the protection plan read.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protectdesk import vocabularies
from protectdesk.risk.compute import (
    BANDS,
    CAPACITY,
    VULNERABILITY,
    Change,
    Rated,
    Result,
    assess,
    band_of_index,
    band_of_matrix,
    changes,
    drivers,
    highest,
    index,
)


def v(rating: int, code: str = "exposure", order: int = 0) -> Rated:
    return Rated(code, VULNERABILITY, rating, order)


def c(rating: int, code: str = "networks", order: int = 0) -> Rated:
    return Rated(code, CAPACITY, rating, order)


# --- hand-worked examples ---------------------------------------------------------------------


def test_all_threes_is_three_and_medium():
    result = assess(3, 3, 3, [v(3), c(3)])
    assert result.index == 3.0
    assert result.band == "medium"
    assert result.matrix == 9
    assert result.matrix_band == "medium"
    assert result.mean_vulnerability == 3.0
    assert result.mean_capacity == 3.0
    assert result.drivers == ()


@pytest.mark.parametrize(
    ("threat", "vulnerability", "capacity", "expected", "band"),
    [
        (4, 4, 2, 8.0, "high"),
        (5, 4, 2, 10.0, "very_high"),
        (1, 1, 5, 0.2, "very_low"),
        (5, 5, 1, 25.0, "very_high"),
    ],
)
def test_the_docstring_examples(threat, vulnerability, capacity, expected, band):
    result = assess(threat, 1, 1, [v(vulnerability), c(capacity)])
    assert result.index == expected
    assert result.band == band


def test_the_means_are_taken_over_each_kind():
    # T 3, V (4, 5) → 4.5, C (2, 4) → 3: 3 × 4.5 / 3 = 4.5, exactly the lower limit of high.
    ratings = [v(4, "exposure"), v(5, "legal"), c(2, "networks"), c(4, "psychosocial")]
    result = assess(3, 2, 2, ratings)
    assert result.mean_vulnerability == 4.5
    assert result.mean_capacity == 3.0
    assert result.index == 4.5
    assert result.band == "high"


@pytest.mark.parametrize(
    ("threat", "vulnerability", "capacity", "expected", "band"),
    [
        (1, 1, 1, 1.0, "low"),  # the limit of low, reached exactly
        (2, 1, 1, 2.0, "medium"),
        (3, 3, 2, 4.5, "high"),
        (3, 3, 1, 9.0, "very_high"),
    ],
)
def test_an_index_exactly_at_a_limit_is_in_the_upper_band(
    threat, vulnerability, capacity, expected, band
):
    result = assess(threat, 1, 1, [v(vulnerability), c(capacity)])
    assert result.index == expected
    assert result.band == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.2, "very_low"),
        (0.999, "very_low"),
        (1.0, "low"),
        (1.999, "low"),
        (2.0, "medium"),
        (4.499, "medium"),
        (4.5, "high"),
        (8.999, "high"),
        (9.0, "very_high"),
        (25.0, "very_high"),
    ],
)
def test_index_bands_either_side_of_each_limit(value, band):
    assert band_of_index(value) == band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "very_low"),
        (2, "very_low"),
        (3, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (14, "high"),
        (15, "very_high"),
        (25, "very_high"),
    ],
)
def test_matrix_bands(score, band):
    assert band_of_matrix(score) == band


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "band"),
    [
        (1, 2, 2, "very_low"),
        (3, 1, 3, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (5, 2, 10, "high"),
        (3, 4, 12, "high"),
        (5, 3, 15, "very_high"),
        (5, 5, 25, "very_high"),
    ],
)
def test_the_matrix_cell_is_likelihood_times_impact(likelihood, impact, score, band):
    result = assess(3, likelihood, impact, [v(3), c(3)])
    assert result.matrix == score
    assert result.matrix_band == band


@pytest.mark.parametrize(
    "ratings",
    [
        [],
        [v(5)],  # no capacity
        [c(1)],  # no vulnerability
        [v(4, "exposure"), v(2, "legal")],
    ],
)
def test_without_a_vulnerability_and_a_capacity_there_is_no_index(ratings):
    result = assess(5, 4, 4, ratings)
    assert result.index is None
    assert result.band is None
    assert index(5, ratings) is None
    # the matrix does not need them
    assert result.matrix == 16
    assert result.matrix_band == "very_high"


def test_a_missing_kind_leaves_the_other_mean_and_the_drivers():
    result = assess(3, 1, 1, [v(5, "exposure"), v(4, "legal")])
    assert result.mean_vulnerability == 4.5
    assert result.mean_capacity is None
    assert [d.code for d in result.drivers] == ["exposure", "legal"]


# --- bad ratings --------------------------------------------------------------------------------


@pytest.mark.parametrize("threat", [0, 6, -1])
def test_a_threat_out_of_range_is_refused(threat):
    with pytest.raises(ValueError, match=f"the threat is rated 1 to 5, not {threat}"):
        assess(threat, 3, 3, [v(3), c(3)])
    with pytest.raises(ValueError, match="the threat"):
        index(threat, [v(3), c(3)])


@pytest.mark.parametrize("likelihood", [0, 6])
def test_a_likelihood_out_of_range_is_refused(likelihood):
    with pytest.raises(ValueError, match=f"the likelihood is rated 1 to 5, not {likelihood}"):
        assess(3, likelihood, 3, [v(3), c(3)])


@pytest.mark.parametrize("impact", [0, 6])
def test_an_impact_out_of_range_is_refused(impact):
    with pytest.raises(ValueError, match=f"the impact is rated 1 to 5, not {impact}"):
        assess(3, 3, impact, [v(3), c(3)])


@pytest.mark.parametrize(
    "bad",
    [v(0, "legal"), v(6, "legal"), c(0, "legal"), c(6, "legal")],
)
def test_a_component_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match=f"legal is rated 1 to 5, not {bad.rating}"):
        assess(3, 3, 3, [v(3, "exposure"), c(3, "networks"), bad])


def test_a_bad_component_is_refused_even_when_the_index_cannot_be_computed():
    with pytest.raises(ValueError, match="legal is rated 1 to 5, not 9"):
        index(3, [v(9, "legal")])


# --- what pushes it up ----------------------------------------------------------------------------


def test_push_is_the_distance_to_the_middle_on_the_bad_side():
    assert [v(r).push for r in range(1, 6)] == [0, 0, 0, 1, 2]
    assert [c(r).push for r in range(1, 6)] == [2, 1, 0, 0, 0]


def test_drivers_are_listed_strongest_first():
    ratings = [
        v(4, "exposure", order=0),
        c(1, "networks", order=8),
        v(5, "legal", order=7),
        c(2, "psychosocial", order=10),
    ]
    assert [d.code for d in drivers(ratings)] == ["legal", "networks", "exposure", "psychosocial"]


def test_ties_go_by_the_data_file_order_then_the_code():
    ratings = [
        v(4, "media_image", order=9),
        c(2, "office_home", order=1),
        v(4, "legal", order=7),
        c(2, "b_code", order=7),  # same push and order as legal: the code decides
        v(4, "a_code", order=7),
    ]
    assert [d.code for d in drivers(ratings)] == [
        "office_home",
        "a_code",
        "b_code",
        "legal",
        "media_image",
    ]


def test_components_at_or_on_the_good_side_of_the_middle_are_not_drivers():
    good = [v(1, "a"), v(2, "b"), v(3, "c"), c(3, "d"), c(4, "e"), c(5, "f")]
    assert drivers(good) == ()
    result = assess(3, 3, 3, [*good, v(4, "exposure"), c(2, "networks")])
    assert {d.code for d in result.drivers} == {"exposure", "networks"}


# --- the case's band and the changes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        (["low", None, "high", "medium"], "high"),
        (["very_high", "medium", "very_low"], "very_high"),  # not the alphabetical maximum
        (["very_low"], "very_low"),
        ([None, None], None),
        ([], None),
    ],
)
def test_highest(bands, expected):
    assert highest(bands) == expected


def result_in(band: str | None) -> Result:
    return Result(
        index=None,
        band=band,
        matrix=9,
        matrix_band="medium",
        drivers=(),
        mean_vulnerability=None,
        mean_capacity=None,
    )


def test_changes_keep_the_newer_order_then_the_dropped_scenarios():
    before = {"a": result_in("low"), "b": result_in("high"), "c": result_in("medium")}
    after = {"c": result_in("medium"), "a": result_in("very_high"), "d": result_in("low")}
    moved = changes(before, after)
    assert [change.key for change in moved] == ["c", "a", "d", "b"]
    by_key = {change.key: change for change in moved}
    assert by_key["d"].before is None
    assert by_key["d"].after is after["d"]
    assert by_key["b"].before is before["b"]
    assert by_key["b"].after is None
    assert [change.direction for change in moved] == [0, 1, 0, 0]


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        ("low", "high", 1),  # up
        ("very_low", "low", 1),
        ("very_high", "medium", -1),  # down
        ("low", "very_low", -1),
        ("medium", "medium", 0),  # same
        (None, "high", 0),  # no index before: not comparable
        ("high", None, 0),
    ],
)
def test_direction_compares_the_bands(before, after, direction):
    assert Change("s", result_in(before), result_in(after)).direction == direction


def test_a_new_or_dropped_scenario_has_no_direction():
    assert Change("s", None, result_in("high")).direction == 0  # new
    assert Change("s", result_in("high"), None).direction == 0  # dropped


# --- properties -------------------------------------------------------------------------------------

CODES = [term.code for term in vocabularies.load("risk_components").terms]
threats = st.integers(min_value=1, max_value=5)


def rated(kind: str) -> st.SearchStrategy[Rated]:
    return st.builds(
        Rated,
        code=st.sampled_from(CODES),
        kind=st.just(kind),
        rating=st.integers(min_value=1, max_value=5),
        order=st.integers(min_value=0, max_value=len(CODES) - 1),
    )


@st.composite
def analyses(draw: st.DrawFn) -> list[Rated]:
    """At least one vulnerability and one capacity, in any order."""
    vulnerabilities = draw(st.lists(rated(VULNERABILITY), min_size=1, max_size=8))
    capacities = draw(st.lists(rated(CAPACITY), min_size=1, max_size=8))
    return draw(st.permutations(vulnerabilities + capacities))


def raised(ratings: list[Rated], kind: str, pick: int, step: int) -> tuple[list[Rated], bool]:
    """The ratings with one component of ``kind`` rated ``step`` higher (at most 5)."""
    positions = [i for i, r in enumerate(ratings) if r.kind == kind]
    at = positions[pick % len(positions)]
    old = ratings[at]
    new = Rated(old.code, old.kind, min(5, old.rating + step), old.order)
    return [*ratings[:at], new, *ratings[at + 1 :]], new.rating > old.rating


@given(threats, analyses())
def test_the_index_stays_between_its_extremes(threat, ratings):
    value = index(threat, ratings)
    assert value is not None
    assert 0.2 <= value <= 25


@given(threats, analyses(), st.integers(min_value=0), st.integers(min_value=1, max_value=4))
def test_raising_a_capacity_never_raises_the_index(threat, ratings, pick, step):
    higher, changed = raised(ratings, CAPACITY, pick, step)
    before, after = index(threat, ratings), index(threat, higher)
    assert after <= before
    if changed:
        assert after < before


@given(threats, analyses(), st.integers(min_value=0), st.integers(min_value=1, max_value=4))
def test_raising_a_vulnerability_never_lowers_the_index(threat, ratings, pick, step):
    higher, changed = raised(ratings, VULNERABILITY, pick, step)
    before, after = index(threat, ratings), index(threat, higher)
    assert after >= before
    if changed:
        assert after > before


@given(threats, threats, analyses())
def test_raising_the_threat_never_lowers_the_index(first, second, ratings):
    low, high = sorted((first, second))
    assert index(low, ratings) <= index(high, ratings)
    assert BANDS.index(band_of_index(index(low, ratings))) <= BANDS.index(
        band_of_index(index(high, ratings))
    )


@given(
    st.floats(min_value=0.2, max_value=25, allow_nan=False),
    st.floats(min_value=0.2, max_value=25, allow_nan=False),
)
def test_a_higher_index_is_never_a_lower_band(a, b):
    low, high = sorted((a, b))
    assert BANDS.index(band_of_index(low)) <= BANDS.index(band_of_index(high))


@given(st.integers(min_value=1, max_value=25), st.integers(min_value=1, max_value=25))
def test_a_higher_matrix_score_is_never_a_lower_band(a, b):
    low, high = sorted((a, b))
    assert BANDS.index(band_of_matrix(low)) <= BANDS.index(band_of_matrix(high))


@given(analyses())
def test_drivers_are_exactly_the_components_that_push(ratings):
    listed = drivers(ratings)
    assert sorted(listed, key=repr) == sorted((r for r in ratings if r.push > 0), key=repr)
    pushes = [d.push for d in listed]
    assert pushes == sorted(pushes, reverse=True)


# --- the vocabularies of §4 and §6 ----------------------------------------------------------------

COMPONENTS = {
    "exposure",
    "office_home",
    "field_work",
    "communications",
    "information_security",
    "organisation",
    "context_actors",
    "legal",
    "networks",
    "media_image",
    "psychosocial",
    "personal_identity",
    "community",
}
PROTOCOLS = {
    "office_home",
    "field_trips",
    "meetings",
    "information",
    "communications",
    "public_statements",
}
CONTINGENCIES = {
    "arrest_detention",
    "abduction_disappearance",
    "physical_attack",
    "raid",
    "evacuation_relocation",
    "medical_emergency",
    "digital_compromise",
}
LANGUAGES = vocabularies.LANGUAGES
# French puts U+00A0 before : ; ? ! and inside « » (docs/translation-glossary.md), and nowhere
# else; the other languages put no space before : ; ? !.
FRENCH_BAD_SPACING = re.compile(r"(?<!\u00a0)[:;?!»]|«(?!\u00a0)|\u00a0(?![:;?!»])(?<!«\u00a0)")
NO_SPACE_BEFORE = re.compile(r"\s[:;?!]")


def check_spacing(language: str, text: str, where: str) -> None:
    if language == "fr":
        assert not FRENCH_BAD_SPACING.search(text), f"{where}: {text!r}"
    else:
        assert not NO_SPACE_BEFORE.search(text), f"{where}: {text!r}"
        assert "\u00a0" not in text, where


@pytest.mark.parametrize(
    ("name", "expected", "extra"),
    [
        ("risk_components", COMPONENTS, set()),
        ("protocol_templates", PROTOCOLS, {f"text_{lang}" for lang in LANGUAGES}),
        (
            "contingency_templates",
            CONTINGENCIES,
            {f"{key}_{lang}" for key in ("steps", "who") for lang in LANGUAGES},
        ),
    ],
)
def test_the_new_vocabularies_load_with_their_codes(name, expected, extra):
    vocabulary = vocabularies.load(name)
    codes = [term.code for term in vocabulary.terms]
    assert len(codes) == len(set(codes))
    assert expected <= set(codes)
    for term in vocabulary.terms:
        assert set(term.extra) == extra, term.code  # no misspelt or missing key
        for language in LANGUAGES:
            label = term.labels[language]
            assert label.strip(), (term.code, language)
            assert len(label) < 60, (term.code, language)
            check_spacing(language, label, f"{term.code}.{language}")


def lines_of(term: vocabularies.Term, key: str) -> list[str]:
    text = term.extra[key]
    assert isinstance(text, str), (term.code, key)
    lines = text.strip().splitlines()
    assert all(line.strip() for line in lines), (term.code, key)
    return lines


def test_every_protocol_template_has_a_starter_text_in_every_language():
    for term in vocabularies.load("protocol_templates").terms:
        for language in LANGUAGES:
            key = f"text_{language}"
            assert 4 <= len(lines_of(term, key)) <= 7, (term.code, key)
            check_spacing(language, term.extra[key], f"{term.code}.{key}")
        counts = {len(lines_of(term, f"text_{language}")) for language in LANGUAGES}
        assert len(counts) == 1, term.code  # the translations say the same number of things


def test_every_contingency_template_has_steps_and_roles_in_every_language():
    for term in vocabularies.load("contingency_templates").terms:
        for language in LANGUAGES:
            steps = lines_of(term, f"steps_{language}")
            assert 5 <= len(steps) <= 8, (term.code, language)
            assert [line.split(". ", 1)[0] for line in steps] == [
                str(n) for n in range(1, len(steps) + 1)
            ], (term.code, language)
            who = lines_of(term, f"who_{language}")
            assert 2 <= len(who) <= 4, (term.code, language)
            separator = "\u00a0: " if language == "fr" else ": "
            assert all(separator in line for line in who), (term.code, language)
            for key in ("steps", "who"):
                check_spacing(language, term.extra[f"{key}_{language}"], f"{term.code}.{key}")
        for key in ("steps", "who"):
            counts = {len(lines_of(term, f"{key}_{language}")) for language in LANGUAGES}
            assert len(counts) == 1, (term.code, key)
