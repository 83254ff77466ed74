"""Each role lands on its own home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from appraisal import roles
from appraisal.models import Role, ScheduleState
from appraisal.selectors import own_entries, schedules_for_user
from appraisal.services.acknowledgement import acknowledgement_board
from appraisal.services.periods import deadlines_ahead, periods_in_progress


@login_required
def home(request):
    held = roles.all_roles(request.user)
    today = timezone.localdate()
    context = {"today": today, "own_entries": own_entries(request.user)}
    if Role.CHIEF_SPECIALIST in held:
        schedules = list(schedules_for_user(request.user))
        by_period = {}
        for schedule in schedules:  # the approved one wins over a draft of the same period
            if schedule.period_id not in by_period or schedule.is_approved:
                by_period[schedule.period_id] = schedule
        context["schedules"] = schedules[:12]
        context["current_periods"] = [
            (period, last_day, by_period.get(period.pk)) for period, last_day in periods_in_progress(today)
        ]
        context["deadlines"] = deadlines_ahead(today)
        context["acknowledgements"] = acknowledgement_board(request.user, today=today)  # R11
        return render(request, "appraisal/home_chief.html", context)
    if Role.APPOINTING_OFFICIAL in held or Role.CHAIRMAN in held:
        schedules = schedules_for_user(request.user)
        context["awaiting"] = [s for s in schedules if s.state == ScheduleState.ON_APPROVAL]
        context["schedules"] = schedules[:12]
        return render(request, "appraisal/home_official.html", context)
    return render(request, "appraisal/home_employee.html", context)
