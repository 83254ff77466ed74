"""Chapter 6, R54–R64 (and D2): the Commission, its meetings, the open vote and the approval.

Each service checks its rule and refuses with a Russian message naming it, inside one
transaction, so a refusal changes nothing already saved.

Choices (docs/conformance.md «Choices recorded»):
- R55: the composition counted for the quorum is the chairman and the members; the
  secretary (R59) does not vote and is not counted. The chairman must be present to open
  the meeting (an absent chairman is replaced first, R56), since his vote breaks a tie.
- R58: «большинством голосов членов Комиссии» — more than half of the votes of the members
  present (every one of them votes on every item); at an equal split between two results the
  chairman's vote decides; when votes scatter and no result has a majority, no revision was
  decided and the submitted result stands.
- R54: «за три рабочих дня» — the meeting is no earlier than the third working day counted
  from the day after the notice (the scheduling day).
- R60: a meeting is opened on its agreed date, not before and not after.
- D2: a meeting may take only sheets whose procedure (the plan) started while chapter 6 was
  in force; a Commission is created after 31.08.2023 only to finish such procedures.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.dates import fmt_date
from appraisal.editions import edition_for_entry, edition_on
from appraisal.models import Employee, Organisation, Role
from appraisal.notifications.outbox import notify_employee
from appraisal.scoring import Gradation
from appraisal.services.acknowledgement import start_again_after_reevaluation
from appraisal.services.results import adjust_result, record_gradation
from appraisal.transitions import Refusals, run_transition
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import (
    AgendaItem,
    Commission,
    CommissionAmendment,
    CommissionMeeting,
    CommissionMember,
    ItemDecision,
    LegacyPlan,
    LegacySheet,
    LegacySheetState,
    MeetingAttendance,
    MeetingState,
    MemberRole,
    Vote,
)
from legacy_commission.models.commission import VOTING_ROLES
from legacy_commission.services.plans import CHAPTER_RULE, chapter6_in_force, clean_text

NOTICE_WORKING_DAYS = 3  # R54
MIN_VOTING = 3  # choice: a chairman and at least two members, so that a majority means something


_TEXT_RULES = {"name": "п. 56", "order_reference": "п. 56", "basis": "п. 56", "place": "п. 54"}


def _text(value, *, field: str, model, required: str) -> str:
    """Within the column, never cut; a refusal names the rule the field serves and the field."""
    label = str(model._meta.get_field(field).verbose_name)
    return clean_text(value, field=field, limit=model._meta.get_field(field), rule=_TEXT_RULES[field],
                      label=label[:1].upper() + label[1:], required=required)


def _refuse_not_role(user, organisation_id: int, role: str, message: str) -> None:
    if not roles.has_role(user, organisation_id, role):
        raise PermissionDenied(message)


def _d2_message(edition) -> str:
    until = edition.rule_valid_until(CHAPTER_RULE)
    return _("п. 2 решения маслихата № %(n)s: глава 6 Методики действовала по %(d)s включительно; новое по "
             "главе 6 не начинается — завершаются только процедуры, начатые до этой даты.") % {
        "n": edition.decision_number, "d": fmt_date(until) if until else "—"}


def procedure_started_in_force(plan: LegacyPlan) -> bool:
    """D2: the procedure started (its plan was created) while chapter 6 was in force."""
    return chapter6_in_force(plan.entry, timezone.localdate(plan.created_at))


# --- the composition (R55, R56, R59) ------------------------------------------------------


def active_members(commission: Commission) -> list[CommissionMember]:
    return list(commission.members.filter(active=True).select_related("employee__user").order_by("role", "pk"))


@transaction.atomic
def create_commission(*, organisation: Organisation, name: str, order_reference: str, chairman: Employee,
                      members: list[Employee], secretary: Employee, by) -> Commission:
    """The authorised person's order creates the Commission: chairman, members, and the chief
    specialist as secretary (R59)."""
    _refuse_not_role(by, organisation.pk, Role.APPOINTING_OFFICIAL,
                     _("п. 56: состав Комиссии определяет уполномоченное лицо."))
    today = timezone.localdate()
    edition = edition_on(today, organisation)
    if not edition.rule_in_force(CHAPTER_RULE, today) and not LegacyPlan.objects.filter(
            entry__schedule__organisation=organisation).exists():
        raise ValidationError(_d2_message(edition), code="d2_expired")
    name = _text(name, field="name", model=Commission, required=_("Укажите наименование Комиссии."))
    order_reference = _text(order_reference, field="order_reference", model=Commission,
                            required=_("п. 56: укажите распоряжение о создании Комиссии (номер и дата)."))
    people = [chairman, *members, secretary]
    if any(p.organisation_id != organisation.pk for p in people):
        raise ValidationError(_("В состав Комиссии включаются служащие этого государственного органа."))
    if len({p.pk for p in people}) != len(people):
        raise ValidationError(_("Один служащий занимает в составе Комиссии одно место."))
    if 1 + len(members) < MIN_VOTING:
        raise ValidationError(_("п. 55: в составе Комиссии председатель и не менее двух членов."))
    if not (secretary.user_id and roles.has_role(secretary.user, organisation.pk, Role.CHIEF_SPECIALIST)):
        raise ValidationError(_("п. 59: секретарём Комиссии является главный специалист."))
    commission = Commission.objects.create(organisation=organisation, name=name, order_reference=order_reference,
                                           created_by=by)
    CommissionMember.objects.create(commission=commission, employee=chairman, role=MemberRole.CHAIRMAN)
    for member in members:
        CommissionMember.objects.create(commission=commission, employee=member, role=MemberRole.MEMBER)
    CommissionMember.objects.create(commission=commission, employee=secretary, role=MemberRole.SECRETARY)
    return commission


@transaction.atomic
def replace_member(*, member: CommissionMember, replacement: Employee, decided_on: dt.date, basis: str,
                   by) -> CommissionAmendment:
    """R56: an absent member or chairman is replaced by the authorised person's decision, an
    amendment of the order; the old place is kept (inactive), history keeps every step."""
    member = CommissionMember.objects.select_for_update().select_related("commission").get(pk=member.pk)
    commission = member.commission
    _refuse_not_role(by, commission.organisation_id, Role.APPOINTING_OFFICIAL,
                     _("п. 56: замену в составе Комиссии производит уполномоченное лицо."))
    basis = _text(basis, field="basis", model=CommissionAmendment,
                  required=_("п. 56: укажите основание — изменение распоряжения о создании Комиссии (номер и дата)."))
    if not isinstance(decided_on, dt.date) or isinstance(decided_on, dt.datetime):
        raise ValidationError(_("п. 56: укажите дату решения уполномоченного лица."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("п. 56: дата решения не может быть позже сегодняшнего дня."))
    if not member.active:
        raise ValidationError(_("п. 56: этот член Комиссии уже выведен из состава."))
    if replacement.organisation_id != commission.organisation_id:
        raise ValidationError(_("В состав Комиссии включаются служащие этого государственного органа."))
    if commission.members.filter(active=True, employee=replacement).exists():
        raise ValidationError(_("п. 56: %(who)s уже в составе Комиссии.") % {"who": replacement})
    if member.role == MemberRole.SECRETARY and not (
            replacement.user_id and roles.has_role(replacement.user, commission.organisation_id, Role.CHIEF_SPECIALIST)):
        raise ValidationError(_("п. 59: секретарём Комиссии является главный специалист."))
    if commission.meetings.filter(state=MeetingState.OPEN).exists():
        raise ValidationError(_("п. 56: идёт заседание Комиссии; состав изменяется до открытия заседания."))
    member.active, member.removed_at = False, timezone.now()
    member._history_user = by
    member.save(update_fields=["active", "removed_at"])
    new = CommissionMember(commission=commission, employee=replacement, role=member.role)
    new._history_user = by
    new.save()
    return CommissionAmendment.objects.create(commission=commission, replaced=member, replacement=new,
                                              decided_by=by, decided_on=decided_on, basis=basis)


# --- scheduling (R54, R61, D2) ----------------------------------------------------------


def earliest_meeting_date(today: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """R54: notified today, the meeting is no earlier than three working days on."""
    return (calendar or WorkingCalendar.load()).add_working_days(today, NOTICE_WORKING_DAYS)


def sheets_awaiting(organisation: Organisation):
    """R53, R61: sheets submitted to the Commission and not yet on a meeting since."""
    sheets = (LegacySheet.objects.filter(state=LegacySheetState.SUBMITTED,
                                         plan__entry__schedule__organisation=organisation)
              .select_related("plan__entry__employee", "plan__entry__schedule__period", "plan__entry__evaluator",
                              "plan__higher_supervisor")
              .prefetch_related("lines", "agenda_items__meeting"))
    return [s for s in sheets if not _on_meeting_since_submission(s)]


def _on_meeting_since_submission(sheet: LegacySheet) -> bool:
    return any(item.meeting.scheduled_at >= sheet.submitted_at for item in sheet.agenda_items.all())


def _refuse_meeting_date(date) -> None:
    """R54: a date, and no earlier than three working days after today's notice."""
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ValidationError(_("п. 54: укажите дату заседания."))
    earliest = earliest_meeting_date(timezone.localdate())
    if date < earliest:
        raise ValidationError(
            _("п. 54: лица, осуществляющие оценку, уведомляются о заседании за три рабочих дня; назначенное сегодня "
              "заседание — не ранее %(d)s.") % {"d": fmt_date(earliest)}, code="too_soon")


