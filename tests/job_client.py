"""Test helper for pages whose file is made by a background job (appraisal.jobs): POST the
page, follow it to the job's page (the task ran eagerly in the test process) and download
the file the page offers, as the person in the browser would."""

from django.http import HttpResponse
from django.urls import resolve, reverse

from appraisal.models import BackgroundJob


def started_job(response) -> BackgroundJob:
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.url_name == "job_detail", response["Location"]
    return BackgroundJob.objects.get(pk=match.kwargs["job_id"])


def job_file(client, url: str, data: dict | None = None) -> HttpResponse:
    """POST `url`, then GET the job's page and the file it offers; returns the download as a
    plain response (content, Content-Type)."""
    job = started_job(client.post(url, data or {}))
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert page.status_code == 200
    download_url = reverse("job_download", args=[job.pk])
    assert download_url in page.content.decode(), page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200, download.status_code
    response = HttpResponse(b"".join(download.streaming_content), content_type=download["Content-Type"])
    response["Content-Disposition"] = download["Content-Disposition"]
    return response
