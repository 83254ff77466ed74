from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import get_for_user, organisation_for_role, refusal_text
from appraisal.models import Period, Role
from appraisal.next_steps import late_schedule_notice, role_holders, schedule_next_actor
from appraisal.selectors import schedules_for_user
from appraisal.services import schedules as schedule_services

TRANSITIONS = {
    "submit": lambda schedule, request: schedule_services.submit_schedule(schedule=schedule, by=request.user),
    "approve": lambda schedule, request: schedule_services.approve_schedule(schedule=schedule, by=request.user),
    "return_for_rework": lambda schedule, request: schedule_services.return_schedule(
        schedule=schedule, by=request.user, reason=request.POST.get("reason", "")),
}


@login_required
@require_POST
def schedule_generate(request, period_id: int):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    period = get_object_or_404(Period, pk=period_id)
    try:
        schedule = schedule_services.generate_schedule(organisation=organisation, period=period, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("period_detail", period_id=period.pk)
    messages.success(request, _("График оценки сформирован: %(n)s чел.") % {"n": schedule.entries.count()})
    return redirect("schedule_detail", schedule_id=schedule.pk)


@login_required
def schedule_detail(request, schedule_id: int):
    schedule = get_for_user(schedules_for_user(request.user), pk=schedule_id)
    entries = schedule.entries.select_related("employee", "position", "evaluator").order_by(
        "position__kind", "employee__last_name")
    summary = dict(entries.order_by().values_list("participation").annotate(n=Count("pk")))
    today = timezone.localdate()
    return render(request, "appraisal/schedule_detail.html", {
        "schedule": schedule,
        "next_actor": schedule_next_actor(schedule, role_holders([schedule.organisation_id], today)),  # R10
        "late_notice": late_schedule_notice(schedule, today),  # R4
        "entries": entries,
        "summary": summary,
        "transitions": list(schedule.get_available_user_state_transitions(request.user)),
    })


@login_required
@require_POST
def schedule_transition(request, schedule_id: int, transition: str):
    schedule = get_for_user(schedules_for_user(request.user), pk=schedule_id)
    action = TRANSITIONS.get(transition)
    if action is None:  # no such page, like anything else a user cannot act on (R20)
        raise Http404
    try:
        action(schedule, request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("График: %(state)s.") % {"state": schedule.get_state_display()})
        if transition == "approve" and (notice := late_schedule_notice(schedule, timezone.localdate())):
            messages.warning(request, notice)  # R4: approved after the last day of evaluation
    return redirect("schedule_detail", schedule_id=schedule.pk)
