"""Thin views of the 360 survey: authorise by fetching for this user (404 otherwise), call
one service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import get_for_user, organisation_for_role, refusal_text
from appraisal.languages import localized
from appraisal.models import Employee, Period, PeriodKind, Role, Schedule, ScheduleState
from appraisal.pdf import pdf_response, xlsx_response
from survey360 import circles, reports, selectors, services
from survey360.models import Campaign, CampaignState, Competency, FeedbackMeeting, Respondent, Subject
from survey360.svg import report_chart

TRANSITIONS = {
    "open": services.open_campaign,
    "close": services.close_campaign,
    "publish": services.publish_reports,
}


def reminder_words(days: list[int]) -> str:
    """«за 5 и 2 рабочих дня до срока»: the reminder days in words, not «5,2»."""
    if not days:
        return _("не отправляются")
    numbers = [str(d) for d in days]
    listed = numbers[0] if len(numbers) == 1 else _("%(first)s и %(last)s") % {
        "first": ", ".join(numbers[:-1]), "last": numbers[-1]}
    last = days[-1]
    if last % 10 == 1 and last % 100 != 11:
        return _("за %(days)s рабочий день до срока") % {"days": listed}
    if last % 10 in (2, 3, 4) and last % 100 not in (12, 13, 14):
        return _("за %(days)s рабочих дня до срока") % {"days": listed}
    return _("за %(days)s рабочих дней до срока") % {"days": listed}


def _closed_reason(subject: Subject) -> str:
    """R4, R33: why the questionnaire no longer takes answers (shown instead of the form)."""
    try:
        services.check_open(subject.campaign)
    except ValidationError as exc:
        return refusal_text(exc)
    return ""


def _posted_answers(post) -> dict[str, str]:
    """{statement id: value} from the questionnaire's fields `s<statement id>`."""
    return {k.removeprefix("s"): v for k, v in post.items() if k.startswith("s") and k[1:].isdigit()}


def _questionnaire_context(request, subject: Subject, *, self_assessment: bool, answered: bool) -> dict:
    """The questionnaire page, for a respondent and for the self-assessment alike."""
    competencies = Competency.objects.filter(questionnaire=subject.questionnaire_id).prefetch_related("statements")
    return {
        "subject": subject, "rows": [(c, list(c.statements.all())) for c in competencies], "self": self_assessment,
        "answered": answered, "posted": request.POST, "closed_reason": _closed_reason(subject),
        "scale": range(subject.questionnaire.scale_min, subject.questionnaire.scale_max + 1),
    }


# --- respondent pages --------------------------------------------------------------------

@login_required
def tasks(request):
    """R33: one page listing whom the user still has to assess, and their self-assessment."""
    return render(request, "survey360/tasks.html", {
        "tasks": list(selectors.respondent_tasks(request.user)),
        "self_tasks": list(selectors.self_tasks(request.user)),
    })


