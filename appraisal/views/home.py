"""Each role lands on its own home page: what that role can act on, what is overdue
(«Просрочено») and, for everything pending, who acts next (issue 11)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from appraisal import roles
from appraisal.access import organisation_for_role
from appraisal.models import Role
from appraisal.next_steps import pending_schedules, periods_overdue_without_schedule
from appraisal.selectors import own_entries, schedules_for_user
from appraisal.services.acknowledgement import acknowledgement_board
from appraisal.services.periods import deadlines_ahead, periods_in_progress


@login_required
def home(request):
    held = roles.all_roles(request.user)
    today = timezone.localdate()
    entries = list(own_entries(request.user))
    # R1: the chairman and the appointing official are not evaluated by the Методика; the
    # «Мои оценки» card is for people the schedules name.
    context = {"today": today, "own_entries": entries, "show_own_entries": bool(entries) or not (
        held & {Role.CHAIRMAN, Role.APPOINTING_OFFICIAL})}
    if Role.CHIEF_SPECIALIST in held:
        organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
        schedules = schedules_for_user(request.user).filter(organisation=organisation)
        pending = pending_schedules(request.user, today, schedules)
        approved = {s.period_id: s for s in schedules.filter(state="approved")}
        by_period = {p.schedule.period_id: p for p in pending}
        context["schedules"] = list(schedules[:12])
        context["current_periods"] = [
            (period, last_day, approved.get(period.pk), by_period.get(period.pk))
            for period, last_day in periods_in_progress(today, organisation)
        ]
        context["overdue_schedules"] = [p for p in pending if p.overdue]
        context["overdue_periods"] = periods_overdue_without_schedule(today, organisation)
        context["deadlines"] = deadlines_ahead(today, organisation)
        context["acknowledgements"] = acknowledgement_board(request.user, today=today)  # R11
        return render(request, "appraisal/home_chief.html", context)
    if Role.APPOINTING_OFFICIAL in held or Role.CHAIRMAN in held:
        pending = pending_schedules(request.user, today, schedules_for_user(request.user))
        context["overdue_schedules"] = [p for p in pending if p.overdue]
        context["awaiting"] = [p for p in pending if not p.overdue and p.user_acts]
        context["in_preparation"] = [p for p in pending if not p.overdue and not p.user_acts]
        return render(request, "appraisal/home_official.html", context)
    return render(request, "appraisal/home_employee.html", context)
