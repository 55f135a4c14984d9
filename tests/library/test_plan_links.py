"""A plan's measure links a library guide: shown on the plan in the reader's language, kept by
a review, refused for another desk's draft, and the guide cannot be deleted from under it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protectdesk.library import actions as library
from protectdesk.plans import actions
from protectdesk.plans.models import Measure
from tests.conftest import keyring_of
from tests.library.test_fulltext import _publish, _resource


def _plan_with_guide(desks, resource):
    keyring = keyring_of(desks.caseworker)
    version = actions.start_plan(actor=desks.caseworker, keyring=keyring, case=desks.case)
    measure = actions.save_measure(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        data=actions.MeasureData(
            description="Read the guide together", strategy="protection", resource_id=resource.id
        ),
    )
    return version, measure


def test_a_measure_links_a_guide_shown_in_the_readers_language(desks, signed_in_client):
    resource = _publish(desks.coordinator, _resource(desks.caseworker))
    version, _measure = _plan_with_guide(desks, resource)
    client = signed_in_client(desks.caseworker)
    page = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert 'href="/library/facing-threats/en/"' in page and "Facing threats" in page
    client.post(reverse("set_language"), {"language": "pt", "next": "/"})
    page = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert "Diante das ameaças" in page

    review = actions.review(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        from_number=version.number,
    )
    assert Measure.objects.get(version=review).resource_id == resource.id

    resource.refresh_from_db()
    withdrawn = library.set_published(
        actor=desks.coordinator,
        resource=resource,
        published=False,
        expected_version=resource.row_version,
    )
    with pytest.raises(library.LibraryRefused) as refused:
        library.delete_resource(
            actor=desks.caseworker, resource=withdrawn, expected_version=withdrawn.row_version
        )
    assert refused.value.code == "in_use"
    assert type(resource).objects.filter(pk=resource.pk).exists()


def test_another_desks_draft_cannot_be_linked(desks):
    from tests.conftest import caseworker_with_a_case

    other_worker, _other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far")
    draft = _resource(other_worker, slug="far-draft", languages=("en",))
    keyring = keyring_of(desks.caseworker)
    version = actions.start_plan(actor=desks.caseworker, keyring=keyring, case=desks.case)
    with pytest.raises(ValueError, match="cannot link"):
        actions.save_measure(
            actor=desks.caseworker,
            keyring=keyring,
            version=version,
            data=actions.MeasureData(
                description="Read it", strategy="protection", resource_id=draft.id
            ),
        )
    assert not Measure.objects.filter(version=version).exists()


def _guides(keyring, version, staff=None):
    from protectdesk.plans import queries

    return [row["guide"] for row in queries.plan_view(keyring, version, staff=staff).measures]


def test_a_draft_guides_title_is_shown_to_its_desks_staff_only(desks, signed_in_client):
    draft = _resource(desks.caseworker, languages=("en",))  # the desk's own draft: linkable
    version, _measure = _plan_with_guide(desks, draft)
    page = signed_in_client(desks.caseworker).get(reverse("plans:plan", args=[desks.case.id]))
    assert "Facing threats" in page.content.decode(), "the desk's staff see their draft"
    assert _guides(keyring_of(desks.defender), version) == [None], "not the defender"
    assert _guides(keyring_of(desks.caseworker), version, staff=False) == [None], "nor in print"
    _publish(desks.coordinator, draft)
    assert _guides(keyring_of(desks.defender), version)[0]["title"] == "Facing threats"


def test_another_desks_guide_withdrawn_to_draft_is_not_shown_even_after_a_review(desks):
    from tests.conftest import caseworker_with_a_case

    other_worker, _other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far")
    far_coordinator = other_worker.desk.users.get(role="coordinator")
    guide = _publish(far_coordinator, _resource(other_worker, slug="far-guide", languages=("en",)))
    version, _measure = _plan_with_guide(desks, guide)
    assert _guides(keyring_of(desks.caseworker), version)[0]["title"] == "Facing threats"

    guide.refresh_from_db()
    library.set_published(
        actor=far_coordinator, resource=guide, published=False, expected_version=guide.row_version
    )
    assert _guides(keyring_of(desks.caseworker), version) == [None]
    review = actions.review(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        from_number=version.number,
    )
    assert Measure.objects.get(version=review).resource_id == guide.id, "the link is kept"
    assert _guides(keyring_of(desks.caseworker), review) == [None]
    assert _guides(keyring_of(desks.defender), review) == [None]
