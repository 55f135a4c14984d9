"""Scenario 4: writes that land between a rotation's batches.

tests/cases/test_rotation.py::test_edits_during_a_rotation_are_not_lost covers an edit made
after the switch to the new keys and before any record is converted. Here the rotation
converts two records per batch and, between two batches, a member whose keyring was opened
before the rotation started edits an incident already re-sealed, one not yet reached, and logs
a new one, and another starts a review of the plan just re-sealed. All these writes are kept, readable and found with the new keys, and nothing of the
old keys survives (no envelope, no key box, no search token of the old version).
"""

from __future__ import annotations

from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Incident
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import PlanVersion
from protectdesk.records import rotation
from protectdesk.records.models import Case, CaseKeyBox, CaseRotation, SearchToken
from protectdesk.search import queries as search
from tests.cases.test_rotation import _envelope_versions
from tests.conftest import keyring_of
from tests.incidents.helpers import log_incident_with

LABEL = Incident._meta.label


def _data(narrative: str) -> incident_actions.IncidentData:
    return incident_actions.IncidentData(
        when=incident_actions.When("exact", 2026, "2026-10", "2026-10-12"),
        country="GT",
        title="Car outside the office",
        narrative=narrative,
        types=("surveillance",),
        nature="physical",
    )


def test_writes_between_batches_are_kept_under_the_new_keys(
    desks, django_capture_on_commit_callbacks
):
    incidents = sorted(
        (log_incident_with(desks.caseworker, desks.case, title=f"Incident {n}") for n in range(3)),
        key=lambda incident: incident.pk,
    )
    titles = {
        incident.pk: keyring_of(desks.caseworker).opened(incident).title for incident in incidents
    }
    plan = plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    plan_actions.update_plan(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        version=plan,
        data=plan_actions.PlanData(plan.next_review, threats_to_reduce="The road at night"),
        expected_version=plan.row_version,
    )
    # Keyrings opened before the rotation (a request under way when it starts): version 1 only.
    early, early_reviewer = keyring_of(desks.caseworker), keyring_of(desks.caseworker)
    early.keys_for(desks.case.id), early_reviewer.keys_for(desks.case.id)
    written: dict[str, str] = {}
    reviewed: list[PlanVersion] = []

    def between_batches(progress: CaseRotation) -> None:
        if str(plan.pk) == progress.progress.get(PlanVersion._meta.label) and not reviewed:
            # A review copies the version the rotation has just re-sealed.
            reviewed.append(
                plan_actions.review(
                    actor=desks.caseworker, keyring=early_reviewer, case=desks.case, from_number=1
                )
            )
        done = progress.progress.get(LABEL)
        if written or done is None:
            return
        assert str(incidents[1].pk) == done  # the first two are re-sealed, the last is not
        assert _envelope_versions(desks.case) == {1, 2}
        for incident, word in ((incidents[0], "quetzal"), (incidents[2], "ceiba")):
            fresh = Incident.objects.get(pk=incident.pk)
            incident_actions.update_incident(
                actor=desks.caseworker,
                keyring=early,
                incident=fresh,
                data=_data(f"Edited mid-rotation: {word}"),
                expected_version=fresh.row_version,
            )
            written[str(incident.pk)] = f"Edited mid-rotation: {word}"
        new = incident_actions.log_incident(
            actor=desks.caseworker,
            keyring=early,
            case=Case.objects.get(pk=desks.case.pk),
            data=_data("Logged mid-rotation: jacaranda"),
        )
        written[str(new.pk)] = "Logged mid-rotation: jacaranda"

    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            batch_size=2,
            after_batch=between_batches,
        )
    assert len(written) == 3 and reviewed, "the writes never ran between batches"

    after = keyring_of(desks.caseworker)
    for pk, narrative in written.items():
        assert after.opened(Incident.objects.get(pk=pk)).narrative == narrative
    untouched = after.opened(Incident.objects.get(pk=incidents[1].pk))
    assert untouched.title == titles[incidents[1].pk] and untouched.narrative.startswith("A white")
    for version in PlanVersion.objects.filter(case=desks.case):
        assert after.opened(version).threats_to_reduce == "The road at night"
    for word in ("quetzal", "ceiba", "jacaranda"):
        assert search.search(after, word).total == 1, word
    # Nothing of version 1 is left to open anything with.
    assert _envelope_versions(desks.case) == {2}
    assert set(CaseKeyBox.objects.filter(case=desks.case).values_list("version", flat=True)) == {2}
    assert set(
        SearchToken.objects.filter(case=desks.case).values_list("key_version", flat=True)
    ) == {2}
    assert after.keys_for(desks.case.id).current_version == 2
