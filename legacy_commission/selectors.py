"""Reads for chapter 6 (R20) and the deadline status of a plan and its sheet.

A chapter-6 plan and sheet are seen by the evaluated person, the direct supervisor (the
line's evaluator), the higher supervisor recorded on the plan and the chief specialist —
the people of appraisal.selectors.schedule_entries_visible_to, to which this app adds the
higher supervisor through hooks.on_entry_visibility (apps.py) — and by nobody else. The
evaluated person sees the plan once it is approved and the sheet once the higher
supervisor has signed it: before that they are the evaluators' working documents.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.editions import load_editions
from appraisal.languages import rule_citation
from appraisal.models import Method, ScheduleEntry
from appraisal.selectors import first_rows, schedule_entries_visible_to
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import (
    LegacyEvidence,
    LegacyPlan,
    LegacyPlanState,
    LegacySheet,
    LegacySheetLine,
    LegacySheetState,
)

PLAN_WORKING_DAYS = 10  # R43
_EVALUATED_SEES_SHEET = (LegacySheetState.SIGNED, LegacySheetState.SUBMITTED)


def higher_supervisor_entries(user) -> Q:
    """hooks.on_entry_visibility: the higher supervisor of a chapter-6 plan sees its line."""
    return Q(pk__in=LegacyPlan.objects.filter(higher_supervisor__user=user).values("entry_id"))


def legacy_entries_for_user(user) -> QuerySet[ScheduleEntry]:
    return (
        schedule_entries_visible_to(user).filter(method=Method.LEGACY, schedule__state="approved")
        .select_related("legacy_plan", "legacy_plan__sheet", "legacy_plan__higher_supervisor")
        .prefetch_related("legacy_plan__sheet__rounds")
        .order_by("-schedule__period__end", "employee__last_name", "employee__first_name")
    )


def _not_own_draft(user, prefix: str, visible_states) -> Q:
    """Everything the user may see except the evaluated person's own line in an early state."""
    own = Q(**{f"{prefix}employee__user": user})
    return ~own | Q(**{f"{prefix}employee__user": user, "state__in": visible_states})


def plans_for_user(user) -> QuerySet[LegacyPlan]:
    if not getattr(user, "is_authenticated", False):
        return LegacyPlan.objects.none()
    return (
        LegacyPlan.objects.filter(entry__in=schedule_entries_visible_to(user).values("pk"))
        .filter(_not_own_draft(user, "entry__", [LegacyPlanState.APPROVED]))
        .select_related("entry__schedule__period", "entry__schedule__organisation", "entry__employee",
                        "entry__evaluator", "entry__position", "higher_supervisor", "approved_by__employee")
    )


def sheets_for_user(user) -> QuerySet[LegacySheet]:
    if not getattr(user, "is_authenticated", False):
        return LegacySheet.objects.none()
    return (
        LegacySheet.objects.filter(plan__entry__in=schedule_entries_visible_to(user).values("pk"))
        .filter(_not_own_draft(user, "plan__entry__", _EVALUATED_SEES_SHEET))
        .select_related("plan__entry__schedule__period", "plan__entry__schedule__organisation",
                        "plan__entry__employee", "plan__entry__evaluator", "plan__entry__position",
                        "plan__higher_supervisor", "signed_by__employee", "sent_by__employee",
                        "submitted_by__employee")
        .prefetch_related(Prefetch("lines", queryset=LegacySheetLine.objects.select_related("kci")
                                   .prefetch_related("files").order_by("kci__number")))
    )


def evidence_for_user(user, sheet: LegacySheet) -> QuerySet[LegacyEvidence]:
    """Files of a sheet the user may already see (fetch the sheet through sheets_for_user)."""
    return LegacyEvidence.objects.filter(line__sheet=sheet).select_related("line")


def sheet_of(plan: LegacyPlan) -> LegacySheet | None:
    try:
        return plan.sheet
    except LegacySheet.DoesNotExist:
        return None


