"""Reads shared by the services and views: querysets with their joins already in place.

Every function that returns something a user will see takes that user: what they may not
see is simply not in the queryset, so a view that fetches with get_object_or_404 turns it
into a 404 on GET and POST alike (R20).
"""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from appraisal import hooks, roles
from appraisal.models import (
    Absence,
    Appointment,
    Employee,
    Organisation,
    Period,
    PeriodResult,
    Role,
    Schedule,
    ScheduleEntry,
)
from appraisal.request_memo import memoised


def first_rows(queryset: QuerySet, n: int) -> QuerySet:
    """The first `n` rows of `queryset` in its order, still a queryset (issue 12).

    `queryset[:n]` puts a LIMIT on the whole query, joins of select_related included, and
    under a LIMIT PostgreSQL weighs fast-start plans for every join order: the home page's
    calibration panel took 5.3 ms to plan with `[:20]` and 1.2 ms without, for 0.2 ms of
    execution. Here only the keys are limited, in a subquery with just the joins that the
    filters and the order need, and the rows are read by key, in the same order."""
    return queryset.filter(pk__in=queryset.values("pk")[:n])


def appointments_overlapping(organisation: Organisation, first: dt.date, last: dt.date) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(position__organisation=organisation, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("position", "employee")
    )


def employees_with_facts(organisation: Organisation, period: Period) -> QuerySet[Employee]:
    """Employees who held a position in the organisation during the period, with all their
    appointments and absences prefetched into `prefetched_appointments` and
    `prefetched_absences` (three queries whatever the head count)."""
    overlapping = appointments_overlapping(organisation, period.start, period.end)
    return (
        Employee.objects.filter(pk__in=overlapping.values("employee_id"))
        .prefetch_related(
            # to_attr lists: Django copies a prefetched queryset on every .all(), which was
            # most of the cost of a 10,000-person schedule.
            Prefetch("appointments", queryset=Appointment.objects.select_related("position").order_by("start"),
                     to_attr="prefetched_appointments"),
            Prefetch("absences", queryset=Absence.objects.order_by("start"), to_attr="prefetched_absences"),
        )
        .order_by("last_name", "first_name", "middle_name")
    )


def holders_by_position(appointments: list[Appointment], day: dt.date) -> dict[int, Employee]:
    """Who holds each position on `day`; for a position vacant that day, its latest holder
    before it (the supervisor who saw the work)."""
    holders: dict[int, Appointment] = {}
    for appointment in sorted(appointments, key=lambda a: a.start):
        if appointment.start > day:
            continue
        current = holders.get(appointment.position_id)
        if current is None or not current.covers(day) or appointment.covers(day):
            holders[appointment.position_id] = appointment
    return {position_id: a.employee for position_id, a in holders.items()}


def supervisor_of(position, holders: dict[int, Employee]) -> Employee | None:
    """The direct supervisor: whoever holds the position this one reports to."""
    return holders.get(position.reports_to_id) if position.reports_to_id else None


def higher_supervisor_of(position, holders: dict[int, Employee]) -> Employee | None:
    """R2.1: the higher supervisor, whom the direct supervisor reports to (the chairman for
    corps-B staff). Derived from the positions like the direct supervisor, never typed."""
    parent = position.reports_to
    return holders.get(parent.reports_to_id) if parent is not None and parent.reports_to_id else None


# --- what a user may see -------------------------------------------------------------

def organisations_administered(user) -> list[int]:
    return roles.organisations_with_role(user, Role.CHIEF_SPECIALIST)


def schedules_for_user(user) -> QuerySet[Schedule]:
    """Schedules are organisational documents: the chief specialist, the appointing
    official and the chairman of the organisation see them."""
    org_ids = roles.organisations_with_role(user, Role.CHIEF_SPECIALIST, Role.APPOINTING_OFFICIAL, Role.CHAIRMAN)
    return Schedule.objects.filter(organisation_id__in=org_ids).select_related("organisation", "period")


def schedule_entries_visible_to(user) -> QuerySet[ScheduleEntry]:
    """R20: a person's line (and so their result) is seen by that person, their evaluator
    and the chief specialist. Calibration participants (and the Commission's members of
    chapter 6) are added by their apps through appraisal.hooks.on_entry_visibility."""
    if not getattr(user, "is_authenticated", False):
        return ScheduleEntry.objects.none()
    return ScheduleEntry.objects.filter(_visible_entries(user)).select_related(
        "schedule__period", "schedule__organisation", "employee", "position", "evaluator")


def _visible_entries(user) -> Q:
    """The R20 condition without joins (issue 12). ORed over the employee, the evaluator, the
    schedule's organisation and the chapters' subqueries, it joined about 18 relations —
    past PostgreSQL's join_collapse_limit, so planning took 6–10 ms against well under one of
    execution on every request. The user's own employee records and the lines each chapter
    grants are read first (small queries, each planned on its own); what is left are plain
    id lists and one subquery over the schedules. A home page asks this four times: the id
    lists are read once per request (volatile: any write during the request reads them again)."""
    employee_ids, granted = memoised(("visible_entries", user.pk), lambda: _visibility_ids(user), volatile=True)
    allowed = Q(pk__in=granted)
    administered = organisations_administered(user)
    if administered:
        allowed |= Q(schedule_id__in=Schedule.objects.filter(organisation_id__in=administered).values("pk"))
    if employee_ids:
        allowed |= Q(employee_id__in=employee_ids) | Q(evaluator_id__in=employee_ids)
    return allowed


def _visibility_ids(user) -> tuple[list[int], list[int]]:
    """(the user's own employee records, the lines the chapters grant her)."""
    employee_ids = [employee_id for employee_id, _organisation_id in roles.employee_records(user)]
    # One round trip for every chapter's grant: a UNION, whose branches PostgreSQL plans one by
    # one (an OR of them would join all their relations at once, as before).
    branches = [ScheduleEntry.objects.filter(extra).order_by().values_list("pk", flat=True)
                for extra in hooks.entry_visibility_filters(user)]
    granted = set(branches[0].union(*branches[1:])) if branches else set()
    return employee_ids, sorted(granted)


def results_visible_to(user) -> QuerySet[PeriodResult]:
    return PeriodResult.objects.filter(entry__in=schedule_entries_visible_to(user).values("pk")).select_related(
        "entry__employee", "entry__schedule__period", "entry__position"
    )


def own_entries(user) -> QuerySet[ScheduleEntry]:
    return (
        ScheduleEntry.objects.filter(employee__user=user, schedule__state="approved")
        .select_related("schedule__period", "schedule__organisation", "position", "evaluator",
                        "result__acknowledgement")
        .order_by("-schedule__period__end")
    )
