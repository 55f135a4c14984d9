"""Once a resource is published, only a coordinator or an administrator changes or deletes it;
a caseworker is refused in words and is offered no button for it. Deleting a version checks the
version the page showed, like every other write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protectdesk.library import actions
from protectdesk.library.models import Resource, Status, Version
from protectdesk.records.actions import EditConflict

DATA = actions.ResourceData(
    slug="safe-travel",
    kind="guide",
    audience="defenders",
    topics=("protection_plans",),
    licence="cc-by-4.0",
)
REFUSED = "only a coordinator or an administrator can change or delete it"


def _resource(desks, publish: bool) -> Resource:
    return actions.create_with_versions(
        author=desks.caseworker,
        data=DATA,
        versions=[
            (actions.VersionData("en", "Travel safely", body="Plan the route."), None),
            (actions.VersionData("pt", "Viagens seguras", body="Planeje a rota."), None),
        ],
        publisher=desks.coordinator if publish else None,
    )


def _writes(resource: Resource):
    """Each write of a resource, as a function of the actor."""
    resource.refresh_from_db()
    english = Version.objects.get(resource=resource, language="en")
    changed = actions.ResourceData(**{**DATA.__dict__, "kind": "manual"})
    return {
        "update_resource": lambda actor: actions.update_resource(
            actor=actor, resource=resource, data=changed, expected_version=resource.row_version
        ),
        "save_version": lambda actor: actions.save_version(
            actor=actor,
            resource=resource,
            data=actions.VersionData("en", "Rewritten", body="Another text."),
            expected_version=english.row_version,
        ),
        "delete_version": lambda actor: actions.delete_version(
            actor=actor, version=english, expected_version=english.row_version
        ),
        "delete_resource": lambda actor: actions.delete_resource(
            actor=actor, resource=resource, expected_version=resource.row_version
        ),
    }


@pytest.mark.parametrize(
    "write", ["update_resource", "save_version", "delete_version", "delete_resource"]
)
def test_a_caseworker_cannot_change_a_published_resource(desks, write):
    resource = _resource(desks, publish=True)
    with pytest.raises(actions.LibraryRefused) as refused:
        _writes(resource)[write](desks.caseworker)
    assert refused.value.code == "published_locked"
    resource.refresh_from_db()
    assert resource.kind == "guide" and resource.status == Status.PUBLISHED
    assert [v.title for v in resource.versions.all()] == ["Travel safely", "Viagens seguras"]


@pytest.mark.parametrize("who", ["coordinator", "admin"])
@pytest.mark.parametrize("write", ["update_resource", "save_version", "delete_version"])
def test_a_coordinator_and_an_administrator_still_can(desks, write, who):
    resource = _resource(desks, publish=True)
    _writes(resource)[write](getattr(desks, who))


@pytest.mark.parametrize(
    "write", ["update_resource", "save_version", "delete_version", "delete_resource"]
)
def test_a_draft_stays_the_staffs(desks, write):
    resource = _resource(desks, publish=False)
    _writes(resource)[write](desks.caseworker2)


def test_published_since_the_form_was_loaded_is_refused_too(desks):
    """The rule is checked on the resource as locked, not as the caller loaded it."""
    resource = _resource(desks, publish=False)
    stale = Resource.objects.get(pk=resource.pk)
    english = Version.objects.get(resource=resource, language="en")
    actions.set_published(
        actor=desks.coordinator,
        resource=resource,
        published=True,
        expected_version=Resource.objects.get(pk=resource.pk).row_version,
    )
    with pytest.raises(actions.LibraryRefused) as refused:
        actions.delete_version(
            actor=desks.caseworker, version=english, expected_version=english.row_version
        )
    assert refused.value.code == "published_locked"
    with pytest.raises(actions.LibraryRefused):
        actions.save_version(
            actor=desks.caseworker,
            resource=stale,
            data=actions.VersionData("en", "Rewritten", body="Another text."),
            expected_version=english.row_version,
        )
    assert Version.objects.get(pk=english.pk).title == "Travel safely"


def test_the_staff_pages_offer_a_caseworker_no_change_to_a_published_resource(
    desks, signed_in_client
):
    resource = _resource(desks, publish=True)
    caseworker = signed_in_client(desks.caseworker)
    edit_url = reverse("library:edit", args=[resource.id])
    version_url = reverse("library:edit_version", args=[resource.id, "en"])
    delete_url = reverse("library:delete_version", args=[resource.id, "en"])

    page = caseworker.get(edit_url).content.decode()
    assert REFUSED.replace(" or delete it", "") in page
    assert "Save the details" not in page and version_url not in page
    assert "Delete this draft" not in page
    page = caseworker.get(version_url).content.decode()
    assert "Save this version" not in page and delete_url not in page

    english = Version.objects.get(resource=resource, language="en")
    response = caseworker.post(
        version_url, {"title": "Rewritten", "body": "Another text.", "row_version": "1"}
    )
    assert response.status_code == 302
    assert REFUSED in caseworker.get(response["Location"]).content.decode()
    response = caseworker.post(delete_url, {"row_version": str(english.row_version)})
    assert REFUSED in caseworker.get(response["Location"]).content.decode()
    assert Version.objects.get(pk=english.pk).title == "Travel safely"

    coordinator = signed_in_client(desks.coordinator)
    page = coordinator.get(edit_url).content.decode()
    assert "Save the details" in page and version_url in page
    page = coordinator.get(version_url).content.decode()
    assert "Save this version" in page and delete_url in page


def test_deleting_a_version_the_page_showed_before_it_changed_deletes_nothing(
    desks, signed_in_client
):
    resource = _resource(desks, publish=False)
    english = Version.objects.get(resource=resource, language="en")
    shown = english.row_version
    actions.save_version(
        actor=desks.caseworker2,
        resource=resource,
        data=actions.VersionData("en", "Travel safely, again", body="Plan it twice."),
        expected_version=shown,
    )
    with pytest.raises(EditConflict):
        actions.delete_version(actor=desks.caseworker, version=english, expected_version=shown)
    assert Version.objects.filter(pk=english.pk).exists()

    client = signed_in_client(desks.caseworker)
    url = reverse("library:delete_version", args=[resource.id, "en"])
    response = client.post(url, {"row_version": str(shown)})
    assert "Someone saved this resource" in client.get(response["Location"]).content.decode()
    assert Version.objects.get(pk=english.pk).title == "Travel safely, again"

    response = client.post(url, {"row_version": str(shown + 1)})
    assert "English version deleted." in client.get(response["Location"]).content.decode()
    assert not Version.objects.filter(pk=english.pk).exists()
