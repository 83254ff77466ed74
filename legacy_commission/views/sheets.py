"""Pages of chapter 6, the score sheet (appendix 10) and its review. Thin: fetch for this
user (404 on GET and POST alike for anyone else, R20), call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import get_for_user, refusal_text
from appraisal.pdf import pdf_response
from appraisal.uploads import private_file_response
from legacy_commission import selectors
from legacy_commission.forms import ReturnForm
from legacy_commission.models import LegacySheetState
from legacy_commission.models.plan import is_chief, is_higher_supervisor, is_supervisor
from legacy_commission.services import sheets as services
from legacy_commission.views.plans import get_plan, get_sheet, pdf_common


@login_required
@require_POST
def sheet_open(request, legacy_plan_id: int):
    plan = get_plan(request, legacy_plan_id)
    try:
        sheet = services.open_sheet(plan=plan, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)
    return redirect("legacy_commission:sheet_detail", legacy_sheet_id=sheet.pk)


@login_required
def sheet_detail(request, legacy_sheet_id: int):
    sheet = get_sheet(request, legacy_sheet_id)
    plan, user = sheet.plan, request.user
    evaluator = is_supervisor(plan, user) or is_higher_supervisor(plan, user) or is_chief(plan, user)
    return render(request, "legacy_commission/sheet_detail.html", {
        "sheet": sheet, "plan": plan, "entry": plan.entry, "period": plan.entry.schedule.period,
        "lines": list(sheet.lines.all()),
        "can_fill": sheet.is_editable and is_supervisor(plan, user),
        # A return needs its R51 form; a reopening happens only with an appeal's outcome (R67).
        "transitions": [t for t in sheet.get_available_user_state_transitions(user)
                        if t.name not in ("return_for_rework", "reopen")],
        "can_return": any(t.name == "return_for_rework" for t in sheet.get_available_user_state_transitions(user)),
        "return_form": ReturnForm(),
        "rounds": list(sheet.rounds.select_related("sent_by__employee", "decided_by__employee")) if evaluator else [],
        "deadlines": selectors.deadlines(plan, timezone.localdate()) if evaluator else [],
    })


@login_required
@require_POST
def line_save(request, legacy_sheet_id: int, legacy_line_id: int):
    sheet = get_sheet(request, legacy_sheet_id)
    line = get_for_user(sheet.lines.all(), pk=legacy_line_id)
    try:
        services.save_line(line=line, by=request.user, achieved=request.POST.get("achieved", ""),
                           evidence=request.POST.get("evidence", ""), uploaded=request.FILES.get("file"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("КЦИ № %(n)s: отметка сохранена.") % {"n": line.kci.number})
    return redirect("legacy_commission:sheet_detail", legacy_sheet_id=sheet.pk)


@login_required
def evidence_file(request, legacy_sheet_id: int, legacy_file_id: int):
    sheet = get_sheet(request, legacy_sheet_id)
    evidence = get_for_user(selectors.evidence_for_user(request.user, sheet), pk=legacy_file_id)
    if request.method != "GET":
        raise Http404
    return private_file_response(evidence.file, download_name=evidence.original_name)


@login_required
@require_POST
def evidence_delete(request, legacy_sheet_id: int, legacy_file_id: int):
    sheet = get_sheet(request, legacy_sheet_id)
    evidence = get_for_user(selectors.evidence_for_user(request.user, sheet), pk=legacy_file_id)
    try:
        services.delete_evidence(evidence=evidence, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Файл удалён."))
    return redirect("legacy_commission:sheet_detail", legacy_sheet_id=sheet.pk)


@login_required
@require_POST
def sheet_transition(request, legacy_sheet_id: int, name: str):
    sheet = get_sheet(request, legacy_sheet_id)
    try:
        if name == "send":
            sheet = services.send_sheet(sheet=sheet, by=request.user)
        elif name == "sign":
            sheet = services.sign_sheet(sheet=sheet, by=request.user)
        elif name == "return_for_rework":
            sheet = services.return_sheet(sheet=sheet, by=request.user,
                                          reason_kind=request.POST.get("reason_kind", ""),
                                          reason=request.POST.get("reason", ""))
        elif name == "submit_to_commission":
            sheet = services.submit_to_commission(sheet=sheet, by=request.user)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Лист оценки: %(s)s.") % {"s": sheet.get_state_display()})
    return redirect("legacy_commission:sheet_detail", legacy_sheet_id=sheet.pk)


@login_required
def sheet_pdf(request, legacy_sheet_id: int):
    """Appendix 10. Before the higher supervisor signs it is a draft: «ПРОЕКТ» across each
    page for the evaluators; the evaluated person never reaches it (sheets_for_user)."""
    sheet = get_sheet(request, legacy_sheet_id)
    entry = sheet.plan.entry
    context = {**pdf_common(entry), "sheet": sheet, "plan": sheet.plan, "lines": list(sheet.lines.all()),
               "draft": sheet.is_draft, "gradation": sheet.gradation,
               "submitted": sheet.state == LegacySheetState.SUBMITTED,
               "appendix": _("Приложение 10 к Типовой методике"), "form_title": _("Лист оценки по КЦИ")}
    return pdf_response("pdf/legacy_sheet.html", context, f"legacy-sheet-{sheet.pk}.pdf", request)
