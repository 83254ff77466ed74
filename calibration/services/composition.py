"""R38–R40: the appointing official decides to hold the session and approves its
composition; the participants get the date and place (with an .ics invitation).

R38's three working days are flagged, not refused, when passed (as the KCI deadlines are):
the application stands and the session must still be held. R39's ten working days are a
hard limit on the session date: a later date is refused.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.models import Appointment, Employee, Role
from calibration.models import (
    COMPOSITION_WORKING_DAYS,
    PLACE_MAX,
    SESSION_WORKING_DAYS,
    CalibrationCase,
    Participant,
    ParticipantRole,
)
from calibration.services.common import clean_date, clean_text, lock, notify_user, role_holders, run

MIN_PARTICIPANTS = 3  # a majority vote needs a panel: the evaluator, the organiser and at least one more


def invitation_key(participant: Participant) -> str:
    return f"R39:case:{participant.case_id}:invite:{participant.pk}"


def _clean_time(value) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%H:%M").time()
    except ValueError:
        raise ValidationError(_("п. 39: время сессии — чч:мм."), code="bad_time") from None


def _serving_on(organisation_id: int, day: dt.date):
    return Exists(Appointment.objects.filter(employee=OuterRef("pk"), position__organisation_id=organisation_id,
                                             start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day)))


def eligible_members(organisation_id: int, *days: dt.date):
    """Who may be chosen as a member: staff of the organisation with an active account, serving
    on each of `days` (the decision and the session). A dismissed person must not get the R20
    view of a colleague's result nor a vote."""
    queryset = Employee.objects.filter(organisation_id=organisation_id, user__isnull=False, user__is_active=True)
    for day in days:
        queryset = queryset.filter(_serving_on(organisation_id, day))
    return queryset


def composition_for(case: CalibrationCase, members, *, days: tuple[dt.date, ...] = ()) -> list[tuple[Employee, str]]:
    """The evaluator, the chief specialist as organiser (R40), and the members chosen; the
    evaluated person never sits in their own session; a member serves in the organisation
    on each of `days` (the decision day and the session day)."""
    entry = case.result.entry
    organisation_id = entry.schedule.organisation_id
    if entry.evaluator is None:
        raise ValidationError(_("п. 41: у результата нет оценивающего лица — некому аргументировать оценку."),
                              code="no_evaluator")
    evaluator_user = entry.evaluator.user
    if evaluator_user is None or not evaluator_user.is_active:
        raise ValidationError(
            _("п. 41: оценивающее лицо (%(who)s) не может изложить аргументы и голосовать: у него нет действующей "
              "учётной записи (освобождён(а) от должности или доступ закрыт). Состав не утверждён; главный "
              "специалист восстанавливает доступ оценивающему лицу для участия в сессии.")
            % {"who": entry.evaluator.short_name}, code="evaluator_inactive")
    seats: dict[int, tuple[Employee, str]] = {entry.evaluator.pk: (entry.evaluator, ParticipantRole.EVALUATOR)}
    for user in role_holders(organisation_id, Role.CHIEF_SPECIALIST):
        chief = Employee.objects.filter(user=user, organisation_id=organisation_id).first()
        if chief is not None and chief.pk != entry.employee_id and chief.pk not in seats:
            seats[chief.pk] = (chief, ParticipantRole.ORGANISER)
            break
    for member in members:
        if not isinstance(member, Employee) or member.organisation_id != organisation_id:
            raise ValidationError(_("п. 38: участники калибровочной сессии — служащие этого государственного органа."),
                                  code="foreign_member")
        if member.pk == entry.employee_id:
            raise ValidationError(_("п. 38: оцениваемый служащий не входит в состав своей калибровочной сессии."),
                                  code="self_member")
        if not member.user_id:
            raise ValidationError(_("п. 41: у участника %(who)s нет учётной записи для голосования.")
                                  % {"who": member.short_name}, code="no_account")
        if days and not eligible_members(organisation_id, *days).filter(pk=member.pk).exists():
            raise ValidationError(
                _("п. 38: %(who)s не состоит на службе в этом государственном органе на день решения и день сессии "
                  "(%(days)s) — в состав калибровочной сессии не включается.")
                % {"who": member.short_name, "days": ", ".join(fmt_date(d) for d in days)}, code="not_serving")
        seats.setdefault(member.pk, (member, ParticipantRole.MEMBER))
    if len(seats) < MIN_PARTICIPANTS:
        raise ValidationError(
            _("п. 41: итоговая оценка принимается большинством голосов — в составе должно быть не меньше %(n)s "
              "участников (оценивающее лицо, главный специалист и другие).") % {"n": MIN_PARTICIPANTS},
            code="too_few")
    return list(seats.values())


