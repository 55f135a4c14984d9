"""Fault injection (issue 19): each scenario is a test that fails if data is lost.

=====================================================  ==============================================
Scenario                                               Test
=====================================================  ==============================================
kill -9 during a key rotation: readable mid-way,       ``tests/cases/test_rotation.py::``
resumes and finishes, old keys gone, audit verifies    ``test_a_killed_rotation_resumes_and_finishes``
kill -9 at each step of a restore: target untouched    ``tests/backups/test_backups.py::test_a_killed_``
or complete, the restore runs again                    ``restore_leaves_the_target_untouched_or_complete``
a job worker that stops halfway through an import      ``tests/imports/test_jobs.py::test_a_worker_``
saves nothing (a requested stop, not a kill)           ``that_stops_halfway_saves_nothing_and_deletes_``
                                                       ``the_file``
kill -9 of ``protectdesk import`` inside its            :mod:`.test_killed_commands`
transaction: no row saved, no plaintext left, runs     ``test_a_killed_import_saves_nothing_and_runs_``
again to completion, audit verifies                    ``again``
kill -9 of ``protectdesk backup`` after the dump and   :mod:`.test_killed_commands`
after the whole archive: nothing under the final       ``test_a_killed_backup_leaves_no_archive_and_``
name, the next backup deletes the ``.partial`` and     ``the_next_one_restores``
restores to the same content
a full disk while an upload is encrypted (in write,    :mod:`.test_full_disk`
at close, after a photo is cleaned): a clear message,
no row, no partial file, no plaintext, the case
intact, the same upload works once there is room
PostgreSQL restarted (fast, then crashed) under        :mod:`.test_postgres_restart`
concurrent HTTP writes: nothing acknowledged lost,
nothing half-written, 503 pages during the outage,
the app serves again without being restarted
=====================================================  ==============================================

The pause points the kill tests use are environment variables read by the commands themselves:
``PROTECTDESK_ROTATE_PAUSE_AFTER_BATCHES``, ``PROTECTDESK_RESTORE_PAUSE_AT``,
``PROTECTDESK_IMPORT_PAUSE_AFTER_ROWS`` and ``PROTECTDESK_BACKUP_PAUSE_AT`` (``database`` or
``written``). Each prints ``PAUSED …`` and sleeps, for the test to kill the process there.
"""
