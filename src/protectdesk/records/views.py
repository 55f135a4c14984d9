"""Pages of the records floor: the progress of a background job."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from protectdesk.lib.access import signed_in
from protectdesk.records import jobs
from protectdesk.records.keyring import keyring_for

#: How often the progress page reloads itself while the job is under way.


@require_GET
@signed_in
def job_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Where a job stands (reloaded by the person following it: no self-refresh).

    Only the person who started the job, while still a staff member of its case, sees it;
    anyone else gets 404, as for a case they cannot open.
    """
    job = jobs.job_for(keyring_for(request), job_id)
    if job is None:
        raise Http404
    return render(
        request,
        "records/job.html",
        {"job": job, "progress": jobs.progress(job)},
    )
