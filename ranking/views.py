"""Chapter 3 pages: thin views — fetch for this user (404 otherwise, R20), call one service."""

import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import get_for_user, organisation_for_role
from appraisal.deadlines import evaluation_deadline
from appraisal.editions import edition_for_period
from appraisal.models import Period, PeriodKind, Role
from appraisal.pdf import pdf_response, xlsx_response
from appraisal.scoring import gradation_for
from ranking import jobs as ranking_jobs
from ranking import reports, services
from ranking.models import PARAMETER_CODES
from ranking.selectors import (
    gradation_bands,
    is_draft_print,
    parameters_for_period,
    r30_late,
    r30_missed,
    sheets_of_organisation,
    sheets_printable_for,
    sheets_to_evaluate,
    sheets_visible_to,
    status_of,
)

FIELD = re.compile(r"^s(\d+)-([a-z_]+)$")
ALLOWED_KEYS = set(PARAMETER_CODES) | {f"{code}_comment" for code in PARAMETER_CODES}


def _quarter(period_id: int) -> Period:
    return get_object_or_404(Period, pk=period_id, kind=PeriodKind.QUARTER)


def _raw_from_post(post) -> dict[int, dict[str, str]]:
    raw: dict[int, dict[str, str]] = {}
    for name, value in post.items():
        match = FIELD.match(name)
        if match and match.group(2) in ALLOWED_KEYS:
            raw.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return raw


def _versions_from_post(post) -> dict[int, str]:
    """The `sheet_version` token of each sheet, as the page was rendered (hidden fields)."""
    versions: dict[int, str] = {}
    for name, value in post.items():
        match = FIELD.match(name)
        if match and match.group(2) == "version":
            versions[int(match.group(1))] = value
    return versions


def sheet_rows(sheets, parameters, raw=None):
    """What the page and form 4 show for each sheet: scores, comments, mean and gradation
    recomputed on the server (R31, R7)."""
    rows = []
    for sheet in sheets:
        typed = (raw or {}).get(sheet.pk, {})
        cells = [{
            "spec": spec,
            "value": typed.get(spec.code, "" if getattr(sheet, spec.code) is None else str(getattr(sheet, spec.code))),
            "comment": typed.get(f"{spec.code}_comment", getattr(sheet, f"{spec.code}_comment")),
        } for spec in parameters]
        score = services.sheet_score(sheet, parameters)
        gradation = gradation_for(score) if score is not None else None
        rows.append({
            "sheet": sheet, "employee": sheet.entry.employee, "cells": cells, "score": score,
            "gradation": gradation.label if gradation else "", "gradation_code": gradation.value if gradation else "",
        })
    return rows


@login_required
def evaluate(request, period_id: int):
    """R29, R31, R32: all the evaluator's sheets of the quarter on one page, side by side."""
    period = _quarter(period_id)
    sheets = list(sheets_to_evaluate(request.user, period))
    if not sheets:
        raise Http404
    organisation_id = sheets[0].entry.schedule.organisation_id  # an evaluator's sheets are of her body
    raw, status, to_lock = None, 200, 0
    versions: dict[int, str] = {}
    if request.method == "POST":
        raw = _raw_from_post(request.POST)
        versions = _versions_from_post(request.POST)
        # a send locks the sheets: the «Отправить» button asks first, «confirm» sends
        confirmed = "confirm" in request.POST
        submit = "submit" in request.POST or confirmed
        try:
            sent = services.save_ranking(sheets=sheets, raw=raw, by=request.user, submit=submit, versions=versions,
                                         dry_run=submit and not confirmed)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            status = 400
            sheets = list(sheets_to_evaluate(request.user, period))  # as saved: nothing changed
        else:
            if submit and not confirmed:
                to_lock = len(sent)
            elif submit:
                messages.success(request, _("Оценочные листы отправлены: %(n)s.") % {"n": len(sent)})
            else:
                messages.success(request, _("Черновик сохранён."))
            if not to_lock:
                url = reverse("ranking:evaluate", args=[period.pk])
                sort = request.POST.get("sort")
                return redirect(f"{url}?sort={sort}" if sort in ("name", "mean") else url)
    parameters = parameters_for_period(period, organisation_id)
    rows = sheet_rows(sheets, parameters, raw)
    for row in rows:
        # a refused page keeps the token it was rendered with: the typed values are still a
        # copy of that version, and saving them needs a fresh page if the sheet has changed
        row["version"] = versions.get(row["sheet"].pk) or services.sheet_version(row["sheet"])
    sort = request.GET.get("sort", "name")
    if sort == "mean":
        rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or Decimal(0)), r["employee"].full_name))
    deadline = evaluation_deadline(period, edition_for_period(period, organisation_id))
    return render(request, "ranking/evaluate.html", {
        "period": period,
        "rows": rows,
        "parameters": parameters,
        "weights_unconfirmed": not all(p.confirmed for p in parameters),
        "bands": gradation_bands(),
        "deadline": deadline,
        "overdue": timezone.localdate() > deadline,
        "has_drafts": any(not r["sheet"].is_submitted for r in rows),
        "sort": sort,
        "points": range(0, 6),
        "to_lock": to_lock,
    }, status=status)


