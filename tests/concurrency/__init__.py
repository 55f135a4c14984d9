"""Concurrency (issue 19): two people writing the same record, a plan reviewed twice at once,
writes that meet a key rotation. Each scenario fails if data is lost; every loser gets the
page's conflict message and keeps what they typed.

Scenarios and the tests that cover them (here unless a path is given):

1. Two members open the same edit form and both save: the first is stored exactly, the second
   gets 409 with the conflict message in their language, the winner's text beside their own
   typing, the record untouched, and their next save goes through — for an incident, the
   plan's objectives, a measure, a protocol, a contingency plan, a risk analysis, a risk
   scenario, a threat assessment (a step) and an actor of the threats map:
   ``test_two_editors.py::test_the_second_save_is_refused_and_keeps_what_was_typed``.
   Already covered one kind at a time (kept; the parametrized test adds the two clients, the
   loser's language, and the stored record compared field by field):
   tests/incidents/test_incidents.py::test_concurrent_edit_shows_both_versions_and_loses_nothing,
   tests/threats/test_threats.py::test_a_concurrent_edit_saves_nothing_and_shows_both,
   tests/plans/test_plans.py::test_a_stale_protocol_save_shows_the_conflict_and_keeps_the_typing,
   tests/records/test_floor.py::test_an_edit_reindexes_and_a_stale_edit_saves_nothing (the
   write path itself), and the profile, own-profile, communication, observatory and library
   conflicts in their modules' tests.
2. Plan reviews (test_plan_review.py). Two reviewers load the plan page and both start the
   review: one new version, the second refused with "This review was already made: version N
   is the current plan", version 1 and its parts unchanged
   (``test_two_reviewers_at_once_make_one_new_version``; one person's two tabs:
   tests/plans/test_plans.py::test_a_review_started_twice_makes_one_version; simultaneous, in
   threads: 3 below). A page of the objectives, a protocol or a contingency plan loaded before
   a review and saved after a colleague changed the new version: 409, nothing overwritten
   (``test_a_form_of_a_reviewed_version_never_lands_on_the_new_one``; it did overwrite before
   the forms named their plan version). A measure's page from before a review: refused, the
   typing kept (``test_a_measure_form_of_a_reviewed_version_is_refused_with_the_typing_kept``).
   Two first saves of a protocol nobody had written: the second is a conflict
   (``test_two_first_saves_of_a_protocol_do_not_overwrite_each_other``; it overwrote before).
   A check-in from a page loaded before a new schedule replaced it: "nothing was recorded,
   check in again" and the new times, not a 404
   (``test_a_check_in_replaced_by_a_new_schedule_says_so``).
3. Truly simultaneous writes, threads released by a barrier, on SQLite and PostgreSQL
   (test_simultaneous.py): an incident, the plan, a risk analysis and a threat assessment
   saved by two people from the same version: one wins, one EditConflict, one write stored
   and two reviews of the plan at the same instant: one version, the other refused with
   ReviewAlreadyStarted naming it
   (``test_simultaneous_saves_and_reviews_one_wins_the_other_is_told``). An edit of a
   defender's report while a colleague marks it reviewed, and a check-in while its schedule
   is replaced: no deadlock, nothing lost, the check-in either kept or refused as
   rescheduled (``test_writes_meeting_at_the_case_lock_do_not_deadlock``; PostgreSQL failed
   one of them with "deadlock detected" before every write took the case row first).
   tests/audit/test_chain.py::test_concurrent_writers_cannot_fork_the_chain: the audit chain.
4. Rotation while someone writes (test_rotation_writes.py): between two batches, edits of an
   incident already re-sealed and of one not yet, a new incident and a plan review, all from
   keyrings opened before the rotation: all kept, readable and found with the new keys, no
   envelope, key box or search token of the old version left
   (``test_writes_between_batches_are_kept_under_the_new_keys``; the edit and the review
   failed with NoCaseAccess before actions brought their keyring up to date under the lock).
   Already covered: tests/cases/test_rotation.py::test_edits_during_a_rotation_are_not_lost
   (an edit after the switch, before any batch) and
   tests/records/test_write_path_edges.py::test_a_write_with_keys_read_before_a_rotation_seals_under_the_new_keys;
   a killed rotation: tests/cases/test_rotation.py::test_a_killed_rotation_resumes_and_finishes.
"""