def _agreeing_chairman(commission: Commission) -> CommissionMember:
    """R54: the Commission's chairman, with whom the meeting is agreed."""
    chairman = commission.members.filter(active=True, role=MemberRole.CHAIRMAN).select_related("employee").first()
    if chairman is None:
        raise ValidationError(_("п. 54: у Комиссии нет председателя, с которым согласуется заседание."))
    return chairman


@transaction.atomic
def schedule_meeting(*, commission: Commission, date: dt.date, place: str, sheets: list[LegacySheet],
                     by) -> CommissionMeeting:
    """R54: the chief specialist schedules the meeting, agreed with the Commission's chairman,
    and the evaluators are notified three working days ahead; R61: the submitted sheets are
    on its agenda (the draft protocol follows from them)."""
    _refuse_not_role(by, commission.organisation_id, Role.CHIEF_SPECIALIST,
                     _("п. 54: заседание назначает главный специалист."))
    place = _text(place, field="place", model=CommissionMeeting, required=_("п. 54: укажите место заседания."))
    _refuse_meeting_date(date)
    chairman = _agreeing_chairman(commission)
    if not sheets:
        raise ValidationError(_("п. 61: на заседание выносятся заполненные оценочные листы — выберите хотя бы один."))
    ids = {s.pk for s in sheets}
    locked = list(LegacySheet.objects.select_for_update(of=("self",)).filter(pk__in=ids)
                  .select_related("plan__entry__schedule__period", "plan__entry__employee", "plan__entry__evaluator",
                                  "plan__higher_supervisor")
                  .prefetch_related("lines", "agenda_items__meeting").order_by("pk"))
    for sheet in locked:
        entry = sheet.plan.entry
        if entry.schedule.organisation_id != commission.organisation_id or sheet.state != LegacySheetState.SUBMITTED:
            raise ValidationError(_("п. 53: лист %(who)s не вынесен на рассмотрение Комиссии.")
                                  % {"who": entry.employee})
        if _on_meeting_since_submission(sheet):
            raise ValidationError(_("п. 61: лист %(who)s уже в повестке другого заседания.") % {"who": entry.employee})
        if not procedure_started_in_force(sheet.plan):
            raise ValidationError(_d2_message(edition_for_entry(entry)), code="d2_expired")
        if sheet.gradation is None:
            raise ValidationError(_("п. 48: лист %(who)s заполнен не полностью.") % {"who": entry.employee})
    meeting = CommissionMeeting.objects.create(commission=commission, date=date, place=place,
                                               agreed_with=chairman.employee, scheduled_by=by)
    for sheet in locked:
        AgendaItem.objects.create(meeting=meeting, sheet=sheet, submitted_gradation=sheet.gradation)
    _notify_meeting(meeting, locked)
    return meeting


