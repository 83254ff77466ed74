"""Demo of the Commission's side of chapter 6 (R54–R68), after the plans and sheets of
`legacy_commission.demo.build_plans`: the 2022 social-leave case carried to the end, each
step on the day it would have happened (chapter 6 was in force, D2).

- The day after the sheet's submission (R53) the authorised person (the official with the
  right of appointment on that day) forms the Commission: the lawyer as its chairman, three
  members, the chief specialist as the non-voting secretary (R59); the chief specialist
  schedules the meeting on the third working day and the evaluators are notified (R54).
- At the meeting all four members are present (R55) and vote openly (R57): on the first
  sheet two for a revision one step up, two for approval — the chairman's vote decides the
  tie (R58) and the revision goes to the correction column (R63).
- The next working day the authorised person approves the results (R64); the employee, on
  social leave, is told by telephonogram (R65, R66); she appeals to the territorial
  department within ten working days and the result stands (R67).
"""

import datetime as dt

from django.utils import timezone

from appraisal.demo import _on
from appraisal.models import AcknowledgementChannel, Employee, Role, RoleAssignment
from appraisal.scoring import Gradation
from appraisal.services.acknowledgement import record_notice
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import AppealBody, AppealOutcome, CommissionMeeting, LegacySheet
from legacy_commission.services import appeals
from legacy_commission.services import commission as services

PLACE = "зал заседаний Акжарского районного маслихата, с. Талшик, ул. Целинная, 15"
# A revision one step up (the Commission found the evidence of one more KCI convincing),
# or one step down from «effective».
REVISION = {Gradation.UNSATISFACTORY: Gradation.SATISFACTORY, Gradation.SATISFACTORY: Gradation.PROPER,
            Gradation.PROPER: Gradation.EFFECTIVE, Gradation.EFFECTIVE: Gradation.PROPER}


def _people(organisation) -> dict[str, Employee]:
    return {e.user.username: e for e in Employee.objects.filter(organisation=organisation, user__isnull=False)
            .select_related("user")}


def _authorised_on(organisation, day: dt.date):
    """The holder of the appointing official's role on `day` (the authorised person, R56, R64)."""
    for assignment in RoleAssignment.objects.filter(organisation=organisation, role=Role.APPOINTING_OFFICIAL) \
            .select_related("user").order_by("start", "pk"):
        if (assignment.start is None or assignment.start <= day) and (assignment.end is None or day <= assignment.end):
            return assignment.user
    raise ValueError(f"no appointing official on {day}")


def build_commission(sheets: list[LegacySheet]) -> CommissionMeeting | None:
    """R54–R67 for `sheets` (submitted to the Commission, R53). Returns the meeting."""
    sheets = [s for s in sheets if s is not None]
    if not sheets:
        return None
    organisation = sheets[0].plan.entry.schedule.organisation
    people = _people(organisation)
    chief = people["chief"].user
    calendar = WorkingCalendar.load()
    formed_on = calendar.add_working_days(max(timezone.localdate(s.submitted_at) for s in sheets), 1)
    authorised = _authorised_on(organisation, formed_on)
    with _on(formed_on, hour=10):
        commission = services.create_commission(
            organisation=organisation,
            name="Комиссия по рассмотрению результатов оценки деятельности административных государственных "
                 "служащих корпуса «Б» (глава 6 Методики)",
            order_reference=f"распоряжение председателя маслихата № 6 от {formed_on:%d.%m.%Y}",
            chairman=people["staff2"], members=[people["staff1"], people["staff3"], people["staff6"]],
            secretary=people["chief"], by=authorised)
    with _on(formed_on, hour=15):
        meeting_day = services.earliest_meeting_date(formed_on, calendar)
        meeting = services.schedule_meeting(commission=commission, date=meeting_day, place=PLACE, sheets=sheets,
                                            by=chief)
    members = {m.employee.user.username: m for m in services.active_members(commission)}
    voters = [members[k] for k in ("staff2", "staff1", "staff3", "staff6")]
    with _on(meeting_day, hour=10):
        services.open_meeting(meeting=meeting, present=[m.pk for m in members.values()], by=chief)
    for index, item in enumerate(meeting.items.order_by("pk")):
        revised = REVISION[item.submitted_gradation]
        for position, member in enumerate(voters):
            # the first item: the chairman and one member for the revision, two for approval — a tie
            revise = index == 0 and position in (0, 3)
            with _on(meeting_day, hour=11):
                services.cast_vote(item=item, by=member.employee.user, choice="revise" if revise else "approve",
                                   gradation=revised if revise else None)
    with _on(meeting_day, hour=12):
        services.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=chief)
    approved_on = calendar.add_working_days(meeting_day, 1)
    with _on(approved_on, hour=15):
        services.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk),
                                 by=_authorised_on(organisation, approved_on))
    first = meeting.items.select_related("sheet__plan__entry__employee__user", "result").order_by("pk").first()
    noticed_on = calendar.add_working_days(approved_on, 1)
    with _on(noticed_on, hour=10):  # R65, R66: on social leave — a telephonogram, its number the proof
        record_notice(result=first.result, by=chief, channel=AcknowledgementChannel.TELEPHONOGRAM,
                      date=noticed_on, reference=f"телефонограмма № 41 от {noticed_on:%d.%m.%Y}")
    filed_on = calendar.add_working_days(meeting_day, 7)
    with _on(filed_on, hour=16):  # R67: within ten working days of the decision
        appeal = appeals.file_appeal(
            item=first, body=AppealBody.TERRITORIAL, filed_on=filed_on, by=chief,
            body_name="Департамент Агентства Республики Казахстан по делам государственной службы по "
                      "Северо-Казахстанской области", reference=f"вх. № 3-14/{filed_on:%d%m}")
    decided_on = calendar.add_working_days(filed_on, 12)
    with _on(decided_on, hour=11):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.STANDS, outcome_on=decided_on,
                               outcome_reference=f"письмо Департамента № 3-14/912 от {decided_on:%d.%m.%Y}",
                               by=chief)
    return CommissionMeeting.objects.get(pk=meeting.pk)
