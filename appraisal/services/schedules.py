"""R10: generating, submitting, approving and returning the evaluation schedule."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from appraisal import hooks, roles, transitions
from appraisal.editions import edition_for_period
from appraisal.eligibility import PersonFacts, assess
from appraisal.models import Organisation, Period, Role, Schedule, ScheduleEntry, ScheduleState
from appraisal.selectors import appointments_overlapping, employees_with_facts, holders_by_position, supervisor_of
from appraisal.validation import clean_text_for


def overlapping_approved_schedule(organisation: Organisation, period: Period, exclude_pk=None) -> Schedule | None:
    """R10: an approved schedule of the same kind of period whose dates overlap."""
    qs = Schedule.objects.filter(
        organisation=organisation, state=ScheduleState.APPROVED, period__kind=period.kind,
        period__start__lte=period.end, period__end__gte=period.start,
    ).select_related("period")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _lock_organisation(organisation_id: int) -> None:
    """Serialise schedule changes of one organisation (PostgreSQL row lock; SQLite serialises
    writers anyway), so that two approvals of different schedules of one period cannot both
    pass the overlap check and one of them end in an IntegrityError."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk", flat=True).first()


def _refuse_overlap(organisation: Organisation, period: Period, exclude_pk=None) -> None:
    approved = overlapping_approved_schedule(organisation, period, exclude_pk)
    if approved:
        raise ValidationError(
            _("п. 10: на период «%(period)s» уже утверждён график оценки (%(other)s); новый график не создаётся.")
            % {"period": period, "other": approved.period}
        )


def build_entries(schedule: Schedule) -> list[ScheduleEntry]:
    """The schedule lines for every person who held an evaluated position in the period.

    The reason details are stored text, part of the schedule as a document of record: they
    are written in the language of record (LANGUAGE_CODE), whatever language the chief
    specialist's interface happens to be in, so that every reader sees one text."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_entries(schedule)


def _build_entries(schedule: Schedule) -> list[ScheduleEntry]:
    period, organisation = schedule.period, schedule.organisation
    edition = edition_for_period(period, organisation)
    today = timezone.localdate()
    employees = list(employees_with_facts(organisation, period))
    holders = holders_by_position(list(appointments_overlapping(organisation, period.start, period.end)), period.end)
    entries = []
    for employee in employees:
        # Only this organisation's appointments: a person who moved here from (or on to)
        # another state body is evaluated here for the position held here.
        appointments = [a for a in employee.prefetched_appointments if a.position.organisation_id == organisation.pk]
        assessment = assess(PersonFacts(appointments, employee.prefetched_absences), period, edition, today)
        if assessment is None:
            continue
        evaluator = supervisor_of(assessment.position, holders)
        entries.append(ScheduleEntry(
            schedule=schedule, employee=employee, position=assessment.position, method=assessment.method,
            participation=assessment.participation, reason=assessment.reason, rule_id=assessment.rule_id,
            reason_detail=assessment.detail[:500],
            evaluator=evaluator if evaluator and evaluator.pk != employee.pk else None,
        ))
    return entries


@transaction.atomic
def generate_schedule(*, organisation: Organisation, period: Period, by) -> Schedule:
    """Create the schedule for a period, or regenerate its draft from today's data."""
    if not roles.has_role(by, organisation.pk, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 10: график оценки формирует главный специалист."))
    _lock_organisation(organisation.pk)
    _refuse_overlap(organisation, period)
    schedule = (
        Schedule.objects.select_for_update()
        .filter(organisation=organisation, period=period).exclude(state=ScheduleState.APPROVED).first()
    )
    if schedule and schedule.state != ScheduleState.DRAFT:
        raise ValidationError(_("п. 10: график находится на утверждении; переформировать можно только черновик."))
    if schedule is None:
        schedule = Schedule.objects.create(organisation=organisation, period=period, generated_by=by)
        bulk_create_with_history(build_entries(schedule), ScheduleEntry, default_user=by)
    else:
        schedule.generated_at, schedule.generated_by = timezone.now(), by
        schedule.save(update_fields=["generated_at", "generated_by"])
        _sync_entries(schedule, build_entries(schedule), by)
    return schedule


# The fields of a line that regeneration recomputes (attnames, for comparing and bulk_update).
_ENTRY_FIELDS = ("position_id", "method", "participation", "reason", "rule_id", "reason_detail", "evaluator_id")


def _sync_entries(schedule: Schedule, fresh: list[ScheduleEntry], by) -> None:
    """Regenerating a draft: update the lines that changed, add the new people, remove the
    people no longer in the period — in a constant number of queries for the lines kept or
    added (deleting every line and re-inserting it cost one history INSERT per line)."""
    existing = {entry.employee_id: entry for entry in schedule.entries.all()}
    to_create, to_update = [], []
    for entry in fresh:
        current = existing.pop(entry.employee_id, None)
        if current is None:
            to_create.append(entry)
            continue
        changed = [name for name in _ENTRY_FIELDS if getattr(current, name) != getattr(entry, name)]
        for name in changed:
            setattr(current, name, getattr(entry, name))
        if changed:
            to_update.append(current)
    for gone in existing.values():  # only people who left the period: one delete (and history row) each
        gone._history_user = by
        gone.delete()
    if to_update:
        bulk_update_with_history(to_update, ScheduleEntry, list(_ENTRY_FIELDS), default_user=by)
    if to_create:
        bulk_create_with_history(to_create, ScheduleEntry, default_user=by)


def run_transition(schedule: Schedule, name: str, *, by, **kwargs) -> Schedule:
    """Run one of the schedule's transitions for `by`, or refuse with a clear message."""
    return transitions.run_transition(schedule, name, by=by, refusals=transitions.Refusals(
        not_now=_("п. 10: действие недоступно, график в состоянии «%(state)s»."),
        wrong_role=_("п. 10: это действие выполняет другой участник процесса."),
        stale=_("График уже изменён другим пользователем. Обновите страницу."),
    ), **kwargs)


def submit_schedule(*, schedule: Schedule, by) -> Schedule:
    if not schedule.entries.exists():
        raise ValidationError(_("п. 10: в графике нет ни одного служащего."))
    return run_transition(schedule, "submit", by=by)


@transaction.atomic
def approve_schedule(*, schedule: Schedule, by) -> Schedule:
    """R10: the appointing official approves; this opens the period's evaluation."""
    _lock_organisation(schedule.organisation_id)
    _refuse_overlap(schedule.organisation, schedule.period, exclude_pk=schedule.pk)
    run_transition(schedule, "approve", by=by)
    hooks.run_schedule_approved(schedule)
    return schedule


RETURN_REASON_LIMIT = 2000  # return_reason is a TextField


def return_schedule(*, schedule: Schedule, by, reason: str) -> Schedule:
    reason = clean_text_for(RETURN_REASON_LIMIT, reason, rule=_("п. 10"), label=_("причина возврата"))
    if not reason:
        raise ValidationError(_("п. 10: укажите причину возврата графика на доработку."))
    return run_transition(schedule, "return_for_rework", by=by, reason=reason)


def approved_schedule(organisation: Organisation, period: Period) -> Schedule | None:
    """R10: the schedule that opens the period's evaluation, if any."""
    return Schedule.objects.filter(organisation=organisation, period=period, state=ScheduleState.APPROVED).first()
