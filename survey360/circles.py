"""R35.1: who is proposed as a respondent, and who is left out and why.

The circle follows the structure (the direct supervisor, the direct subordinates, the peers
who share the supervisor), but only people at work during the collection window can answer:
a colleague on social leave, sick or on training for the whole window, or no longer employed,
is not proposed (п. 5.2 and п. 6 say such people are evaluated without their participation;
they cannot take part in others' evaluation either). The chief specialist sees each one left
out with the reason, and may still add anyone by hand.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.models import Absence, Appointment, Employee, Organisation, Period
from appraisal.selectors import appointments_overlapping, holders_by_position
from survey360.models import Campaign, RespondentSource, Subject
from survey360.selectors import CIRCLE_MAX


@dataclass(frozen=True)
class Candidate:
    employee: Employee
    source: str  # RespondentSource


@dataclass(frozen=True)
class LeftOut:
    employee: Employee
    source: str
    reason: str  # in words: «социальный отпуск 01.10.2025–31.03.2026»

    @property
    def source_label(self) -> str:
        return str(RespondentSource(self.source).label)


def collection_window(campaign: Campaign | None, deadline: dt.date) -> tuple[dt.date, dt.date]:
    """The days answers are collected: from the opening (or today, while the campaign is
    being prepared) to the R4 day."""
    first = campaign.opened_on if campaign is not None and campaign.opened_on else timezone.localdate()
    return min(first, deadline), deadline


def _short_date(day: dt.date, other: dt.date) -> str:
    return f"{day:%d.%m}" if day.year == other.year else fmt_date(day)


def _absence_words(absences: list[Absence]) -> str:
    parts = []
    for a in absences:
        parts.append(f"{a.get_kind_display()} {_short_date(a.start, a.end)}–{fmt_date(a.end)}")
    return "; ".join(parts)


def absent_whole_window(absences: list[Absence], first: dt.date, last: dt.date) -> list[Absence] | None:
    """The absences that together cover every day from `first` to `last` (one after the
    other, as a labour leave followed by a social leave), or None if some day is at work."""
    covering, day = [], first
    for absence in sorted(absences, key=lambda a: a.start):
        if absence.end < day:
            continue
        if absence.start > day:
            return None
        covering.append(absence)
        day = absence.end + dt.timedelta(days=1)
        if day > last:
            return covering
    return None


def unavailable(employee_ids: set[int], organisation: Organisation, first: dt.date,
                last: dt.date) -> dict[int, str]:
    """{employee id: why they cannot answer between `first` and `last`}, in words."""
    reasons: dict[int, str] = {}
    still_open: set[int] = set()
    latest: dict[int, Appointment] = {}
    for a in Appointment.objects.filter(employee_id__in=employee_ids, position__organisation=organisation):
        if a.end is None:
            still_open.add(a.employee_id)
        elif a.employee_id not in latest or a.end > latest[a.employee_id].end:
            latest[a.employee_id] = a
    for employee_id, a in latest.items():
        if employee_id not in still_open and a.end < first:
            reasons[employee_id] = (_("уволен(а) %(d)s (п. 6)") % {"d": fmt_date(a.end)} if a.dismissed
                                    else _("не работает с %(d)s") % {"d": fmt_date(a.end + dt.timedelta(days=1))})
    by_employee: dict[int, list[Absence]] = {}
    for absence in Absence.objects.filter(employee_id__in=employee_ids - set(reasons), start__lte=last, end__gte=first):
        by_employee.setdefault(absence.employee_id, []).append(absence)
    for employee_id, absences in by_employee.items():
        covering = absent_whole_window(absences, first, last)
        if covering:
            reasons[employee_id] = _absence_words(covering)
    return reasons


def structural_candidates(subjects: list[Subject], organisation: Organisation,
                          period: Period, only: set[int] | None = None) -> dict[int, list[Candidate]]:
    """{subject id: the people the structure names, in order}: the direct supervisor, the
    direct subordinates, then the peers who share the supervisor (R35.1), without limit.

    `only` keeps the people with these employee ids: under one head of 300 staff everyone is
    everyone's peer (90,000 candidates), while the campaign page asks only about the few who
    are away (issue 12)."""
    appointments = list(appointments_overlapping(organisation, period.start, period.end))
    holders = holders_by_position(appointments, period.end)
    if only is not None:
        holders = {position_id: e for position_id, e in holders.items() if e.pk in only}
    positions = {a.position_id: a.position for a in appointments}
    children: dict[int, list[int]] = {}
    for pos in positions.values():
        if pos.reports_to_id:
            children.setdefault(pos.reports_to_id, []).append(pos.pk)

    def held(position_ids):
        people = [holders[p] for p in position_ids if p in holders]
        return sorted(people, key=lambda e: (e.last_name, e.first_name))

    result: dict[int, list[Candidate]] = {}
    for subject in subjects:
        position = subject.entry.position
        chosen: list[Candidate] = []
        if position.reports_to_id and position.reports_to_id in holders:
            chosen.append(Candidate(holders[position.reports_to_id], RespondentSource.SUPERVISOR))
        chosen += [Candidate(e, RespondentSource.SUBORDINATE) for e in held(children.get(position.pk, []))]
        if position.reports_to_id:
            peers = [p for p in children.get(position.reports_to_id, []) if p != position.pk]
            chosen += [Candidate(e, RespondentSource.PEER) for e in held(peers)]
        seen, unique = {subject.employee_id}, []
        for candidate in chosen:
            if candidate.employee.pk not in seen:
                seen.add(candidate.employee.pk)
                unique.append(candidate)
        result[subject.pk] = unique
    return result


def propose(subjects: list[Subject], organisation: Organisation, period: Period,
            window: tuple[dt.date, dt.date]) -> dict[int, list[Candidate]]:
    """{subject id: the proposed respondents}: the structural candidates at work during
    the window, at most seven, in order."""
    candidates = structural_candidates(subjects, organisation, period)
    everyone = {c.employee.pk for people in candidates.values() for c in people}
    away = unavailable(everyone, organisation, *window)
    return {subject_id: [c for c in people if c.employee.pk not in away][:CIRCLE_MAX]
            for subject_id, people in candidates.items()}


def left_out(campaign: Campaign, subjects: list[Subject]) -> dict[int, list[LeftOut]]:
    """{subject id: the structural candidates not in the circle because they cannot answer
    during the collection window, with the reason}: shown to the chief specialist."""
    appointments = appointments_overlapping(campaign.organisation, campaign.period.start, campaign.period.end)
    everyone = set(appointments.values_list("employee_id", flat=True))
    away = unavailable(everyone, campaign.organisation, *collection_window(campaign, campaign.deadline))
    if not away:
        return {s.pk: [] for s in subjects}
    candidates = structural_candidates(subjects, campaign.organisation, campaign.period, only=set(away))
    in_circle = {s.pk: {r.employee_id for r in s.respondents.all()} for s in subjects}
    return {
        subject_id: [LeftOut(c.employee, c.source, away[c.employee.pk]) for c in people
                     if c.employee.pk in away and c.employee.pk not in in_circle.get(subject_id, ())]
        for subject_id, people in candidates.items()
    }
