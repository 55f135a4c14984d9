"""Restoring someone's access with the desk's recovery phrase (the web page at /cases/recovery/).

The journey itself (typo, wrong phrase, success) is tested in test_access.py with the other
key-access tests.
"""


def test_the_recovery_phrase_is_never_echoed_back(desks, signed_in_client):
    # Regression test from the round-one security review: once submitted, the phrase is never
    # sent back in the page.
    client = signed_in_client(desks.coordinator)
    page = client.post(
        f"/cases/recovery/{desks.caseworker2.pk}/", {"phrase": desks.recovery_phrase}
    )
    assert desks.recovery_phrase.encode() not in page.content
