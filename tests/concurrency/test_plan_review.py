"""Scenario 2: a plan's review (a new version, methodology §6) meets another review, or an edit
of a part of the plan, from a page loaded before it; and a check-in from a page loaded before a
new schedule replaced it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import CheckIn, PlanVersion
from tests.concurrency.forms import edit_form
from tests.concurrency.kinds import KINDS, stored, two_members
from tests.conftest import keyring_of

RELATED = {"plan_protocol": "protocols", "plan_contingency": "contingencies"}
PARTS = [k for k in KINDS if k.name in {"plan", "plan_protocol", "plan_contingency"}]


@pytest.mark.parametrize("kind", PARTS, ids=[k.name for k in PARTS])
def test_a_form_of_a_reviewed_version_never_lands_on_the_new_one(desks, signed_in_client, kind):
    two_members(desks)
    made = kind.make(desks)
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    # The part was saved once more before Alice opens it: its row version is 2.
    warm = edit_form(alice.get(made.url).content.decode())
    assert alice.post(made.url, {**warm, kind.field: "Agreed in version 1"}).status_code == 302
    alice_form = edit_form(alice.get(made.url).content.decode())
    # Bob reviews the plan (version 2 copies the part), then edits the part of version 2.
    review = bob.post(reverse("plans:review", args=[desks.case.id]), {"from": "1"})
    assert review.status_code == 302
    bob_form = edit_form(bob.get(made.url).content.decode())
    assert bob.post(made.url, {**bob_form, kind.field: "Bob, version 2"}).status_code == 302
    new = PlanVersion.objects.get(case=desks.case, number=2)
    new_part = new if kind.name == "plan" else getattr(new, RELATED[kind.name]).get()
    before = stored(desks, new_part)
    old_before = stored(desks, made.record)

    late = alice.post(made.url, {**alice_form, kind.field: "Alice, typed on version 1"})
    assert late.status_code == 409
    page = late.content.decode()
    assert escape("Alice, typed on version 1") in page and "Bob, version 2" in page
    assert stored(desks, new_part) == before  # Bob's edit of version 2 stands
    assert stored(desks, made.record) == old_before  # version 1 is kept as it was
    # Saving again goes to the current version (the form now names it) and only to it.
    assert alice.post(made.url, edit_form(page)).status_code == 302
    assert stored(desks, new_part)[kind.field] == "Alice, typed on version 1"
    assert stored(desks, made.record) == old_before


def test_a_measure_form_of_a_reviewed_version_is_refused_with_the_typing_kept(
    desks, signed_in_client
):
    """The measure's copy in the new version is another row: the old one's page is refused
    (the old version is kept as it was) and shows what was typed, instead of a 404."""
    two_members(desks)
    made = next(k for k in KINDS if k.name == "plan_measure").make(desks)
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    alice_form = edit_form(alice.get(made.url).content.decode())
    assert bob.post(reverse("plans:review", args=[desks.case.id]), {"from": "1"}).status_code == 302
    before = stored(desks, made.record)
    late = alice.post(made.url, {**alice_form, "description": "Alice's new measure text"})
    assert late.status_code == 400
    page = late.content.decode()
    assert "Alice&#x27;s new measure text" in page
    assert "A review has replaced this version of the plan" in page
    assert stored(desks, made.record) == before
    copy = PlanVersion.objects.get(case=desks.case, number=2).measures.get()
    assert stored(desks, copy)["description"] == "Accompany her home"


def test_two_first_saves_of_a_protocol_do_not_overwrite_each_other(desks, signed_in_client):
    """Both open a protocol nobody has written yet (the page offers the template) and save:
    the second save meets the first one's row, a conflict, not a silent overwrite."""
    two_members(desks)
    next(k for k in KINDS if k.name == "plan").make(desks)  # the plan, no protocol yet
    url = reverse("plans:protocol", args=[desks.case.id, "meetings"])
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    alice_form, bob_form = (edit_form(c.get(url).content.decode()) for c in (alice, bob))
    assert alice_form["row_version"] == ""
    assert alice.post(url, {**alice_form, "text": "Alice's protocol"}).status_code == 302
    second = bob.post(url, {**bob_form, "text": "Bob's protocol"})
    assert second.status_code == 409
    assert "Bob&#x27;s protocol" in second.content.decode()
    protocol = PlanVersion.objects.get(case=desks.case).protocols.get()
    assert stored(desks, protocol)["text"] == "Alice's protocol"


def test_two_reviewers_at_once_make_one_new_version(desks, signed_in_client):
    """Two staff members load the plan page (its review button names version 1) and both
    start the review. A review copies the current version into the next one (methodology §6:
    each review is a new version), so a second review of version 1 would make version 3 as a
    copy of a copy, with whatever the first reviewer wrote into version 2 silently carried or
    not: the second is refused, told which version is current, and nothing is added."""
    two_members(desks)
    made = next(k for k in KINDS if k.name == "plan_protocol").make(desks)
    plan_url = reverse("plans:plan", args=[desks.case.id])
    alice, bob = signed_in_client(desks.caseworker), signed_in_client(desks.caseworker2)
    for client in (alice, bob):
        assert 'name="from" value="1"' in client.get(plan_url).content.decode()
    old = stored(desks, PlanVersion.objects.get(case=desks.case))
    old_protocol = stored(desks, made.record)
    url = reverse("plans:review", args=[desks.case.id])
    first = alice.post(url, {"from": "1"}, follow=True)
    second = bob.post(url, {"from": "1"}, follow=True)
    assert "Version 2 of the plan is started" in first.content.decode()
    assert "This review was already made: version 2 is the current plan." in second.content.decode()
    versions = PlanVersion.objects.filter(case=desks.case).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert stored(desks, versions[0]) == old and stored(desks, made.record) == old_protocol
    assert [stored(desks, p)["text"] for p in versions[1].protocols.all()] == ["Vary the places"]


def test_a_check_in_replaced_by_a_new_schedule_says_so(desks, signed_in_client):
    """The defender's page lists a check-in; staff change the schedule (the pending check-ins
    are replaced) before the defender taps "all is well": told nothing was recorded and shown
    the new times, not a 404 that leaves them unsure."""
    version = next(k for k in KINDS if k.name == "plan").make(desks).record
    keyring = keyring_of(desks.caseworker)
    start = timezone.now() + datetime.timedelta(minutes=30)

    def schedule(hours: int) -> None:
        plan_actions.save_contingency(
            actor=desks.caseworker,
            keyring=keyring,
            version=version,
            kind="raid",
            data=plan_actions.ContingencyData(
                "1. Call the lawyer.",
                schedule=plan_actions.Schedule(hours, start, start + datetime.timedelta(hours=4)),
            ),
        )

    schedule(1)
    defender = signed_in_client(desks.defender)
    plan_page = defender.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    first = CheckIn.objects.filter(case=desks.case).order_by("due_at").first()
    assert str(first.id) in plan_page
    schedule(2)  # the 30-minute slot is replaced by one with another id
    assert not CheckIn.objects.filter(pk=first.pk).exists()
    answer = defender.post(
        reverse("plans:check_in", args=[desks.case.id, first.id]), {"note": "All well"}, follow=True
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "nothing was recorded" in page
    assert "Check in: all is well" in page  # the new times, to check in again
    assert not CheckIn.objects.filter(case=desks.case).exclude(done_at=None).exists()