@transaction.atomic
def reschedule_meeting(*, meeting: CommissionMeeting, date: dt.date, place: str, by) -> CommissionMeeting:
    """R54, R60: a meeting not held on its day is moved (agreed again with the chairman), and
    the evaluators are notified again three working days ahead; the agenda stays."""
    current = _lock_meeting(meeting)
    _refuse_not_role(by, current.commission.organisation_id, Role.CHIEF_SPECIALIST,
                     _("п. 54: заседание назначает главный специалист."))
    if current.state != MeetingState.SCHEDULED or meeting.state != MeetingState.SCHEDULED:
        raise ValidationError(_("п. 60: заседание уже проводится или проведено; дата не переносится."))
    place = _text(place, field="place", model=CommissionMeeting, required=_("п. 54: укажите место заседания."))
    _refuse_meeting_date(date)
    current.date, current.place, current.agreed_with = date, place, _agreeing_chairman(current.commission).employee
    current._history_user = by
    current.save(update_fields=["date", "place", "agreed_with"])
    sheets = [item.sheet for item in current.items.select_related("sheet__plan__entry__evaluator",
                                                                  "sheet__plan__higher_supervisor")]
    _notify_meeting(current, sheets)
    return current


def _notify_meeting(meeting: CommissionMeeting, sheets: list[LegacySheet]) -> None:
    """R54: the evaluators (direct and higher supervisor) of each sheet, and the Commission's
    members, learn the date and place; no result is in the notice."""
    subject = _("Заседание Комиссии %(d)s") % {"d": fmt_date(meeting.date)}
    recipients: dict[int, Employee] = {}
    for sheet in sheets:
        for person in (sheet.plan.entry.evaluator, sheet.plan.higher_supervisor):
            if person is not None:
                recipients[person.pk] = person
    for member in active_members(meeting.commission):
        recipients[member.employee_id] = member.employee
    body = _("Заседание Комиссии по рассмотрению результатов оценки (глава 6 Методики) состоится %(d)s, место: "
             "%(p)s. Оценочных листов в повестке: %(n)s (п. 54 Методики).") % {
        "d": fmt_date(meeting.date), "p": meeting.place, "n": len(sheets)}
    for person in recipients.values():
        # one notice per person and date: a moved meeting is announced again
        notify_employee(employee=person, key=f"R54:{meeting.pk}:{meeting.date:%Y%m%d}:{person.pk}", subject=subject,
                        body=body, rule_id="R54")


