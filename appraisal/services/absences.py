"""R5.2: absences, and the participation they decide on the lines not yet completed.

A schedule is generated before the evaluation opens, so its participation is a forecast:
an absence entered later, or a 360 survey opened in December rather than after the year,
changes who takes part. `rejudge_participation` judges the open lines again on the window
in which the evaluation is actually conducted (appraisal.eligibility.conduct_window); a
line with a result is completed and never changes. Every change goes to the line's
history with the reason, and the line's own explanation (reason_detail) says why.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appraisal import hooks, roles
from appraisal.dates import fmt_date
from appraisal.editions import edition_for_period
from appraisal.eligibility import PersonFacts, assess
from appraisal.models import (
    Absence,
    AbsenceKind,
    EligibilityReason,
    Employee,
    PeriodResult,
    Role,
    ScheduleEntry,
)
from appraisal.models.organisation import Appointment

NOTE_MAX = Absence._meta.get_field("note").max_length
# Only these outcomes are about participation; a dismissal (R6), a short tenure (R5.1),
# R22.4 and chapter 6 (R5.3) are decided by other facts and are left as generated.
REJUDGED_REASONS = (EligibilityReason.REGULAR, EligibilityReason.ABSENT)
_FIELDS = ("participation", "reason", "rule_id", "reason_detail")


def _require_chief(organisation_id: int, by) -> None:
    if not roles.has_role(by, organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 5.2: отсутствия вносит главный специалист."))


@transaction.atomic
def record_absence(*, employee: Employee, kind: str, start: dt.date, end: dt.date, by, note: str = "") -> Absence:
    """Enter an absence (leave, disability, trip, training) and judge again the participation
    of the person's lines not yet completed."""
    _require_chief(employee.organisation_id, by)
    if kind not in AbsenceKind.values:
        raise ValidationError(_("п. 5.2: неизвестный вид отсутствия."), code="bad_kind")
    for value in (start, end):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError(_("п. 5.2: укажите даты начала и окончания отсутствия."), code="no_dates")
    if end < start:
        raise ValidationError(
            _("п. 5.2: дата окончания %(e)s раньше даты начала %(s)s.") % {"e": fmt_date(end), "s": fmt_date(start)},
            code="end_before_start")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("п. 5.2: основание — не более %(n)s знаков (сейчас %(m)s).") % {"n": NOTE_MAX, "m": len(note)},
            code="note_too_long")
    absence = Absence(employee=employee, kind=kind, start=start, end=end, note=note)
    absence._history_user = by
    absence.save()
    rejudge_employee(employee=employee, by=by)
    return absence


def rejudge_employee(*, employee: Employee, by) -> list[ScheduleEntry]:
    """R5.2 after the person's absences changed (the admin's edit, the staff import)."""
    return rejudge_participation(entries=ScheduleEntry.objects.filter(employee=employee), by=by,
                                 change_reason=_("п. 5.2: изменены сведения об отсутствии"))


@transaction.atomic
def rejudge_participation(*, entries: QuerySet[ScheduleEntry], by, conducted_from: dt.date | None = None,
                          change_reason: str = "") -> list[ScheduleEntry]:
    """R5.2: judge again the participation of the lines not yet completed (no result).

    `conducted_from`, when given, is the day the evaluation of these lines opened (a 360
    survey): it is stored on each line and the window is taken from it from then on.
    Returns the lines whose participation changed."""
    completed = PeriodResult.objects.values("entry_id")
    open_lines = list(
        entries.exclude(pk__in=completed).filter(reason__in=REJUDGED_REASONS)
        .select_related("schedule__period", "employee").select_for_update(of=("self",)).order_by("pk")
    )
    changed = []
    with translation.override(settings.LANGUAGE_CODE):  # reason_detail is text of record (see schedules)
        for entry in open_lines:
            if _rejudge(entry, conducted_from, by=by, change_reason=change_reason):
                changed.append(entry)
    if changed:
        # Inside this transaction: a chapter's state follows the line all or nothing.
        hooks.run_participation_changed(changed)
    return changed


def _rejudge(entry: ScheduleEntry, conducted_from: dt.date | None, *, by, change_reason: str) -> bool:
    schedule, period = entry.schedule, entry.schedule.period
    appointments = list(Appointment.objects.filter(
        employee_id=entry.employee_id, position__organisation_id=schedule.organisation_id).select_related("position"))
    facts = PersonFacts(appointments, list(Absence.objects.filter(employee_id=entry.employee_id).order_by("start")))
    window_first = conducted_from or entry.conducted_from
    assessment = assess(facts, period, edition_for_period(period, schedule.organisation_id),
                        timezone.localdate(schedule.generated_at), conducted_from=window_first)
    before = {name: getattr(entry, name) for name in _FIELDS}
    if assessment is not None and assessment.method == entry.method and assessment.reason in REJUDGED_REASONS:
        entry.participation, entry.reason = assessment.participation, assessment.reason
        entry.rule_id, entry.reason_detail = assessment.rule_id, assessment.detail[:500]
    participation_changed = any(getattr(entry, name) != value for name, value in before.items())
    window_changed = conducted_from is not None and entry.conducted_from != conducted_from
    if not (participation_changed or window_changed):
        return False
    entry.conducted_from = window_first
    entry._history_user = by
    entry._change_reason = change_reason or _("п. 5.2: участие определено заново")
    entry.save()
    return participation_changed
