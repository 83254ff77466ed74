"""Chapter 6, R67–R68: an appeal of the Commission's decision and its outcome.

R67: to the agency for civil service affairs or its territorial department, within ten
working days of the decision (counted from the day after the meeting that took it); the
agency either leaves the result as it is, or recommends cancelling the decision and
re-evaluating — which reopens the sheet: it goes back to the direct supervisor for a new
round, the earlier rounds, the protocol and the result staying as they were until the new
decision is approved. R68: an appeal to a court is recorded with its outcome (its time limit
is the procedural law's, not the Методика's, so none is enforced here).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.dates import fmt_date
from appraisal.models import Role
from appraisal.notifications.outbox import notify_employee
from appraisal.transitions import Refusals, run_transition
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import (
    AgendaItem,
    Appeal,
    AppealBody,
    AppealOutcome,
    LegacySheet,
    MeetingState,
)
from legacy_commission.services.plans import clean_text

APPEAL_WORKING_DAYS = 10  # R67


def _text(value, field: str, required: str | None = None) -> str:
    """Within the column, never cut; a refusal names п. 67 and the field."""
    label = str(Appeal._meta.get_field(field).verbose_name)
    return clean_text(value, field=field, limit=Appeal._meta.get_field(field), rule=_("п. 67"),
                      label=label[:1].upper() + label[1:], required=required)


def _date(value, message: str) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(message) from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(message)
    return value


def appeal_deadline(item: AgendaItem, calendar: WorkingCalendar | None = None) -> dt.date:
    """R67: the last day to appeal — ten working days from the day of the decision."""
    return (calendar or WorkingCalendar.load()).add_working_days(item.meeting.date, APPEAL_WORKING_DAYS)


def _may_record(item: AgendaItem, user) -> bool:
    """The chief specialist records an appeal (the agency's letter reaches the organisation),
    or the employee records their own."""
    entry = item.sheet.plan.entry
    return roles.has_role(user, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST) or (
        getattr(user, "is_authenticated", False) and entry.employee.user_id == user.pk)


@transaction.atomic
def file_appeal(*, item: AgendaItem, body: str, filed_on, by, body_name: str = "", reference: str = "") -> Appeal:
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related(
        "meeting", "sheet__plan__entry__schedule", "sheet__plan__entry__employee").get(pk=item.pk)
    if not _may_record(item, by):
        raise PermissionDenied(_("п. 67: жалобу вносит служащий корпуса «Б» или главный специалист."))
    if item.meeting.state not in (MeetingState.DECIDED, MeetingState.APPROVED):
        raise ValidationError(_("п. 67: обжалуется решение Комиссии; по этому вопросу решение ещё не принято."))
    if body not in AppealBody.values:
        raise ValidationError(_("п. 67: выберите, куда подана жалоба: уполномоченный орган, его территориальный "
                                "департамент или суд (п. 68)."))
    filed_on = _date(filed_on, _("п. 67: укажите дату подачи жалобы."))
    today = timezone.localdate()
    if filed_on > today:
        raise ValidationError(_("п. 67: дата подачи жалобы не может быть позже сегодняшнего дня."))
    if filed_on < item.meeting.date:
        raise ValidationError(_("п. 67: жалоба не может быть подана раньше решения Комиссии (%(d)s).")
                              % {"d": fmt_date(item.meeting.date)})
    if body != AppealBody.COURT:
        deadline = appeal_deadline(item)
        if filed_on > deadline:
            raise ValidationError(
                _("п. 67: решение Комиссии обжалуется в течение десяти рабочих дней со дня его вынесения "
                  "(%(d)s) — последний день %(last)s; жалоба от %(f)s подана позже.")
                % {"d": fmt_date(item.meeting.date), "last": fmt_date(deadline), "f": fmt_date(filed_on)},
                code="late")
    if item.appeals.filter(outcome="", body=body).exists():
        raise ValidationError(_("п. 67: такая жалоба уже внесена и ещё не рассмотрена."))
    return Appeal.objects.create(item=item, body=body, filed_on=filed_on, recorded_by=by,
                                 body_name=_text(body_name, "body_name"), reference=_text(reference, "reference"))


@transaction.atomic
def record_outcome(*, appeal: Appeal, outcome: str, outcome_on, by, outcome_reference: str = "") -> Appeal:
    """R67's two outcomes (and a court's, R68). A recommended re-evaluation reopens the sheet."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "item__sheet__plan__entry__schedule").get(pk=appeal.pk)
    entry = appeal.item.sheet.plan.entry
    if not roles.has_role(by, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 67: итог рассмотрения жалобы вносит главный специалист."))
    if appeal.outcome:
        raise ValidationError(_("п. 67: итог рассмотрения этой жалобы уже внесён."))
    if outcome not in (AppealOutcome.STANDS, AppealOutcome.REEVALUATE):
        raise ValidationError(_("п. 67: итог — оставить результаты оценки без пересмотра или отменить решение "
                                "Комиссии и пересмотреть результаты оценки."))
    outcome_on = _date(outcome_on, _("п. 67: укажите дату решения по жалобе."))
    if outcome_on < appeal.filed_on or outcome_on > timezone.localdate():
        raise ValidationError(_("п. 67: дата решения по жалобе — не раньше подачи жалобы и не позже сегодняшнего "
                                "дня."))
    appeal.outcome, appeal.outcome_on, appeal.outcome_recorded_by = outcome, outcome_on, by
    appeal.outcome_reference = _text(outcome_reference, "outcome_reference",
                                     required=_("п. 67: укажите номер и дату решения по жалобе."))
    appeal._history_user = by
    appeal.save()
    if outcome == AppealOutcome.REEVALUATE:
        reopen_sheet(sheet=appeal.item.sheet, by=by, basis=appeal)
    return appeal


@transaction.atomic
def reopen_sheet(*, sheet: LegacySheet, by, basis: Appeal) -> LegacySheet:
    """R67: the sheet goes back to the direct supervisor for a new round through its
    `reopen` transition (the chief specialist, only after a recommended re-evaluation of
    the latest decision); history records the step with the recommendation as its reason."""
    reason = _("Повторная оценка по решению по жалобе (п. 67): %(r)s от %(d)s.") % {
        "r": basis.outcome_reference, "d": fmt_date(basis.outcome_on)}
    sheet = LegacySheet.objects.select_for_update(of=("self",)).select_related(
        "plan__entry__schedule").get(pk=sheet.pk)
    sheet._history_user, sheet._change_reason = by, reason
    run_transition(sheet, "reopen", by=by, reason=reason, refusals=Refusals(
        not_now=_("п. 67: повторная оценка открывается по листу, вынесенному на Комиссию, после рекомендации "
                  "пересмотреть результаты (сейчас лист в состоянии «%(state)s»)."),
        wrong_role=_("п. 67: лист на повторную оценку возвращает главный специалист."),
        stale=_("п. 67: лист оценки уже изменён (повторная оценка начата ранее)."),
    ))
    supervisor = sheet.plan.entry.evaluator
    if supervisor is not None:  # who acts next: the direct supervisor, with a new round
        notify_employee(
            employee=supervisor, key=f"R67:legacy:{sheet.pk}:{basis.pk}", rule_id="R67",
            subject=_("Лист оценки по КЦИ возвращён на повторную оценку"),
            body=_("Решение Комиссии по листу оценки по КЦИ за %(p)s отменено по итогам рассмотрения жалобы (п. 67 "
                   "Методики): %(r)s. Заполните лист заново и внесите его вышестоящему руководителю.")
            % {"p": sheet.plan.entry.schedule.period, "r": reason})
    return sheet
