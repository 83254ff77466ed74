"""Small helpers the calibration steps share: checked inputs and who to notify."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import transitions
from appraisal.dates import fmt_date
from appraisal.models import Employee, RoleAssignment
from appraisal.notifications.outbox import enqueue, notify_employee, send_after_commit
from calibration.models import TEXT_MAX, CalibrationCase


def clean_text(value, *, rule: str, label: str, required: bool = True, max_length: int = TEXT_MAX) -> str:
    """A free text as stored: trimmed, required when asked, never cut (refused when long)."""
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError(_("п. %(rule)s: заполните поле «%(label)s».") % {"rule": rule, "label": label},
                              code="required")
    if "\x00" in text:  # PostgreSQL cannot store it; a form never sends it
        raise ValidationError(_("п. %(rule)s: недопустимый символ (NUL) в поле «%(label)s».")
                              % {"rule": rule, "label": label}, code="nul")
    if len(text) > max_length:
        raise ValidationError(
            _("п. %(rule)s: поле «%(label)s» длиннее %(max)s знаков (%(n)s).")
            % {"rule": rule, "label": label, "max": max_length, "n": len(text)}, code="too_long")
    return text


def clean_date(value, *, rule: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip() if isinstance(value, str) else ""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("п. %(rule)s: укажите дату «%(label)s» (дд.мм.гггг).") % {"rule": rule, "label": label},
                          code="bad_date")


def not_in_future(day: dt.date, *, rule: str, label: str) -> dt.date:
    if day > timezone.localdate():
        raise ValidationError(_("п. %(rule)s: дата «%(label)s» (%(day)s) ещё не наступила.")
                              % {"rule": rule, "label": label, "day": fmt_date(day)}, code="future")
    return day


def role_holders(organisation_id: int, role: str) -> list:
    """The users holding `role` in the organisation today."""
    today = timezone.localdate()
    return [a.user for a in RoleAssignment.objects.filter(organisation_id=organisation_id, role=role)
            .filter(Q(start__isnull=True) | Q(start__lte=today)).filter(Q(end__isnull=True) | Q(end__gte=today))
            .select_related("user").order_by("pk") if a.user.is_active]


def notify_user(user, *, key: str, subject: str, body: str, rule_id: str) -> None:
    """Through the outbox: the user's employee record (e-mail and SMS) or, for an account
    with no employee record, its e-mail. Sent right after the commit (the core's one way,
    as for the R11.1 result notice); the tick sends whatever that missed."""
    employee = Employee.objects.filter(user=user).first()
    if employee is not None:
        notify_employee(employee=employee, key=key, subject=subject, body=body, rule_id=rule_id)
    elif user.email:
        enqueue(key=f"{key}:email", channel="email", recipient=user.email, subject=subject, body=body, user=user,
                rule_id=rule_id)
    send_after_commit()


def run(case: CalibrationCase, name: str, *, by, **kwargs) -> CalibrationCase:
    return transitions.run_transition(case, name, by=by, refusals=transitions.Refusals(
        not_now=_("п. 38–41: действие недоступно, калибровочная сессия в состоянии «%(state)s»."),
        wrong_role=_("п. 38–41: это действие выполняет другой участник калибровочной сессии."),
        stale=_("Калибровочная сессия уже изменена другим пользователем. Обновите страницу."),
    ), **kwargs)


def lock(case: CalibrationCase) -> CalibrationCase:
    return CalibrationCase.objects.select_for_update(of=("self",)).select_related(
        "result__entry__schedule__period", "result__entry__employee__user", "result__entry__evaluator__user",
    ).get(pk=case.pk)
