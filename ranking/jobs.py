"""Chapter 3's long jobs (appraisal.jobs): form 4 of a whole quarter as one PDF (R3) and the R8
decision report as a PDF. Registered in RankingConfig.ready().

Both read the data when the job runs, through the same R20 selectors as the pages, for the
person who asked; the file is served to that person only while `may_see` still holds.
"""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.jobs import JobKind, JobOutput, register
from appraisal.models import Organisation, Period, Role
from appraisal.pdf_join import DEFAULT_CHUNK, render_in_chunks
from ranking.selectors import is_draft_print, parameters_for_period, sheets_printable_for

QUARTER_FORM4 = "ranking.quarter_form4"
DECISION_REPORT_PDF = "ranking.decision_report_pdf"
# Forms rendered per WeasyPrint call: memory stays at one chunk's layout (appraisal.pdf_join).
FORM4_CHUNK = DEFAULT_CHUNK


# --- form 4 of a quarter ------------------------------------------------------------------

def _quarter_sheets(user, job):
    period_id, sheet_ids = job.params["period_id"], job.params["sheet_ids"]
    return (sheets_printable_for(user).filter(entry__schedule__period_id=period_id, pk__in=sheet_ids)
            .order_by("entry__employee__last_name", "entry__employee__first_name"))


def printable_sheets(user, period: Period):
    """R20: the sheets of the quarter this person may print (the combined PDF's content)."""
    return sheets_printable_for(user).filter(entry__schedule__period=period)


def start_quarter_form4(*, user, period: Period):
    """The job for R3's combined PDF of the quarter; the caller has checked that the user may
    print at least one sheet of it."""
    from appraisal.jobs import start_job

    sheets = list(printable_sheets(user, period).select_related("entry__schedule").order_by("pk"))
    return start_job(kind=QUARTER_FORM4, user=user, organisation=sheets[0].entry.schedule.organisation,
                     params={"period_id": period.pk, "sheet_ids": [s.pk for s in sheets]}, total=len(sheets))


def _run_quarter_form4(job, progress) -> JobOutput:
    from ranking.views import _form4_context, sheet_rows  # the page's own form-4 context

    period = Period.objects.get(pk=job.params["period_id"])
    parameters = parameters_for_period(period, job.organisation_id)
    sheets = list(_quarter_sheets(job.requested_by, job))
    if not sheets:
        raise ValidationError(_("Листы квартала больше недоступны вам для печати (п. 20)."))
    draft = is_draft_print(sheets)  # one mark for the whole file, as when it was one render

    def context_for(chunk):
        return {**_form4_context(sheet_rows(chunk, parameters), period, parameters), "draft": draft}

    # Each sheet numbers its own pages, as when printed from its own page (R3: form 4 per person).
    path = render_in_chunks("pdf/ranking_sheet.html", sheets, context_for, chunk_size=FORM4_CHUNK, separate=True,
                            progress=progress)
    return JobOutput(path=path, filename=f"form4-{period.year}-q{period.quarter}.pdf")


def _may_see_quarter_form4(user, job) -> bool:
    """Every sheet the file holds must still be printable for this person (R20)."""
    ids = set(job.params.get("sheet_ids", []))
    return bool(ids) and _quarter_sheets(user, job).count() == len(ids)


register(JobKind(
    name=QUARTER_FORM4,
    title=lambda job: _("Листы оценки квартала одним PDF (форма 4): %(period)s") % {
        "period": Period.objects.get(pk=job.params["period_id"])},
    run=_run_quarter_form4,
    may_see=_may_see_quarter_form4,
    back_url=lambda job: reverse("home"),
))


# --- the R8 decision report ----------------------------------------------------------------

def start_decision_report_pdf(*, user, organisation: Organisation, period: Period):
    from appraisal.jobs import start_job

    return start_job(kind=DECISION_REPORT_PDF, user=user, organisation=organisation,
                     params={"period_id": period.pk}, total=1)


def _run_decision_report_pdf(job, progress) -> JobOutput:
    from appraisal.pdf import render_pdf
    from ranking import reports

    period = Period.objects.get(pk=job.params["period_id"])
    report = reports.decision_report(organisation=job.organisation, period=period)
    # One table with one signature block: rendered whole (a row is a line, not a page).
    content = render_pdf("pdf/decision_report.html", {
        "report": report, "organisation": job.organisation.name, "form_title": report.title,
        "appendix": _("Отчёт для принятия решений (п. 8)"),
    })
    handle, name = tempfile.mkstemp(prefix="bagalau-", suffix=".pdf")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    progress(1, 1)
    return JobOutput(path=Path(name), filename=f"{report.filename}.pdf")


def _may_see_decision_report(user, job) -> bool:
    return roles.has_role(user, job.organisation_id, Role.CHIEF_SPECIALIST)


register(JobKind(
    name=DECISION_REPORT_PDF,
    title=lambda job: _("Отчёт для принятия решений (п. 8), PDF: %(period)s") % {
        "period": Period.objects.get(pk=job.params["period_id"])},
    run=_run_decision_report_pdf,
    may_see=_may_see_decision_report,
    back_url=lambda job: reverse("ranking:report", args=[job.params["period_id"]]),
))
