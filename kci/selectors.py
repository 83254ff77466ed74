"""Reads for chapter 2: for-user querysets (R20) and the deadline status of a plan.

A head's plan, sheet and result are seen by the head, the evaluator (the chairman) and the
chief specialist of the organisation; nobody else. The head sees the score sheet once it is
submitted (before that it is the evaluator's working document).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.deadlines import evaluation_deadline, kci_plan_deadline, preliminary_calculation_deadline
from appraisal.editions import edition_for_entry, edition_for_period, load_editions
from appraisal.languages import rule_citation
from appraisal.models import Appointment, Method, ScheduleEntry, ScheduleState
from appraisal.selectors import first_rows, organisations_administered, schedule_entries_visible_to
from appraisal.workdays import WorkingCalendar
from kci.models import IndividualPlan, KciScoreLine, KciScoreSheet, PlanState, SheetState


def kci_entries_for_user(user) -> QuerySet[ScheduleEntry]:
    """Schedule lines of heads (KCI, or not set by R22.4) visible to the user."""
    return (
        schedule_entries_visible_to(user)
        .filter(Q(method=Method.KCI) | Q(rule_id="R22.4"))
        .select_related("kci_plan", "kci_plan__sheet", "result", "evaluator__user", "employee__user")
        .order_by("-schedule__period__end", "employee__last_name")
    )


def plans_for_user(user) -> QuerySet[IndividualPlan]:
    if not getattr(user, "is_authenticated", False):
        return IndividualPlan.objects.none()
    return (
        IndividualPlan.objects.filter(entry__in=schedule_entries_visible_to(user).values("pk"))
        .select_related("entry__schedule__period", "entry__schedule__organisation", "entry__employee",
                        "entry__evaluator", "entry__position", "approved_by__employee", "agreed_by__employee",
                        "posted_by__employee")
    )


FINAL_PLAN_STATES = (PlanState.APPROVED, PlanState.POSTED)


def plans_printable_for(user) -> QuerySet[IndividualPlan]:
    """R20: form 1 as a PDF. The evaluated head reaches only her approved plan (a draft is never
    shown to her in any form); evaluators and the chief specialist print drafts marked «ПРОЕКТ»."""
    if not getattr(user, "is_authenticated", False):
        return IndividualPlan.objects.none()
    return plans_for_user(user).exclude(Q(entry__employee__user=user) & ~Q(state__in=FINAL_PLAN_STATES))


def sheets_for_user(user) -> QuerySet[KciScoreSheet]:
    if not getattr(user, "is_authenticated", False):
        return KciScoreSheet.objects.none()
    return (
        KciScoreSheet.objects.filter(
            Q(plan__entry__evaluator__user=user)
            | Q(plan__entry__schedule__organisation_id__in=organisations_administered(user))
            | Q(plan__entry__employee__user=user, state=SheetState.SUBMITTED)
        )
        .select_related("plan__entry__schedule__period", "plan__entry__schedule__organisation",
                        "plan__entry__employee", "plan__entry__evaluator", "plan__entry__position",
                        "plan__entry__result", "submitted_by__employee", "sent_by__employee")
        .prefetch_related(Prefetch("lines", queryset=KciScoreLine.objects.select_related("kci")))
    )


# --- deadlines --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineStatus:
    rule_id: str
    label: str
    date: dt.date | None
    done_on: dt.date | None
    overdue: bool

    @property
    def rule_label(self) -> str:
        return rule_citation(self.rule_id.removeprefix("R"))


def appointed_on(entry: ScheduleEntry) -> dt.date | None:
    """R22.2: the head's appointment to the position (the latest before the period's end)."""
    period = entry.schedule.period
    appointment = (
        Appointment.objects.filter(employee_id=entry.employee_id, position_id=entry.position_id,
                                   start__lte=period.end).order_by("-start").first()
    )
    return appointment.start if appointment else None


def _local(value) -> dt.date | None:
    return timezone.localdate(value) if value else None


def _status(rule_id, label, date, done_on, today) -> DeadlineStatus:
    late = (done_on or today) > date if date else False
    return DeadlineStatus(rule_id, label, date, done_on, late)


def plan_deadlines(plan: IndividualPlan, today: dt.date, calendar: WorkingCalendar | None = None,
                   edition=None, appointed: dt.date | None = None) -> list[DeadlineStatus]:
    """Every deadline of chapter 2 for this plan, with whether it was met or is overdue."""
    calendar = calendar or WorkingCalendar.load()
    period = plan.entry.schedule.period
    edition = edition or edition_for_entry(plan.entry)
    appointed = appointed if appointed is not None else appointed_on(plan.entry)
    late_appointment = bool(appointed and appointed > period.start)
    plan_due = kci_plan_deadline(period, edition, calendar, appointed_on=appointed)
    statuses = [
        _status("R22.2" if late_appointment else "R22.1",
                _("КЦИ установлены, согласованы и утверждены"), plan_due, _local(plan.first_approved_at), today),
    ]
    if plan.approved_at:
        posting_due = calendar.add_working_days(_local(plan.approved_at), edition.kci_posting_working_days)
        statuses.append(_status("R22.3", _("План размещён в системе"), posting_due, _local(plan.posted_at), today))
    else:
        statuses.append(DeadlineStatus("R22.3", _("План размещён в системе (5 рабочих дней после утверждения)"),
                                       None, _local(plan.posted_at), False))
    sheet = sheet_for(plan)
    statuses.append(_status("R22.6", _("Предварительный расчёт направлен оценивающему лицу"),
                            preliminary_calculation_deadline(period, edition, calendar),
                            _local(sheet.sent_at) if sheet else None, today))
    statuses.append(_status("R22.5", _("Оценка выставлена (п. 4)"), evaluation_deadline(period, edition),
                            _local(sheet.submitted_at) if sheet else None, today))
    return statuses


def sheet_for(plan: IndividualPlan) -> KciScoreSheet | None:
    try:
        return plan.sheet
    except KciScoreSheet.DoesNotExist:
        return None


def overview_rows(user, today: dt.date, limit: int = 12) -> list[dict]:
    """The chief specialist's / chairman's period overview: each head's line with its plan,
    deadlines and result. A constant number of queries whatever the number of lines (the
    editions and calendar are loaded once per distinct period)."""
    entries = list(first_rows(kci_entries_for_user(user), limit))
    calendar = WorkingCalendar.load()
    appointments = {}
    if entries:
        for a in Appointment.objects.filter(employee_id__in={e.employee_id for e in entries}).order_by("start"):
            appointments.setdefault((a.employee_id, a.position_id), []).append(a)
    editions, body_editions = {}, {}  # two queries per body for the page
    rows = []
    for entry in entries:
        period, organisation_id = entry.schedule.period, entry.schedule.organisation_id
        if organisation_id not in body_editions:
            body_editions[organisation_id] = load_editions(organisation_id)
        key = (period.pk, organisation_id)
        if key not in editions:
            editions[key] = edition_for_period(period, organisation_id, body_editions[organisation_id])
        plan = getattr(entry, "kci_plan", None)  # RelatedObjectDoesNotExist is an AttributeError
        starts = [a.start for a in appointments.get((entry.employee_id, entry.position_id), []) if a.start <= period.end]
        statuses = plan_deadlines(plan, today, calendar, editions[key], max(starts) if starts else None) \
            if plan else []
        schedule_approved = entry.schedule.state == ScheduleState.APPROVED
        rows.append({
            "entry": entry, "plan": plan, "sheet": sheet_for(plan) if plan else None,
            "result": getattr(entry, "result", None),
            "deadlines": statuses,
            # Still to do and past its date (red), apart from what was done, but late (a note).
            "overdue": [s for s in statuses if s.overdue and not s.done_on],
            "done_late": [s for s in statuses if s.overdue and s.done_on],
            "schedule_approved": schedule_approved,
            "missing_plan_overdue": plan is None and entry.method == Method.KCI and today > kci_plan_deadline(
                period, editions[key], calendar, appointed_on=max(starts) if starts else None),
        })
    return rows