# --- deadlines (flagged, never enforced) ------------------------------------------------


@dataclass(frozen=True)
class Due:
    rule_id: str
    label: str
    date: dt.date | None  # None: counted from an event that has not happened yet
    done_on: dt.date | None
    today: dt.date

    @property
    def rule_label(self) -> str:
        return rule_citation(self.rule_id.removeprefix("R"))

    @property
    def late(self) -> bool:
        return bool(self.date) and (self.done_on or self.today) > self.date

    @property
    def overdue(self) -> bool:
        """Still to do and past its date."""
        return self.late and self.done_on is None


def _day(value) -> dt.date | None:
    return timezone.localdate(value) if value else None


def plan_due(entry: ScheduleEntry, calendar: WorkingCalendar) -> dt.date:
    """R43: ten working days after the start of the period."""
    return calendar.add_working_days(entry.schedule.period.start, PLAN_WORKING_DAYS)


def deadlines(plan: LegacyPlan, today: dt.date, calendar: WorkingCalendar | None = None) -> list[Due]:
    """Every deadline of R43, R52 and R53 for this plan and its sheet."""
    from legacy_commission.services.sheets import commission_due, resubmission_due

    calendar = calendar or WorkingCalendar.load()
    rows = [Due("R43", _("КЦИ определены в индивидуальном плане (10 рабочих дней после начала периода)"),
                plan_due(plan.entry, calendar), _day(plan.first_submitted_at), today)]
    sheet = sheet_of(plan)
    if sheet is None:
        return rows
    rounds = list(sheet.rounds.all())
    for r in rounds:
        if r.due_on:
            rows.append(Due("R52", _("Повторное внесение после доработки (рассмотрение № %(n)s)") % {"n": r.number},
                            r.due_on, _day(r.sent_at), today))
    if sheet.state == LegacySheetState.RETURNED:
        rows.append(Due("R52", _("Повторное внесение после доработки (2 рабочих дня)"),
                        resubmission_due(sheet, calendar), None, today))
    rows.append(Due("R53", _("Вынесение на рассмотрение Комиссии (2 рабочих дня после подписания)"),
                    commission_due(sheet, calendar), _day(sheet.submitted_at), today))
    return rows


def overview_rows(user, today: dt.date, limit: int = 200) -> list[dict]:
    """Each chapter-6 line the user may see with its plan, sheet, what they may start and
    the deadlines missed. The person's own plan and sheet appear only once they are no
    longer drafts (as in plans_for_user / sheets_for_user)."""
    from legacy_commission.services.plans import chapter6_in_force

    calendar = WorkingCalendar.load()
    editions: dict[int, list] = {}  # two queries per body for the page, whatever the number of lines
    rows = []
    for entry in first_rows(legacy_entries_for_user(user), limit):
        plan = getattr(entry, "legacy_plan", None)  # RelatedObjectDoesNotExist is an AttributeError
        own = entry.employee.user_id == user.pk
        if plan is not None and own and plan.state != LegacyPlanState.APPROVED:
            plan = None
        sheet = sheet_of(plan) if plan else None
        if sheet is not None and own and sheet.is_draft:
            sheet = None
        organisation_id = entry.schedule.organisation_id
        if organisation_id not in editions:
            editions[organisation_id] = load_editions(organisation_id)
        in_force = chapter6_in_force(entry, today, editions[organisation_id])
        is_supervisor = bool(entry.evaluator_id and entry.evaluator.user_id == user.pk)
        rows.append({
            "entry": entry, "plan": plan, "sheet": sheet, "own": own,
            "can_start": plan is None and not own and is_supervisor and in_force,
            "closed": plan is None and not in_force and not hasattr(entry, "legacy_plan"),
            "late": [d for d in deadlines(plan, today, calendar) if d.late] if plan and not own else [],
        })
    return rows
