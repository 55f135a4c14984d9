"""Normalisation for the blind index: accents, case, elisions, plurals; idempotent."""

from hypothesis import given
from hypothesis import strategies as st

from protectdesk.crypto import text


def test_accents_case_and_punctuation():
    assert text.words("La camioneta BLANCA, estacionada; frente a la OFICINA!") == [
        "camioneta",
        "blanca",
        "estacionada",
        "frent",
        "oficina",
    ]
    assert text.words("Amenaza de muerte") == text.words("amenaza DE MUERTE")
    assert text.words("Cañón Río Verde") == text.words("canon rio verde")


def test_french_elisions_and_apostrophes():
    assert text.words("l’homme d'affaires qu'il connaît") == text.words("homme affaire connait")
    assert text.words("d'affaires") == text.words("affaire")
    assert text.words("O'Brien didn't") == ["obrien", "didnt"]


def test_light_plurals_in_four_languages():
    assert text.words("pickups") == text.words("pickup")
    assert text.words("amenazas") == text.words("amenaza")
    assert text.words("camiones") == text.words("camion")
    assert text.words("menaces") == text.words("menace")
    assert text.words("ameaças") == text.words("ameaça")
    assert text.words("mujeres") == text.words("mujer")


def test_query_phrases_degrade_to_all_words():
    assert text.query_words('"white pickup" white') == text.words("white pickup")
    assert text.query_words("« camionnette blanche »") == text.words("camionnette blanche")


def test_stop_words_and_short_words_are_skipped():
    assert text.words("the and y et e a de") == []
    assert text.words("x 7 42") == ["42"]


@given(st.text(max_size=80))
def test_normalisation_is_idempotent(sample):
    for word in text.words(sample):
        assert text.normalise_word(word) == word
        assert text.words(word) == [word]


@given(st.text(max_size=80))
def test_words_survive_renormalising_the_whole_text(sample):
    once = text.words(sample)
    assert text.words(" ".join(once)) == once