@login_required
@transaction.non_atomic_requests
def assess(request, subject_id: int):
    rows = Respondent.objects.filter(employee__user=request.user, subject__campaign__state=CampaignState.COLLECTING)
    respondent = get_for_user(rows.select_related("subject__employee", "subject__campaign__period",
                                                  "subject__questionnaire"), subject_id=subject_id)
    subject = respondent.subject
    if request.method == "POST":
        values = _posted_answers(request.POST)
        try:
            services.submit_answers(subject=subject, by=request.user, values=values,
                                    comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Спасибо: анкета принята анонимно."))
            return redirect("survey360:tasks")
    return render(request, "survey360/questionnaire.html",
                  _questionnaire_context(request, subject, self_assessment=False, answered=respondent.answered))


@login_required
def self_assess(request, subject_id: int):
    subject = get_for_user(
        Subject.objects.filter(employee__user=request.user, campaign__state=CampaignState.COLLECTING)
        .select_related("campaign__period", "questionnaire", "employee"), pk=subject_id)
    if request.method == "POST":
        values = _posted_answers(request.POST)
        try:
            services.submit_self_assessment(subject=subject, by=request.user, values=values)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Самооценка сохранена."))
            return redirect("survey360:tasks")
    return render(request, "survey360/questionnaire.html",
                  _questionnaire_context(request, subject, self_assessment=True, answered=subject.self_submitted))


# --- chief specialist ----------------------------------------------------------------------

@login_required
def campaign_list(request):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    if request.method == "POST":
        period = get_for_user(Period.objects.filter(kind=PeriodKind.YEAR), pk=request.POST.get("period") or 0)
        try:
            campaign = services.create_campaign(organisation=organisation, period=period, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal_text(exc))
        else:
            return redirect("survey360:campaign", campaign_id=campaign.pk)
    taken = Campaign.objects.filter(organisation=organisation).values("period_id")
    periods = Period.objects.filter(
        pk__in=Schedule.objects.filter(organisation=organisation, state=ScheduleState.APPROVED, period__kind="year")
        .values("period_id")).exclude(pk__in=taken).order_by("-year")
    return render(request, "survey360/campaign_list.html", {
        "campaigns": selectors.campaigns_for_chief(request.user), "periods": periods,
    })


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = get_for_user(selectors.campaigns_for_chief(request.user), pk=campaign_id)
    subjects = list(campaign.subjects.select_related("employee", "entry__position", "questionnaire", "campaign")
                    .prefetch_related("respondents__employee"))
    context = {
        "campaign": campaign,
        "subjects": subjects,
        "transitions": list(campaign.get_available_user_state_transitions(request.user)),
        "problems": services.circle_problems(campaign) if campaign.state == CampaignState.DRAFT else [],
        # R35.1: who the structure names but who cannot answer during the collection window, and why.
        "left_out": circles.left_out(campaign, subjects) if campaign.state != CampaignState.REPORTED else {},
        "reminders": reminder_words(campaign.reminder_days),
        "not_answered": selectors.not_answered(campaign) if campaign.state == CampaignState.COLLECTING else [],
        "self_pending": list(selectors.self_not_submitted(campaign)) if campaign.state == CampaignState.COLLECTING
        else [],
        "employees": Employee.objects.filter(organisation=campaign.organisation_id).only(
            "pk", "last_name", "first_name", "middle_name"),
    }
    if campaign.results_visible:
        context["reports"] = selectors.build_reports(subjects)
    return render(request, "survey360/campaign_detail.html", context)


@login_required
@require_POST
def campaign_transition(request, campaign_id: int, transition: str):
    campaign = get_for_user(selectors.campaigns_for_chief(request.user), pk=campaign_id)
    action = TRANSITIONS.get(transition)
    if action is None:
        raise Http404
    try:
        action(campaign=campaign, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Опрос 360: %(s)s.") % {"s": campaign.get_state_display()})
    return redirect("survey360:campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def circle_add(request):
    subject = get_for_user(Subject.objects.filter(campaign__in=selectors.campaigns_for_chief(request.user))
                           .select_related("campaign", "employee"), pk=request.POST.get("subject") or 0)
    employee = get_for_user(Employee.objects.filter(organisation=subject.campaign.organisation_id),
                            pk=request.POST.get("employee") or 0)
    try:
        services.add_respondent(subject=subject, employee=employee, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    return redirect("survey360:campaign", campaign_id=subject.campaign_id)


@login_required
@require_POST
def circle_remove(request, respondent_id):
    respondent = get_for_user(
        Respondent.objects.filter(subject__campaign__in=selectors.campaigns_for_chief(request.user))
        .select_related("subject__campaign"), pk=respondent_id)
    campaign_id = respondent.subject.campaign_id
    try:
        services.remove_respondent(respondent=respondent, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    return redirect("survey360:campaign", campaign_id=campaign_id)


# --- reports -------------------------------------------------------------------------------

def _report_context(request, subject_id: int) -> dict:
    subject = get_for_user(selectors.subjects_visible_to(request.user), pk=subject_id)
    report = selectors.report_for(subject)
    return {
        "subject": subject, "report": report, "chart": report_chart(report, subject.questionnaire.scale_max),
        "organisation": subject.campaign.organisation, "period": subject.campaign.period,
        "is_chief": subject.campaign in selectors.campaigns_for_chief(request.user),
    }


@login_required
def report(request, subject_id: int):
    return render(request, "survey360/report.html", _report_context(request, subject_id))


@login_required
def report_pdf(request, subject_id: int):
    context = _report_context(request, subject_id)
    if not context["report"].ready:
        raise Http404
    context.update(form_title=_("Индивидуальный отчёт по результатам оценки методом 360"),
                   appendix=_("Приложение 7"))
    return pdf_response("pdf/survey360_report.html", context, f"360-report-{subject_id}.pdf", request)


def _chief_subject(request, subject_id: int) -> Subject:
    return get_for_user(
        Subject.objects.filter(campaign__in=selectors.campaigns_for_chief(request.user))
        .select_related("campaign__period", "campaign__organisation", "employee", "questionnaire", "entry__evaluator"),
        pk=subject_id)


@login_required
def feedback(request, subject_id: int):
    subject = _chief_subject(request, subject_id)
    meeting = FeedbackMeeting.objects.filter(subject=subject).first()
    report = selectors.report_for(subject)
    if request.method == "POST":
        try:
            held_on = dt.date.fromisoformat(request.POST.get("held_on", ""))
        except ValueError:
            held_on = None
        try:
            services.record_feedback(
                subject=subject, by=request.user, held_on=held_on,
                **{k: request.POST.get(k, "") for k in ("participants", "strengths", "to_develop", "training_topics")})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Встреча обратной связи записана."))
            return redirect("survey360:feedback", subject_id=subject.pk)
    initial = {
        "participants": f"{subject.employee.full_name}; {subject.entry.evaluator or ''}".strip("; "),
        "to_develop": ", ".join(localized(line.competency, "name") for line in report.least) if report.ready else "",
    }
    return render(request, "survey360/feedback.html", {
        "subject": subject, "meeting": meeting, "report": report, "initial": initial, "posted": request.POST,
    })


@login_required
def feedback_pdf(request, subject_id: int):
    subject = _chief_subject(request, subject_id)
    meeting = FeedbackMeeting.objects.filter(subject=subject).first()
    if meeting is None:
        raise Http404
    return pdf_response("pdf/survey360_feedback.html", {
        "subject": subject, "meeting": meeting, "organisation": subject.campaign.organisation,
        "period": subject.campaign.period, "form_title": _("Обратная связь по результатам оценки методом 360"),
        "appendix": _("Приложение 8"),
    }, f"360-feedback-{subject_id}.pdf", request)


def _training(request, campaign_id: int):
    campaign = get_for_user(selectors.campaigns_for_chief(request.user), pk=campaign_id)
    if not campaign.results_visible:
        raise Http404
    return campaign, selectors.training_needs(campaign)


@login_required
def training(request, campaign_id: int):
    campaign, needs = _training(request, campaign_id)
    return render(request, "survey360/training.html", {"campaign": campaign, "needs": needs})


@login_required
def training_pdf(request, campaign_id: int):
    campaign, needs = _training(request, campaign_id)
    return pdf_response("pdf/survey360_training.html", {
        "campaign": campaign, "needs": needs, "organisation": campaign.organisation, "period": campaign.period,
        "form_title": _("Потребности в обучении по результатам оценки методом 360"), "appendix": _("п. 9, п. 36"),
    }, f"360-training-{campaign.period.year}.pdf", request)


@login_required
def training_xlsx(request, campaign_id: int):
    campaign, needs = _training(request, campaign_id)
    return xlsx_response(reports.training_needs_xlsx(campaign, needs), f"360-training-{campaign.period.year}.xlsx")
