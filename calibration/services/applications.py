"""R12, R37: the employee's application for a calibration session.

The five working days are counted from the day after the acknowledgement (WD). Filing
records the acknowledgement when it was not recorded yet: an employee who disagrees with a
result has, by applying, been acquainted with it (the day of filing is then day zero).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.editions import edition_for_entry
from appraisal.models import Method, PeriodResult, Role
from appraisal.services import acknowledgement
from appraisal.workdays import WorkingCalendar
from calibration.models import COMPOSITION_WORKING_DAYS, SESSION_WORKING_DAYS, CalibrationCase
from calibration.services.common import clean_text, notify_user, role_holders


def application_working_days(result: PeriodResult) -> int:
    return edition_for_entry(result.entry).calibration_application_working_days


def application_due(result: PeriodResult, calendar: WorkingCalendar | None = None) -> dt.date | None:
    """R12: the last day to apply, or None while the result has not been acknowledged (then
    applying acknowledges it, and the application is in time)."""
    acknowledged = acknowledgement.acknowledged_on(result)
    if acknowledged is None:
        return None
    return (calendar or WorkingCalendar.load()).add_working_days(acknowledged, application_working_days(result))


def refusal_for(result: PeriodResult, user) -> ValidationError | PermissionDenied | None:
    """Why the user may not apply about this result now, in the rule's words (None: may)."""
    entry = result.entry
    if not (entry.employee.user_id and entry.employee.user_id == getattr(user, "pk", None)):
        return PermissionDenied(_("п. 12: заявление о калибровочной сессии подаёт сам оцениваемый служащий."))
    if entry.method == Method.LEGACY or result.score is None:
        return ValidationError(_("п. 12: калибровочная сессия проводится по результатам глав 2–4; решение Комиссии "
                                 "(глава 6) обжалуется в порядке п. 67."), code="legacy")
    existing = CalibrationCase.objects.filter(result=result).only("filed_at").first()
    if existing is not None:
        return ValidationError(_("п. 12: заявление о калибровочной сессии по этому результату уже подано %(day)s; "
                                 "повторное заявление не принимается.")
                               % {"day": fmt_date(timezone.localdate(existing.filed_at))}, code="duplicate")
    due = application_due(result)
    if due is not None and timezone.localdate() > due:
        return ValidationError(
            _("п. 12: заявление о калибровочной сессии подаётся в течение %(n)s рабочих дней со дня ознакомления "
              "с результатом (ознакомление %(ack)s, последний день %(due)s); срок истёк, заявление не принято.")
            % {"n": application_working_days(result), "ack": fmt_date(acknowledgement.acknowledged_on(result)),
               "due": fmt_date(due)}, code="late")
    return None


@transaction.atomic
def file_application(*, result: PeriodResult, by, text: str, at: dt.datetime | None = None) -> CalibrationCase:
    """R12: file the application; the appointing official is notified through the outbox."""
    at = at or timezone.now()
    # One application per result: the row lock serialises two submissions of the same form;
    # the one-to-one constraint is the last word.
    result = PeriodResult.objects.select_for_update(of=("self",)).select_related(
        "entry__schedule__period", "entry__employee__user", "entry__evaluator").get(pk=result.pk)
    refusal = refusal_for(result, by)
    if refusal is not None:
        raise refusal
    text = clean_text(text, rule="12", label=_("Заявление"))
    acknowledged = acknowledgement.acknowledged_on(result)
    if acknowledged is None:
        acknowledged = acknowledgement.acknowledge(result=result, user=by, at=at).acknowledged_on
    calendar = WorkingCalendar.load()
    filed_on = timezone.localdate(at)
    try:
        with transaction.atomic():
            case = CalibrationCase.objects.create(
                result=result, application=text, filed_at=at, filed_by=by, acknowledged_on=acknowledged,
                application_due=calendar.add_working_days(acknowledged, application_working_days(result)),
                composition_due=calendar.add_working_days(filed_on, COMPOSITION_WORKING_DAYS),
                session_due=calendar.add_working_days(filed_on, SESSION_WORKING_DAYS),
            )
    except IntegrityError:
        raise ValidationError(_("п. 12: заявление о калибровочной сессии по этому результату уже подано; повторное "
                                "заявление не принимается."), code="duplicate") from None
    _notify_officials(case)
    return case


def _notify_officials(case: CalibrationCase) -> None:
    entry = case.result.entry
    body = _("Поступило заявление %(who)s о проведении калибровочной сессии по результатам оценки за %(period)s "
             "(п. 12). Решение о проведении и состав сессии утверждаются в течение %(n)s рабочих дней, до %(due)s "
             "(п. 38); сессия проводится не позднее %(session)s (п. 39).") % {
        "who": entry.employee.short_name, "period": entry.schedule.period, "n": COMPOSITION_WORKING_DAYS,
        "due": fmt_date(case.composition_due), "session": fmt_date(case.session_due)}
    for user in role_holders(entry.schedule.organisation_id, Role.APPOINTING_OFFICIAL):
        notify_user(user, key=f"R12:case:{case.pk}:official:{user.pk}",
                    subject=_("Заявление о калибровочной сессии"), body=body, rule_id="R12")