@login_required
def sheet_detail(request, sheet_id: int):
    sheet = get_for_user(sheets_visible_to(request.user), pk=sheet_id)
    parameters = parameters_for_period(sheet.entry.schedule.period, sheet.entry.schedule.organisation_id)
    return render(request, "ranking/sheet_detail.html", {
        "sheet": sheet, "row": sheet_rows([sheet], parameters)[0], "parameters": parameters,
    })


def _form4_context(rows, period, parameters):
    sheets = [r["sheet"] for r in rows]
    return {
        "draft": is_draft_print(sheets),
        "rows": rows, "period": period, "parameters": parameters,
        "organisation": sheets[0].entry.schedule.organisation.name if sheets else "",
        "weights_unconfirmed": not all(p.confirmed for p in parameters),
        "form_title": _("Оценочный лист служащего корпуса «Б» (метод ранжирования)"),
        "appendix": _("Форма 4 (приложение 4 к Типовой методике)"),
    }


@login_required
def sheet_pdf(request, sheet_id: int):
    """R3: form 4 of one sheet, for the paper fallback."""
    sheet = get_for_user(sheets_printable_for(request.user), pk=sheet_id)
    period = sheet.entry.schedule.period
    parameters = parameters_for_period(period, sheet.entry.schedule.organisation_id)
    context = _form4_context(sheet_rows([sheet], parameters), period, parameters)
    return pdf_response("pdf/ranking_sheet.html", context, f"form4-{sheet.pk}.pdf", request)


@login_required
def quarter_pdf(request, period_id: int):
    """R3: every sheet of the quarter the user may see, one form 4 per page — made in the
    background (ranking.jobs) on POST, then offered on the job's page. A 404 on GET and POST
    alike for someone who may print no sheet of the quarter (R20)."""
    period = _quarter(period_id)
    if not ranking_jobs.printable_sheets(request.user, period).exists():
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = ranking_jobs.start_quarter_form4(user=request.user, period=period)
    return redirect("job_detail", job.pk)


@login_required
def overview(request, period_id: int):
    """The chief specialist's view of the quarter: submitted / pending / overdue (R4)."""
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    period = _quarter(period_id)
    edition = edition_for_period(period, organisation)
    deadline = evaluation_deadline(period, edition)
    today = timezone.localdate()
    parameters = parameters_for_period(period, organisation)
    rows = sheet_rows(sheets_of_organisation(organisation.pk, period), parameters)
    r30_day = services.r30_notice_day(period, edition)
    counts = {"submitted": 0, "pending": 0, "overdue": 0, "r30_missed": 0, "r30_late": 0}
    for row in rows:
        row["status"] = status_of(row["sheet"], deadline, today)
        counts[row["status"]] += 1
        row["r30_missed"] = r30_missed(row["sheet"], r30_day, today)
        counts["r30_missed"] += row["r30_missed"]
        row["r30_late"] = r30_late(row["sheet"], r30_day)
        counts["r30_late"] += row["r30_late"]
    return render(request, "ranking/overview.html", {
        "period": period, "organisation": organisation, "rows": rows, "counts": counts, "deadline": deadline,
        "r30_day": r30_day, "total": len(rows), "today": today,
    })


@login_required
def decision_report(request, period_id: int):
    """R8: each employee's result and gradation for the period, for the chief specialist."""
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    period = get_object_or_404(Period, pk=period_id)
    if request.method == "POST" and request.POST.get("format") == "pdf":
        # the PDF is made in the background (ranking.jobs) and offered on the job's page
        job = ranking_jobs.start_decision_report_pdf(user=request.user, organisation=organisation, period=period)
        return redirect("job_detail", job.pk)
    report = reports.decision_report(organisation=organisation, period=period)
    fmt = request.GET.get("format", "html")
    if fmt == "xlsx":
        return xlsx_response(reports.report_xlsx(report), f"{report.filename}.xlsx")
    return render(request, "ranking/report.html", {"report": report, "period": period})