# --- the meeting (R55, R57–R60) ----------------------------------------------------------


def quorum(present: int, composition: int) -> bool:
    """R55: at least two thirds of the composition present."""
    return composition > 0 and 3 * present >= 2 * composition


def _run(meeting: CommissionMeeting, name: str, *, by, rule: str, who: str) -> CommissionMeeting:
    """A meeting transition; a refusal names the rule that the meeting's state stands for
    (no open meeting — no decisions, R55; no decisions yet — nothing to approve, R64)."""
    return run_transition(meeting, name, by=by, refusals=Refusals(
        not_now=_("п. %(rule)s: действие недоступно — заседание в состоянии «%%(state)s».") % {"rule": rule},
        wrong_role=who,
        stale=_("Заседание уже изменено другим пользователем. Обновите страницу — ваши данные не сохранены, "
                "сохранённые ранее не изменены."),
    ))


def _lock_meeting(meeting: CommissionMeeting) -> CommissionMeeting:
    return CommissionMeeting.objects.select_for_update(of=("self",)).select_related("commission").get(pk=meeting.pk)


@transaction.atomic
def open_meeting(*, meeting: CommissionMeeting, present: list[int], by) -> CommissionMeeting:
    """R60: held on the agreed date; R55: the attendance shows a quorum of two thirds, or the
    meeting is not open and nothing is saved. `present`: ids of CommissionMember rows."""
    current = _lock_meeting(meeting)
    _refuse_not_role(by, current.commission.organisation_id, Role.CHIEF_SPECIALIST,
                     _("п. 60: заседание проводит главный специалист (секретарь Комиссии)."))
    today = timezone.localdate()
    if current.state == MeetingState.SCHEDULED and today != current.date:
        raise ValidationError(_("п. 60: заседание проводится в согласованный с председателем день — %(d)s.")
                              % {"d": fmt_date(current.date)})
    members = active_members(current.commission)
    present_ids = {int(pk) for pk in present}
    unknown = present_ids - {m.pk for m in members}
    if unknown:
        raise ValidationError(_("п. 55: отмечены лица, не входящие в состав Комиссии."))
    voting = [m for m in members if m.role in VOTING_ROLES]
    here = [m for m in voting if m.pk in present_ids]
    if not quorum(len(here), len(voting)):
        raise ValidationError(
            _("п. 55: заседание правомочно при участии не менее двух третей состава Комиссии; присутствуют %(p)s "
              "из %(n)s — решения не принимаются.") % {"p": len(here), "n": len(voting)}, code="no_quorum")
    if not any(m.role == MemberRole.CHAIRMAN for m in here):
        raise ValidationError(_("п. 56: председатель Комиссии отсутствует — замените его решением уполномоченного "
                                "лица до открытия заседания."), code="no_chairman")
    _run(meeting, "open", by=by, rule="60", who=_("п. 60: заседание проводит главный специалист (секретарь Комиссии)."))
    for member in members:
        MeetingAttendance.objects.create(meeting=meeting, member=member, present=member.pk in present_ids)
    return meeting


