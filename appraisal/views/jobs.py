"""The status page of a background job, the small JSON its script polls, and the download.

Each is a 404 for anyone but the person who asked, and for them too once they no longer pass
the job kind's R20 check (`JobKind.may_see`): the file holds evaluative data.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from appraisal.jobs import kind_of
from appraisal.models import BackgroundJob, JobState
from appraisal.uploads import private_file_response


def _job_for(request, job_id: int) -> BackgroundJob:
    job = get_object_or_404(BackgroundJob, pk=job_id, requested_by=request.user)
    try:
        kind = kind_of(job)
    except KeyError:
        raise Http404 from None
    if not kind.may_see(request.user, job):
        raise Http404
    return job


def _has_file(job: BackgroundJob) -> bool:
    return job.state == JobState.DONE and bool(job.result)


@login_required
@require_GET
def job_detail(request, job_id: int):
    job = _job_for(request, job_id)
    kind = kind_of(job)
    return render(request, "appraisal/job_detail.html", {
        "job": job, "title": kind.title(job), "back_url": kind.back_url(job), "has_file": _has_file(job),
    })


@login_required
@require_GET
def job_status(request, job_id: int):
    job = _job_for(request, job_id)
    response = JsonResponse({
        "state": job.state, "state_label": job.get_state_display(), "done": job.done, "total": job.total,
        "percent": job.percent, "finished": job.finished,
        "download_url": reverse("job_download", args=[job.pk]) if _has_file(job) else "",
    })
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_download(request, job_id: int):
    job = _job_for(request, job_id)
    if not _has_file(job):
        raise Http404
    return private_file_response(job.result, download_name=job.result_name)
