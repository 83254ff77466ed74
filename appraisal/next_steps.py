"""What is pending, who acts next and what is overdue — for the home pages and the schedule
page (issue 11: «everyone knows what to do next and who does it»).

Every pending state names the role of the Методика that acts next and the people who hold it
in the organisation. The holders of all the organisations on a page come in one query, and
the editions once per organisation, so a home page costs the same whatever the head count.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.deadlines import evaluation_deadline
from appraisal.editions import edition_for_period, load_editions
from appraisal.languages import rule_citation
from appraisal.models import Period, Role, RoleAssignment, Schedule, ScheduleState
from appraisal.request_memo import memoised

Holders = dict[tuple[int, str], list[str]]


def role_holders(organisation_ids, today: dt.date) -> Holders:
    """{(organisation id, role): [short names]} of the roles held on `today`: one query, read
    once per request (the chief's home asks it for the schedules and again for the KCI panel)."""
    organisation_ids = frozenset(organisation_ids)
    return dict(memoised(("role_holders", organisation_ids, today),
                         lambda: _role_holders(organisation_ids, today), volatile=True))


def _role_holders(organisation_ids: frozenset[int], today: dt.date) -> Holders:
    holders: Holders = {}
    rows = (
        RoleAssignment.objects.filter(organisation_id__in=organisation_ids)
        .filter(Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))
        .select_related("user__employee").order_by("role", "pk")
    )
    for assignment in rows:
        employee = getattr(assignment.user, "employee", None)
        name = employee.short_name if employee is not None else assignment.user.get_username()
        holders.setdefault((assignment.organisation_id, assignment.role), []).append(name)
    return holders


@dataclass(frozen=True)
class NextActor:
    """Who acts next: a role of the Методика, the people holding it, what they do, the rule."""

    role: str
    names: tuple[str, ...]
    action: str
    rule: str

    def __str__(self) -> str:
        who = ", ".join(self.names) or _("роль никому не назначена")
        return f"{self.role} ({who})"


def schedule_next_actor(schedule: Schedule, holders: Holders) -> NextActor | None:
    """R10: the chief specialist sends a draft, the appointing official approves or returns it."""
    if schedule.state == ScheduleState.DRAFT:
        return NextActor(Role.CHIEF_SPECIALIST.label,
                         tuple(holders.get((schedule.organisation_id, Role.CHIEF_SPECIALIST), ())),
                         _("направить график на утверждение"), rule_citation("10"))
    if schedule.state == ScheduleState.ON_APPROVAL:
        return NextActor(Role.APPOINTING_OFFICIAL.label,
                         tuple(holders.get((schedule.organisation_id, Role.APPOINTING_OFFICIAL), ())),
                         _("утвердить график или вернуть на доработку"), rule_citation("10"))
    return None


def schedule_last_day(schedule: Schedule, editions=None) -> dt.date:
    """R4: the last day of the evaluation the schedule organises."""
    return evaluation_deadline(schedule.period, edition_for_period(schedule.period, schedule.organisation_id, editions))


def late_schedule_notice(schedule: Schedule, today: dt.date, editions=None) -> str:
    """R4 and R10: a schedule approved (or still unapproved) after the period's last day of
    evaluation — the evaluation it opens is late. Empty when it is not."""
    last_day = schedule_last_day(schedule, editions)
    approved_on = schedule.approved_at.date() if schedule.approved_at else None
    day = approved_on or today
    if day <= last_day:
        return ""
    values = {"period": schedule.period, "day": fmt_date(last_day), "n": (day - last_day).days}
    if approved_on:
        return _("п. 4: последний день оценки за %(period)s — %(day)s; график утверждён позже, на %(n)s дн. "
                 "Оценка по нему проводится с нарушением срока п. 4.") % values
    return _("п. 4: последний день оценки за %(period)s — %(day)s — прошёл %(n)s дн. назад. "
             "График не утверждён (п. 10): оценка уже проводится с нарушением срока п. 4.") % values


@dataclass
class PendingSchedule:
    schedule: Schedule
    last_day: dt.date
    overdue: bool
    next_actor: NextActor | None
    user_acts: bool  # the user holds the role that acts next
    late_notice: str = ""
    transitions: list = field(default_factory=list)


def pending_schedules(user, today: dt.date, schedules) -> list[PendingSchedule]:
    """The user's schedules not yet approved (draft or on approval), each with its R4 last day,
    whether that day has passed and who acts next. `schedules`: schedules_for_user(user),
    possibly narrowed to one organisation. Queries: one for the schedules, one for the
    holders, two per organisation for the editions."""
    rows = list(schedules.exclude(state=ScheduleState.APPROVED).select_related("period", "organisation"))
    if not rows:
        return []
    organisation_ids = {s.organisation_id for s in rows}
    holders = role_holders(organisation_ids, today)
    editions = {org_id: load_editions(org_id) for org_id in organisation_ids}
    found = []
    for schedule in rows:
        last_day = schedule_last_day(schedule, editions[schedule.organisation_id])
        transitions = list(schedule.get_available_user_state_transitions(user))
        found.append(PendingSchedule(
            schedule=schedule, last_day=last_day, overdue=today > last_day,
            next_actor=schedule_next_actor(schedule, holders), user_acts=bool(transitions),
            late_notice=late_schedule_notice(schedule, today, editions[schedule.organisation_id]),
            transitions=transitions,
        ))
    return sorted(found, key=lambda p: (p.last_day, p.schedule.pk))


def periods_overdue_without_schedule(today: dt.date, organisation, window_days: int = 70) -> list[tuple[Period, dt.date]]:
    """Recent periods whose R4 last day has passed and that have no schedule at all (R10):
    the chief specialist has to generate one. The same window as periods_in_progress."""
    editions = load_editions(organisation)
    periods = Period.objects.filter(start__lte=today, end__gte=today - dt.timedelta(days=window_days)).exclude(
        schedules__organisation=organisation)
    found = []
    for period in periods:
        last_day = evaluation_deadline(period, edition_for_period(period, organisation, editions))
        if last_day < today:
            found.append((period, last_day))
    return sorted(found, key=lambda pair: pair[1])
