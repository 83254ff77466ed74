"""Who is evaluated in a period, by which method, with or without participation, and why.

A pure function of pre-fetched facts, so that a schedule for any head count costs the same
number of queries (see appraisal.services.schedules) and the rules can be tested without a
database. Each outcome carries the rule that decided it.

Choices recorded in docs/conformance.md:
- R5.1: tenure is counted in the position held at the end of the period (or when leaving
  it), inside the period; earlier appointments to the same position add up only when
  continuous (the next starts no later than the day after the previous ends).
- R5.2: "at evaluation time" is the span in which the evaluation is actually conducted:
  from the day it opens to the R4 day. It opens the day after the period unless a chapter
  opened it on another day (a year's 360 survey may open in December: `conducted_from`,
  stored on the line by appraisal.services.absences.rejudge_participation). An absence of
  a kind R5.2 lists that overlaps it means "without participation". The line is judged
  again when the survey opens and when an absence is entered later, until it is completed.
- R5.3: while in force (D2) a social leave or temporary disability that overlaps both the
  period and the 1.07.2021–31.12.2022 window sends the person to chapter 6.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from appraisal.dates import fmt_date, lasts_at_least_months
from appraisal.deadlines import evaluation_deadline
from appraisal.models import (
    Absence,
    AbsenceKind,
    Appointment,
    EligibilityReason,
    Method,
    MethodologyEdition,
    Participation,
    Period,
    Position,
    PositionKind,
)

# The explanation of a schedule line (ScheduleEntry.reason_detail) is text of record, written in
# the language of record when the schedule is made; appraisal.record_text shows it in the
# interface language by reading it back against these messages.
IN_OFFICE = gettext_noop("в должности в периоде с %(a)s по %(b)s")
APPOINTED_LATE = gettext_noop("дата назначения %(a)s, период заканчивается %(b)s")
DISMISSED_ON = gettext_noop("дата увольнения %(d)s")
CONDUCTED = gettext_noop("оценка проводится с %(a)s по %(b)s")
LEGACY_EXPIRED = gettext_noop("п. 5.3 (глава 6) не применяется: действовал до %(d)s (%(absence)s)")
DETAIL_MESSAGES = (IN_OFFICE, APPOINTED_LATE, DISMISSED_ON, CONDUCTED, LEGACY_EXPIRED)

EVALUATED_KINDS = (PositionKind.HEAD, PositionKind.STAFF)
LEGACY_ABSENCES = (AbsenceKind.SOCIAL_LEAVE, AbsenceKind.DISABILITY)
REGULAR_RULE = {Method.KCI: "R21", Method.RANKING: "R28", Method.SURVEY360: "R33"}


@dataclass
class PersonFacts:
    appointments: list[Appointment]
    absences: list[Absence] = field(default_factory=list)


@dataclass(frozen=True)
class Assessment:
    appointment: Appointment
    method: str
    participation: str
    reason: str
    rule_id: str
    detail: str = ""

    @property
    def position(self) -> Position:
        return self.appointment.position


def _continuous_start(appointments: list[Appointment], chosen: Appointment) -> dt.date:
    """The start of the unbroken run of appointments to the chosen position ending in it."""
    same = sorted((a for a in appointments if a.position_id == chosen.position_id), key=lambda a: a.start)
    start = chosen.start
    for earlier in reversed([a for a in same if a.start < chosen.start]):
        if earlier.end is not None and earlier.end + dt.timedelta(days=1) >= start:
            start = min(start, earlier.start)
        else:
            break
    return start


def method_for(period: Period, position: Position) -> str:
    if not period.is_quarter:
        return Method.SURVEY360
    return Method.KCI if position.kind == PositionKind.HEAD else Method.RANKING


def conduct_window(period: Period, edition: MethodologyEdition,
                   conducted_from: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """R5.2: the days the evaluation is conducted, from its opening to the R4 day."""
    return conducted_from or period.end + dt.timedelta(days=1), evaluation_deadline(period, edition)


def assess(facts: PersonFacts, period: Period, edition: MethodologyEdition, today: dt.date,
           conducted_from: dt.date | None = None) -> Assessment | None:
    """The schedule line for one person, or None when they held no evaluated position in the period."""
    in_period = [
        a for a in facts.appointments
        if a.position.kind in EVALUATED_KINDS and a.start <= period.end and (a.end is None or a.end >= period.start)
    ]
    if not in_period:
        return None
    chosen = max(in_period, key=lambda a: a.start)
    method = method_for(period, chosen.position)
    run_start = _continuous_start(facts.appointments, chosen)
    tenure_first = max(run_start, period.start)
    tenure_last = min(chosen.end or period.end, period.end)

    def outcome(participation, reason, rule_id, detail="", method=method):
        return Assessment(chosen, method, participation, reason, rule_id, detail)

    if not lasts_at_least_months(tenure_first, tenure_last, edition.min_tenure_months):
        return outcome(
            Participation.NOT_EVALUATED, EligibilityReason.SHORT_TENURE, "R5.1",
            _(IN_OFFICE) % {"a": fmt_date(tenure_first), "b": fmt_date(tenure_last)},
            method=Method.NONE,
        )

    if method == Method.KCI and run_start > period.start and not lasts_at_least_months(
        run_start, period.end, edition.kci_min_months_left
    ):
        return outcome(
            Participation.NOT_EVALUATED, EligibilityReason.KCI_LATE_APPOINTMENT, "R22.4",
            _(APPOINTED_LATE) % {"a": fmt_date(run_start), "b": fmt_date(period.end)},
            method=Method.NONE,
        )

    participation, reason, rule_id, details = Participation.WITH, EligibilityReason.REGULAR, REGULAR_RULE[method], []

    if chosen.dismissed and chosen.end is not None and chosen.end < period.end:
        participation, reason, rule_id = Participation.WITHOUT, EligibilityReason.DISMISSED, "R6"
        details.append(_(DISMISSED_ON) % {"d": fmt_date(chosen.end)})
    else:
        window_first, window_last = conduct_window(period, edition, conducted_from)
        absent = [a for a in facts.absences if a.overlaps(window_first, window_last)]
        if absent:
            participation, reason, rule_id = Participation.WITHOUT, EligibilityReason.ABSENT, "R5.2"
            details.extend(
                f"{a.get_kind_display()} {fmt_date(a.start)}–{fmt_date(a.end)}" for a in sorted(absent, key=lambda a: a.start)
            )
            if conducted_from:
                details.append(_(CONDUCTED)
                               % {"a": fmt_date(window_first), "b": fmt_date(window_last)})

    legacy = _legacy_absences(facts, period, edition)
    if legacy and method != Method.SURVEY360:
        legacy_text = ", ".join(f"{a.get_kind_display()} {fmt_date(a.start)}–{fmt_date(a.end)}" for a in legacy)
        if edition.rule_in_force("R5.3", today):
            return outcome(participation, EligibilityReason.LEGACY, "R5.3", legacy_text, method=Method.LEGACY)
        until = edition.rule_valid_until("R5.3")
        details.append(
            _(LEGACY_EXPIRED)
            % {"d": fmt_date(until) if until else "—", "absence": legacy_text}
        )

    return outcome(participation, reason, rule_id, "; ".join(details))


def _legacy_absences(facts: PersonFacts, period: Period, edition: MethodologyEdition) -> list[Absence]:
    first, last = edition.legacy_window_start, edition.legacy_window_end
    if not first or not last or period.end < first or period.start > last:
        return []
    span_first, span_last = max(first, period.start), min(last, period.end)
    return [a for a in facts.absences if a.kind in LEGACY_ABSENCES and a.overlaps(span_first, span_last)]
