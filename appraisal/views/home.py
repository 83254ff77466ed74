"""Each role lands on its own home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from appraisal import roles
from appraisal.models import Role, ScheduleState
from appraisal.selectors import own_entries, schedules_for_user
from appraisal.services.periods import deadlines_ahead


@login_required
def home(request):
    held = set().union(*roles.role_map(request.user).values()) if roles.role_map(request.user) else set()
    today = timezone.localdate()
    context = {"today": today, "own_entries": own_entries(request.user)}
    if Role.CHIEF_SPECIALIST in held:
        context["schedules"] = schedules_for_user(request.user)[:12]
        context["deadlines"] = deadlines_ahead(today)
        return render(request, "appraisal/home_chief.html", context)
    if Role.APPOINTING_OFFICIAL in held or Role.CHAIRMAN in held:
        schedules = schedules_for_user(request.user)
        context["awaiting"] = [s for s in schedules if s.state == ScheduleState.ON_APPROVAL]
        context["schedules"] = schedules[:12]
        return render(request, "appraisal/home_official.html", context)
    return render(request, "appraisal/home_employee.html", context)