def voter_for(meeting: CommissionMeeting, user) -> CommissionMember | None:
    """The member of this meeting's Commission the user is (any role), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (meeting.commission.members.filter(active=True, employee__user=user).select_related("employee").first())


@transaction.atomic
def cast_vote(*, item: AgendaItem, by, choice: str, gradation: str | None = None) -> Vote:
    """R57: an open vote of a member present — approve the result, or revise it to another
    gradation (R62, R63). The secretary does not vote (R59); nobody votes twice."""
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting__commission").get(pk=item.pk)
    meeting = item.meeting
    member = voter_for(meeting, by)
    if member is None:
        raise PermissionDenied(_("п. 57: голосуют только члены Комиссии."))
    if member.role == MemberRole.SECRETARY:
        raise PermissionDenied(_("п. 59: секретарь Комиссии не принимает участия в голосовании."))
    if meeting.state != MeetingState.OPEN:
        raise ValidationError(_("п. 55: заседание не открыто (нет подтверждённого кворума) — голосование не "
                                "проводится; сейчас: «%(s)s».") % {"s": meeting.get_state_display()},
                              code="not_open")
    if not MeetingAttendance.objects.filter(meeting=meeting, member=member, present=True).exists():
        raise PermissionDenied(_("п. 57: голосуют члены Комиссии, присутствующие на заседании."))
    if choice == ItemDecision.APPROVE:
        gradation = item.submitted_gradation
    elif choice == ItemDecision.REVISE:
        if gradation not in Gradation.values:
            raise ValidationError(_("п. 63: при пересмотре укажите скорректированный результат оценки."))
        if gradation == item.submitted_gradation:
            raise ValidationError(_("п. 63: скорректированный результат совпадает с результатом оценки — "
                                    "голосуйте «утвердить»."))
    else:
        raise ValidationError(_("п. 62: решение — утвердить или пересмотреть результаты оценки."))
    if Vote.objects.filter(item=item, member=member).exists():
        raise ValidationError(_("п. 57: вы уже проголосовали по этому вопросу; голос не изменяется."),
                              code="twice")
    try:
        with transaction.atomic():
            return Vote.objects.create(item=item, member=member, choice=choice, gradation=gradation)
    except IntegrityError:  # a second request of the same member at the same moment
        raise ValidationError(_("п. 57: вы уже проголосовали по этому вопросу; голос не изменяется."),
                              code="twice") from None


@dataclass(frozen=True)
class Tally:
    decision: str
    gradation: str  # the result decided (the submitted one when approved)
    by_chairman: bool


def tally(submitted: str, votes: list[tuple[str, bool]]) -> Tally:
    """R58 on (gradation voted for, is the chairman) pairs: more than half of the votes cast
    decides; an equal split between two results is decided by the chairman's vote; votes that
    scatter with no majority decide no revision, and the submitted result stands."""
    if not votes:
        raise ValueError("no votes")
    counts = Counter(g for g, _is_chairman in votes)
    total = len(votes)
    winner, by_chairman = None, False
    for gradation, count in counts.items():
        if 2 * count > total:
            winner = gradation
    if winner is None:
        top = max(counts.values())
        leaders = [g for g, c in counts.items() if c == top]
        chairman_choice = next((g for g, is_chairman in votes if is_chairman), None)
        if len(leaders) == 2 and 2 * top == total and chairman_choice in leaders:
            winner, by_chairman = chairman_choice, True
        else:
            winner = submitted
    decision = ItemDecision.APPROVE if winner == submitted else ItemDecision.REVISE
    return Tally(decision, winner, by_chairman)


@transaction.atomic
def close_voting(*, meeting: CommissionMeeting, by) -> CommissionMeeting:
    """R58: every member present has voted on every item; the decisions are computed and
    written in the protocol, a revision in the column of R63."""
    current = _lock_meeting(meeting)
    _refuse_not_role(by, current.commission.organisation_id, Role.CHIEF_SPECIALIST,
                     _("п. 59: итоги голосования подводит секретарь Комиссии."))
    present = list(MeetingAttendance.objects.filter(meeting=current, present=True, member__role__in=VOTING_ROLES)
                   .select_related("member__employee"))
    items = list(current.items.select_related("sheet__plan__entry__employee").prefetch_related("votes"))
    for item in items:
        voted = {v.member_id for v in item.votes.all()}
        missing = [a.member.employee.short_name for a in present if a.member_id not in voted]
        if missing:
            raise ValidationError(_("п. 57: по вопросу «%(who)s» не проголосовали: %(m)s.")
                                  % {"who": item.sheet.plan.entry.employee, "m": ", ".join(missing)})
    chairman_ids = {a.member_id for a in present if a.member.role == MemberRole.CHAIRMAN}
    _run(meeting, "close_voting", by=by, rule="55",
         who=_("п. 59: итоги голосования подводит секретарь Комиссии."))
    for item in items:
        outcome = tally(item.submitted_gradation, [(v.gradation, v.member_id in chairman_ids) for v in item.votes.all()])
        item.decision, item.decided_by_chairman = outcome.decision, outcome.by_chairman
        item.corrected_gradation = outcome.gradation if outcome.decision == ItemDecision.REVISE else ""
        item._history_user = by
        item.save(update_fields=["decision", "decided_by_chairman", "corrected_gradation"])
    return meeting


def protocol_basis(meeting: CommissionMeeting) -> str:
    return _("протокол заседания Комиссии от %(d)s") % {"d": fmt_date(meeting.date)}


@transaction.atomic
def approve_results(*, meeting: CommissionMeeting, by) -> CommissionMeeting:
    """R64: the authorised person approves the results; each is recorded as the person's
    result (R48 gradation), a revision through adjust_result with the protocol as basis, so
    that the submitted result stays beside it. Recording the result tells the person (R65,
    appraisal.services.acknowledgement)."""
    _run(meeting, "approve", by=by, rule="64", who=_("п. 64: результаты оценки утверждает уполномоченное лицо."))
    basis = protocol_basis(meeting)
    for item in meeting.items.select_related("sheet__plan__entry__schedule", "sheet__plan__entry__employee"):
        entry = item.sheet.plan.entry
        existing = getattr(entry, "result", None)
        if existing is None:
            result = record_gradation(entry=entry, gradation=item.submitted_gradation, completed_at=meeting.approved_at)
            if item.corrected_gradation:
                result = adjust_result(result=result, gradation=item.corrected_gradation, basis=basis,
                                       at=meeting.approved_at)
        else:  # a re-evaluation after an appeal (R67): the earlier result stays as the original
            result = adjust_result(result=existing, gradation=item.final_gradation, basis=basis,
                                   at=meeting.approved_at)
            # A new evaluation, completed by this approval: the person is acquainted with it
            # again within two working days of it (R65) — the earlier acknowledgement goes to
            # history and a new notice is queued by the core, as for any re-evaluation.
            result.completed_at = meeting.approved_at
            result.save(update_fields=["completed_at"])
            start_again_after_reevaluation(result)
        item.result = result
        item._history_user = by
        item.save(update_fields=["result"])
    return meeting
