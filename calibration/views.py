"""Pages of chapter 5. Thin: fetch the case for this user (404 otherwise, R20), call one
service, show its refusal in the rule's words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import get_for_user, refusal_text
from appraisal.models import Employee
from appraisal.pdf import pdf_response
from appraisal.selectors import results_visible_to
from calibration import selectors
from calibration.forms import (
    AppealDecisionForm,
    AppealForm,
    ArgumentForm,
    CompositionForm,
    FeedbackForm,
    SignForm,
    VoteForm,
)
from calibration.models import (
    Appeal,
    CalibrationCase,
    CaseState,
    Reevaluation,
    is_appointing_official,
    is_chief_specialist,
)
from calibration.services import appeals, applications, composition, feedback, session
from calibration.services.composition import composition_deadline_text


@login_required
@require_POST
def apply(request, result_id: int):
    """R12: the form of the result page's panel posts here."""
    result = get_for_user(results_visible_to(request.user).filter(entry__employee__user=request.user), pk=result_id)
    try:
        case = applications.file_application(result=result, by=request.user, text=request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(_result_page(result.pk))
    messages.success(request, _("Заявление о калибровочной сессии подано (п. 12)."))
    return redirect("calibration:case", case_id=case.pk)


def _result_page(result_id: int) -> str:
    return reverse("result_detail", kwargs={"result_id": result_id})


@login_required
def case_list(request):
    cases = selectors.cases_visible_to(request.user).order_by("-filed_at")
    return render(request, "calibration/case_list.html", {"cases": cases, "today": timezone.localdate()})


def _case(request, case_id: int) -> CalibrationCase:
    return get_for_user(selectors.cases_visible_to(request.user), pk=case_id)


@login_required
def case_detail(request, case_id: int):
    case = _case(request, case_id)
    user = request.user
    shows_result = selectors.shows_result(case, user)
    participant = selectors.participant_of(case, user)
    participants = list(case.participants.select_related("employee", "vote"))
    entry = case.result.entry
    is_official = is_appointing_official(case, user)
    is_chief = is_chief_specialist(case, user)
    appeal = Appeal.objects.filter(case=case).first()
    reevaluation = Reevaluation.objects.filter(appeal=appeal).first() if appeal else None
    context = {
        "case": case, "entry": entry, "result": case.result, "shows_result": shows_result,
        "participant": participant, "participants": participants,
        "protocol_visible": selectors.protocol_visible(case, user),
        "tally": session.tally(case) if shows_result else None,
        "is_official": is_official, "is_chief": is_chief,
        "is_evaluator": feedback.is_evaluator(case, user),
        "composition_deadline": composition_deadline_text(case),
        "today": timezone.localdate(),
        "appeal": appeal, "reevaluation": reevaluation,
        "reevaluation_sent": appeals.reevaluated_sheet_sent(reevaluation) if reevaluation else False,
        "feedback": getattr(case, "feedback", None),
    }
    if is_official and case.state == CaseState.FILED:
        seated = [e.pk for e in (entry.evaluator, entry.employee) if e]
        context["composition_form"] = CompositionForm(organisation_id=entry.schedule.organisation_id,
                                                      exclude_ids=seated)
    if participant and case.state == CaseState.HELD:
        context["vote_form"] = VoteForm()
        context["argument_form"] = ArgumentForm(initial={"text": case.evaluator_argument})
    if is_chief and case.state == CaseState.HELD:
        context["sign_form"] = SignForm(initial={"signed_on": timezone.localdate()})
    if context["is_evaluator"] and case.state in (CaseState.PROTOCOL_SIGNED, CaseState.POSTED):
        meeting = context["feedback"]
        context["feedback_form"] = FeedbackForm(initial={
            "held_on": meeting.held_on if meeting else timezone.localdate(),
            "achievements": meeting.achievements if meeting else "", "skills": meeting.skills if meeting else "",
            "potential": meeting.potential if meeting else ""})
    if is_chief and case.state == CaseState.POSTED:
        context["appeal_form"] = AppealForm() if appeal is None else None
        context["decision_form"] = AppealDecisionForm() if appeal and appeal.outcome == "pending" else None
    return render(request, "calibration/case_detail.html", context)


def _members(request, case: CalibrationCase) -> list[Employee]:
    ids = request.POST.getlist("members")
    try:
        wanted = {int(i) for i in ids}
    except ValueError:
        raise ValidationError(_("п. 38: участник не найден.")) from None
    found = list(Employee.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError(_("п. 38: участник не найден."))
    return found


ACTIONS = {
    "compose": lambda case, request: composition.approve_composition(
        case=case, by=request.user, session_date=request.POST.get("session_date", ""),
        session_time=request.POST.get("session_time", ""), place=request.POST.get("place", ""),
        members=_members(request, case)),
    "open": lambda case, request: session.open_session(case=case, by=request.user),
    "argument": lambda case, request: session.save_argument(case=case, by=request.user,
                                                            text=request.POST.get("text", "")),
    "vote": lambda case, request: session.cast_vote(
        case=case, by=request.user, choice=request.POST.get("choice", ""), score=request.POST.get("score", ""),
        position=request.POST.get("position", "")),
    "sign": lambda case, request: session.sign_protocol(case=case, by=request.user,
                                                        signed_on=request.POST.get("signed_on", "")),
    "post": lambda case, request: session.post_protocol(case=case, by=request.user),
    "feedback": lambda case, request: feedback.record_feedback(
        case=case, by=request.user, held_on=request.POST.get("held_on", ""),
        achievements=request.POST.get("achievements", ""), skills=request.POST.get("skills", ""),
        potential=request.POST.get("potential", "")),
    "appeal": lambda case, request: appeals.record_appeal(
        case=case, by=request.user, filed_on=request.POST.get("filed_on", ""), body=request.POST.get("body", "")),
    "appeal_decide": lambda case, request: appeals.decide_appeal(
        appeal=_appeal(case), by=request.user, outcome=request.POST.get("outcome", ""),
        decided_on=request.POST.get("decided_on", ""), reference=request.POST.get("reference", "")),
    "reevaluation_complete": lambda case, request: appeals.complete_reevaluation(
        reevaluation=_reevaluation(case), by=request.user),
}


def _appeal(case: CalibrationCase) -> Appeal:
    appeal = Appeal.objects.filter(case=case).first()
    if appeal is None:
        raise ValidationError(_("п. 13: обжалование не зафиксировано."))
    return appeal


def _reevaluation(case: CalibrationCase) -> Reevaluation:
    reevaluation = Reevaluation.objects.filter(appeal__case=case).first()
    if reevaluation is None:
        raise ValidationError(_("п. 13: повторная оценка не назначалась."))
    return reevaluation


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    case = _case(request, case_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        handler(case, request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Сохранено."))
    return redirect("calibration:case", case_id=case.pk)


def _evaluative_case(request, case_id: int) -> CalibrationCase:
    case = _case(request, case_id)
    if not selectors.shows_result(case, request.user):
        raise Http404
    return case


@login_required
def protocol_pdf(request, case_id: int):
    """R41.2: the protocol, once drawn up (to the person once posted)."""
    case = _case(request, case_id)
    if not selectors.protocol_visible(case, request.user) or case.protocol_signed_on is None:
        raise Http404
    participants = list(case.participants.select_related("employee", "vote"))
    return pdf_response("pdf/calibration_protocol.html", {
        "case": case, "entry": case.result.entry, "result": case.result, "participants": participants,
        "tally": session.tally(case), "organisation": case.result.entry.schedule.organisation,
    }, f"calibration-protocol-{case.pk}.pdf", request)


@login_required
def feedback_pdf(request, case_id: int):
    """R42: the feedback meeting, printable."""
    case = _evaluative_case(request, case_id)
    meeting = getattr(case, "feedback", None)
    if meeting is None:
        raise Http404
    return pdf_response("pdf/calibration_feedback.html", {"case": case, "entry": case.result.entry,
                                                          "result": case.result, "meeting": meeting,
                                                          "organisation": case.result.entry.schedule.organisation},
                        f"calibration-feedback-{case.pk}.pdf", request)


@login_required
def case_file(request, case_id: int):
    """R19.4: the case file the chief specialist assembles for the participants: the result,
    its sheet and PDF (the chapters' own pages, which ask the same R20 selector), the KCI
    evidence, the application."""
    case = _evaluative_case(request, case_id)
    return render(request, "calibration/case_file.html", {
        "case": case, "entry": case.result.entry, "result": case.result,
        "links": sheet_links(case.result.entry),
    })


def sheet_links(entry) -> list[tuple[str, str]]:
    """Links to the chapter's sheet and its PDF, by URL name: the calibration app does not
    import the chapters."""
    links = []
    ranking_sheet = getattr(entry, "ranking_sheet", None)
    if ranking_sheet is not None:
        links += [(_("Оценочный лист (ранжирование)"), reverse("ranking:sheet", args=[ranking_sheet.pk])),
                  (_("Форма 4 (PDF)"), reverse("ranking:sheet_pdf", args=[ranking_sheet.pk]))]
    plan = getattr(entry, "kci_plan", None)
    if plan is not None:
        links.append((_("Индивидуальный план (КЦИ), форма 1 (PDF)"), reverse("kci:plan_pdf", args=[plan.pk])))
        sheet = getattr(plan, "sheet", None)
        if sheet is not None:
            links += [(_("Оценочный лист КЦИ с подтверждениями"), reverse("kci:sheet_detail", args=[sheet.pk])),
                      (_("Форма 2 (PDF)"), reverse("kci:sheet_pdf", args=[sheet.pk]))]
            for line in sheet.lines.select_related("kci").order_by("kci__number"):
                if line.evidence:
                    links.append((_("Подтверждение КЦИ № %(n)s") % {"n": line.kci.number},
                                  reverse("kci:line_evidence", args=[sheet.pk, line.pk])))
    subject = getattr(entry, "survey360_subject", None)
    if subject is not None:
        links += [(_("Отчёт 360"), reverse("survey360:report", args=[subject.pk])),
                  (_("Отчёт 360 (PDF)"), reverse("survey360:report_pdf", args=[subject.pk]))]
    return links


