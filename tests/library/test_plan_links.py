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
