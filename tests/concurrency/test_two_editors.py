"""Scenario 1: two members of a case open the same edit form and both save.

The first save wins and is stored exactly as sent; the second is answered 409 with the page's
conflict message in the loser's language, what the winner saved beside the form, and every
word the loser typed still in the form; the stored record does not move. Then the loser saves
again over the version now shown and that save goes through (the message's promise).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.concurrency.forms import edit_form
from tests.concurrency.kinds import KINDS, Kind, stored, two_members


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_the_second_save_is_refused_and_keeps_what_was_typed(desks, signed_in_client, kind: Kind):
    two_members(desks)
    made = kind.make(desks)
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    bob.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # the loser reads Spanish
    alice_form, bob_form = edit_form(alice.get(made.url).content.decode()), None
    bob_page = bob.get(made.url)
    assert bob_page.status_code == 200
    bob_form = edit_form(bob_page.content.decode())
    assert alice_form["row_version"] == bob_form["row_version"]

    alice_text, bob_text = "Alice's words, saved first", "Bob's words, typed at the same time"
    first = alice.post(made.url, {**alice_form, kind.field: alice_text})
    assert first.status_code == 302, first.content.decode()[:2000]
    after_first = stored(desks, made.record)
    assert after_first[kind.field] == alice_text

    second = bob.post(made.url, {**bob_form, kind.field: bob_text})
    assert second.status_code == 409
    page = second.content.decode()
    with translation.override("es"):
        spanish = gettext(kind.message)
    assert spanish != kind.message, "the conflict message has no Spanish translation"
    assert escape(spanish) in page and kind.message not in page
    assert escape(bob_text) in page  # nothing the loser typed is lost
    assert escape(alice_text) in page  # and they see what the winner saved
    assert stored(desks, made.record) == after_first  # not overwritten, not even touched

    # The form now carries the version the winner left: saving again goes through.
    again = edit_form(page)
    assert again[kind.field] == bob_text and again["row_version"] != bob_form["row_version"]
    assert bob.post(made.url, again).status_code == 302
    assert stored(desks, made.record)[kind.field] == bob_text
