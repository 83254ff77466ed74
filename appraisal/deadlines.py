"""The deadlines the rules set for a period, each with its rule id and actual date.

Calendar-date deadlines (the 5th, the 10th) stay on their date even when it is a day off:
the Методика says «не позднее десятого числа» and does not move it (recorded in
docs/conformance.md, WD). Working-day deadlines use appraisal.workdays.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appraisal.dates import day_of_month, fmt_date
from appraisal.languages import rule_citation
from appraisal.models import MethodologyEdition, Period
from appraisal.workdays import WorkingCalendar


@dataclass(frozen=True)
class Deadline:
    rule_id: str
    label: str
    date: dt.date | None  # None: counted from an event that has not happened yet
    basis: str  # how the date is counted, in words

    @property
    def rule_label(self) -> str:
        return rule_citation(self.rule_id.removeprefix("R"))


def evaluation_deadline(period: Period, edition: MethodologyEdition) -> dt.date:
    """R4: the last day of evaluation, the 10th of the month after the quarter or year."""
    year, month = period.month_after
    day = edition.quarter_deadline_day if period.is_quarter else edition.year_deadline_day
    return day_of_month(year, month, day)


def head_notice_deadline(period: Period, edition: MethodologyEdition) -> dt.date:
    """R26: the head is notified of the coming evaluation by the 5th of the month after."""
    year, month = period.month_after
    return day_of_month(year, month, edition.head_notice_day)


def staff_notice_deadline(period: Period, edition: MethodologyEdition) -> dt.date:
    """R30: each staff member is notified by the 10th of the month after the quarter."""
    year, month = period.month_after
    return day_of_month(year, month, edition.staff_notice_day)


def kci_plan_deadline(period: Period, edition: MethodologyEdition, calendar: WorkingCalendar,
                      appointed_on: dt.date | None = None) -> dt.date:
    """R22.1 / R22.2: ten working days after the period's start, or after the appointment
    when the head was appointed after the period started."""
    event = appointed_on if appointed_on and appointed_on > period.start else period.start
    return calendar.add_working_days(event, edition.kci_plan_working_days)


def preliminary_calculation_deadline(period: Period, edition: MethodologyEdition,
                                     calendar: WorkingCalendar) -> dt.date:
    """R22.6: five working days before the R4 day."""
    return calendar.working_days_before(evaluation_deadline(period, edition), edition.preliminary_working_days_before)


def period_deadlines(period: Period, edition: MethodologyEdition, calendar: WorkingCalendar) -> list[Deadline]:
    r4 = evaluation_deadline(period, edition)
    if not period.is_quarter:
        return [
            Deadline("R4", _("Оценка методом 360 за год"), r4,
                     _("не позднее %(d)s-го числа месяца, следующего за годом") % {"d": edition.year_deadline_day}),
            Deadline("R11.1", _("Ознакомление с результатами"), None,
                     _("в течение %(n)s рабочих дней со дня завершения оценки") % {"n": edition.acquaintance_working_days}),
        ]
    deadlines = [
        Deadline("R22.1", _("КЦИ руководителя аппарата установлены в индивидуальном плане"),
                 kci_plan_deadline(period, edition, calendar),
                 _("в течение %(n)s рабочих дней после начала периода") % {"n": edition.kci_plan_working_days}),
        Deadline("R22.2", _("КЦИ при назначении после начала периода"), None,
                 _("в течение %(n)s рабочих дней со дня назначения") % {"n": edition.kci_plan_working_days}),
        Deadline("R22.3", _("Размещение индивидуального плана в системе"), None,
                 _("в течение %(n)s рабочих дней со дня утверждения КЦИ") % {"n": edition.kci_posting_working_days}),
        Deadline("R26", _("Уведомление руководителя аппарата о проведении оценки"),
                 head_notice_deadline(period, edition),
                 _("не позднее %(d)s-го числа месяца, следующего за кварталом") % {"d": edition.head_notice_day}),
        Deadline("R22.6", _("Предварительный расчёт фактических значений КЦИ направлен оценивающему"),
                 preliminary_calculation_deadline(period, edition, calendar),
                 _("не позднее %(n)s рабочих дней до последнего дня оценки")
                 % {"n": edition.preliminary_working_days_before}),
        Deadline("R30", _("Уведомление служащих корпуса «Б» о проведении оценки"),
                 staff_notice_deadline(period, edition),
                 _("не позднее %(d)s-го числа месяца, следующего за кварталом") % {"d": edition.staff_notice_day}),
        Deadline("R4", _("Последний день оценки по КЦИ и методом ранжирования"), r4,
                 _("не позднее %(d)s-го числа месяца, следующего за кварталом") % {"d": edition.quarter_deadline_day}),
        Deadline("R11.1", _("Ознакомление с результатами"), None,
                 _("в течение %(n)s рабочих дней со дня завершения оценки") % {"n": edition.acquaintance_working_days}),
        Deadline("R12", _("Заявление о калибровочной сессии"), None,
                 _("в течение %(n)s рабочих дней со дня ознакомления")
                 % {"n": edition.calibration_application_working_days}),
    ]
    return sorted(deadlines, key=lambda d: (d.date is None, d.date or dt.date.max))


def refuse_before_period_end(period: Period, today: dt.date) -> None:
    """R4: a period is evaluated after it ends — a final score sheet is refused until the day
    after the period's last day (drafts may still be saved)."""
    first_day = period.end + dt.timedelta(days=1)
    if today < first_day:
        raise ValidationError(
            _("п. 4: оценка за период проводится после его окончания — не ранее %(d)s.")
            % {"d": fmt_date(first_day)}, code="period_not_ended",
        )
