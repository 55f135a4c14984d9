"""What the records floor itself declares to the registry: the background-job page's route.

Called from ``RecordsConfig.ready``. The job codes of the audit log (``job.started``,
``job.finished``, ``job.failed``) are platform codes, listed in ``audit/codes.py``.
"""

from __future__ import annotations

from typing import Any

from protectdesk.accounts.models import User
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RouteRule

#: A job's page is its starter's only (while a staff member of the job's case): everyone else,
#: of this desk or another, gets 404. The URL names no case, so the "case" class does not
#: apply; "staff" with every other persona overridden says exactly that.
_NOT_THE_STARTER = {
    "admin": 404,
    "coordinator": 404,
    "caseworker2": 404,
    "outsider": 404,
    "outsider_caseworker": 404,
    "trainer": 404,
    "analyst": 404,
}


def _job(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A rotation job of ``case`` started by ``actor``, through the real path.

    This process acts as a worker just long enough to take the job; when it stops, the job
    fails as any job does whose worker went away (its page still answers its starter).
    """
    from protectdesk.records import jobs

    jobs.start_worker()
    try:
        job = jobs.start_rotation(actor=actor, keyring=keyring, case=case)
    finally:
        jobs.stop_worker()
    if job is None:
        raise RuntimeError("no job was started")
    return {"job_id": job.id}


def register() -> None:
    registry.register_routes(
        {
            "jobs:progress": RouteRule(
                "GET", "staff", member=200, defender=404, sample=_job, overrides=_NOT_THE_STARTER
            ),
        }
    )
