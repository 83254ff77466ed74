from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from appraisal import roles
from appraisal.access import organisation_for_role
from appraisal.deadlines import period_deadlines
from appraisal.editions import edition_for_period
from appraisal.models import Period, Role
from appraisal.selectors import schedules_for_user
from appraisal.services.acknowledgement import acknowledgement_board
from appraisal.workdays import WorkingCalendar

STAFF_ROLES = (Role.CHIEF_SPECIALIST, Role.APPOINTING_OFFICIAL, Role.CHAIRMAN)


@login_required
def period_list(request):
    organisation = organisation_for_role(request.user, *STAFF_ROLES)
    schedules = {}
    for schedule in schedules_for_user(request.user).filter(organisation=organisation):
        schedules.setdefault(schedule.period_id, []).append(schedule)
    periods = Period.objects.order_by("-year", "-kind", "-quarter")  # the year, then its quarters IV…I
    rows = [(p, schedules.get(p.pk, [])) for p in periods]
    return render(request, "appraisal/period_list.html",
                  {"organisation": organisation, "rows": rows, "today": timezone.localdate()})


@login_required
def period_detail(request, period_id: int):
    organisation = organisation_for_role(request.user, *STAFF_ROLES)
    period = get_object_or_404(Period, pk=period_id)
    edition = edition_for_period(period, organisation)
    schedules = list(schedules_for_user(request.user).filter(organisation=organisation, period=period))
    is_chief = roles.has_role(request.user, organisation.pk, Role.CHIEF_SPECIALIST)
    return render(request, "appraisal/period_detail.html", {
        "organisation": organisation,
        "period": period,
        "edition": edition,
        "deadlines": period_deadlines(period, edition, WorkingCalendar.load()),
        "schedules": schedules,
        "approved": next((s for s in schedules if s.is_approved), None),
        "today": timezone.localdate(),
        "is_chief": is_chief,
        # R11: the chief specialist sees who was acquainted with the period's results, and when.
        "acknowledgements": acknowledgement_board(request.user, period=period, limit=None) if is_chief else None,
    })
