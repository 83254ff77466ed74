"""A large staff import runs as a background job (issue 12, point 5): the preview and the
«Сохранить» step stay as they are; the confirmed import of more than JOB_ROWS rows is applied
by the task runner (appraisal.jobs) instead of inside the request. Registered in
AppraisalConfig.ready().

The import is one transaction (appraisal.services.staff_import.confirm_upload: all rows or
none), so its progress moves from 0 to all rows at the end.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.jobs import JobKind, JobOutput, register, start_job
from appraisal.models import Role, StaffImport
from appraisal.services.staff_import import ImportSummary, confirm_upload

STAFF_IMPORT = "appraisal.staff_import"
JOB_ROWS = 200  # up to this many rows the import is applied within the request, as before


def row_count(upload: StaffImport) -> int:
    return max(0, len(upload.table) - 1)  # the header comes first (staff_file.read_table)


def runs_as_job(upload: StaffImport) -> bool:
    return row_count(upload) > JOB_ROWS


def start_staff_import(*, upload: StaffImport, user):
    return start_job(kind=STAFF_IMPORT, user=user, organisation=upload.organisation,
                     params={"upload_id": upload.pk, "filename": upload.filename}, total=row_count(upload))


def summary_text(summary: ImportSummary) -> str:
    return _(
        "Импорт штата выполнен: новых служащих — %(created)s, обновлено — %(updated)s, "
        "добавлено назначений — %(appointments)s, изменено назначений — %(changed)s, "
        "создано учётных записей — %(users)s."
    ) % {
        "created": summary.employees_created, "updated": summary.employees_updated,
        "appointments": summary.appointments_created, "changed": summary.appointments_updated,
        "users": summary.users_created,
    }


def _run(job, progress) -> JobOutput:
    upload = StaffImport.objects.select_related("organisation").get(pk=job.params["upload_id"],
                                                                    organisation=job.organisation)
    # confirm_upload checks the chief specialist's role again and refuses in the rule's words
    summary = confirm_upload(upload=upload, by=job.requested_by)
    progress(job.total, job.total)
    return JobOutput(message=summary_text(summary))


def _may_see(user, job) -> bool:
    return roles.has_role(user, job.organisation_id, Role.CHIEF_SPECIALIST)


register(JobKind(
    name=STAFF_IMPORT,
    title=lambda job: _("Импорт штата из файла «%(name)s»") % {"name": job.params.get("filename", "")},
    run=_run,
    may_see=_may_see,
    back_url=lambda job: reverse("staff_import"),
))