@transaction.atomic
def approve_composition(*, case: CalibrationCase, by, session_date, place: str, members,
                        session_time=None, at: dt.datetime | None = None) -> CalibrationCase:
    """R38: the decision to hold the session and its composition; R39: its date."""
    at = at or timezone.now()
    case = lock(case)
    session_date = clean_date(session_date, rule="39", label=_("Дата сессии"))
    session_time = _clean_time(session_time)
    place = clean_text(place, rule="39", label=_("Место проведения"), max_length=PLACE_MAX)
    decided_on = timezone.localdate(at)
    if session_date > case.session_due:
        raise ValidationError(
            _("п. 39: калибровочная сессия проводится в течение %(n)s рабочих дней со дня обращения (%(filed)s), "
              "не позднее %(due)s; дата %(day)s не принята.") % {
                "n": SESSION_WORKING_DAYS, "filed": fmt_date(timezone.localdate(case.filed_at)),
                "due": fmt_date(case.session_due), "day": fmt_date(session_date)}, code="session_late")
    if session_date < decided_on:
        raise ValidationError(_("п. 39: дата сессии (%(day)s) раньше дня решения (%(today)s).")
                              % {"day": fmt_date(session_date), "today": fmt_date(decided_on)}, code="session_past")
    seats = composition_for(case, list(members or []), days=(decided_on, session_date))
    run(case, "approve_composition", by=by, at=at, session_date=session_date, session_time=session_time, place=place)
    participants = [Participant.objects.create(case=case, employee=employee, role=role) for employee, role in seats]
    _notify(case, participants)
    return case


def _notify(case: CalibrationCase, participants: list[Participant]) -> None:
    entry = case.result.entry
    when = fmt_date(case.session_date) + (f" {case.session_time:%H:%M}" if case.session_time else "")
    late = ""
    if case.composition_late:
        late = " " + _("Решение принято после срока п. 38 (%(due)s).") % {"due": fmt_date(case.composition_due)}
    for participant in participants:
        body = _("Вы включены в состав калибровочной сессии (п. 38) по результатам оценки %(who)s за %(period)s "
                 "в качестве: %(role)s. Дата и время: %(when)s. Место: %(place)s. Приглашение — во вложении (.ics).") % {
            "who": entry.employee.short_name, "period": entry.schedule.period,
            "role": participant.get_role_display(), "when": when, "place": case.session_place}
        if participant.employee.user_id:
            notify_user(participant.employee.user, key=invitation_key(participant), rule_id="R39",
                        subject=_("Калибровочная сессия %(day)s") % {"day": when}, body=body + late)
    if entry.employee.user_id:
        notify_user(entry.employee.user, key=f"R38:case:{case.pk}:applicant", rule_id="R38",
                    subject=_("Калибровочная сессия назначена"),
                    body=_("По вашему заявлению принято решение провести калибровочную сессию (п. 38). Дата и "
                           "время: %(when)s. Место: %(place)s.") % {"when": when, "place": case.session_place})


def composition_deadline_text(case: CalibrationCase) -> str:
    return _("в течение %(n)s рабочих дней со дня обращения, до %(due)s") % {
        "n": COMPOSITION_WORKING_DAYS, "due": fmt_date(case.composition_due)}

