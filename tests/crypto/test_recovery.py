import pytest

from protectdesk.crypto import RecoveryPhraseError, recovery, userkeys


def test_phrase_round_trip_tolerates_how_people_copy_it():
    key = userkeys.generate_keypair().private_key
    phrase = recovery.to_phrase(key)
    groups = phrase.split(" ")
    assert len(groups) == 11 and all(len(g) == 5 for g in groups)
    assert recovery.from_phrase(phrase) == key
    assert recovery.from_phrase(phrase.lower().replace(" ", "-")) == key
    assert recovery.from_phrase("\n".join(groups)) == key
    assert recovery.from_phrase(phrase.replace("O", "0").replace("I", "1")) == key


def test_every_single_character_typo_is_caught_or_harmless():
    """Exhaustive over one fixed key: each of 55 positions x 31 wrong characters.

    A typo must raise RecoveryPhraseError, except in the last character where only padding
    bits may change; it must never yield a different key.
    """
    key = bytes(range(32))
    text = recovery.to_phrase(key).replace(" ", "")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for position, original in enumerate(text):
        for replacement in alphabet:
            if replacement == original:
                continue
            typo = text[:position] + replacement + text[position + 1 :]
            try:
                decoded = recovery.from_phrase(typo)
            except RecoveryPhraseError:
                continue
            assert decoded == key, f"typo at {position} gave another key"
            assert position == len(text) - 1


def test_typos_are_reported_clearly():
    key = userkeys.generate_keypair().private_key
    text = recovery.to_phrase(key).replace(" ", "")
    swapped = (
        text[1] + text[0] + text[2:]
        if text[0] != text[1]
        else text[2] + text[1] + text[0] + text[3:]
    )
    with pytest.raises(RecoveryPhraseError, match="typo"):
        recovery.from_phrase(swapped)
    with pytest.raises(RecoveryPhraseError, match="55 characters"):
        recovery.from_phrase(text[:-1])
    with pytest.raises(RecoveryPhraseError):
        recovery.from_phrase("!" * 55)
