"""The demo organisation's calibration sessions (chapter 5), built through the services as
users would, each step on the day it would have happened:

- Оспанов Д. М. (staff2) disagrees with his II quarter 2026 ranking result: acknowledged,
  applied, the chairman (the appointing official) approves the composition, the session
  raises the score by a majority, the protocol is signed and posted, and the head of
  apparatus records the feedback meeting;
- Тулегенова М. Е. (staff7) applies about her I quarter 2026 result three weeks after
  acknowledging it: refused under п. 12, nothing saved.

Called by one line at the end of appraisal.demo.build_demo.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from appraisal.models import PeriodResult
from appraisal.services import acknowledgement
from calibration.services import applications, composition, feedback, session

D = dt.date
APPLICANT, LATE_APPLICANT = "staff2", "staff7"
ADMIN_PERMISSIONS = ("view_calibrationcase", "change_calibrationcase")


def _user(username: str):
    # A fresh object: roles are cached on the user object (appraisal.roles.role_map).
    return get_user_model().objects.get(username=username)


def _result(username: str, year: int, quarter: int) -> PeriodResult:
    return PeriodResult.objects.select_related("entry__employee__user", "entry__schedule__period").get(
        entry__employee__user__username=username, entry__method="ranking",
        entry__schedule__period__year=year, entry__schedule__period__quarter=quarter)


def build(organisation, users) -> None:
    """The load_demo summary names both cases (appraisal.demo.PEOPLE: staff2, staff7)."""
    from appraisal.demo import _on  # the demo's one way of running a step on its day

    _admin_can_approve()
    result = _result(APPLICANT, 2026, 2)  # completed 08.07.2026
    with _on(D(2026, 7, 9)):
        acknowledgement.acknowledge(result=result, user=_user(APPLICANT))
    with _on(D(2026, 7, 10)):
        case = applications.file_application(result=result, by=_user(APPLICANT), text=(
            "Прошу провести калибровочную сессию: во II квартале я подготовил 23 правовых заключения и "
            "представлял маслихат в двух судебных делах; оценка инициативности это не учитывает."))
    with _on(D(2026, 7, 13)):
        composition.approve_composition(
            case=case, by=_user("chairman"), session_date=D(2026, 7, 17), session_time="15:00",
            place="Акжарский районный маслихат, зал заседаний", members=[users_employee(users, "official"),
                                                                        users_employee(users, "chairman")])
    case.refresh_from_db()
    with _on(D(2026, 7, 17), hour=15):
        session.open_session(case=case, by=_user("chief"))
        session.save_argument(case=case, by=_user("head"), text=(
            "Качество и сроки — на хорошем уровне; инициативность оценена с учётом того, что судебные дела "
            "были поручены, а не взяты по собственной инициативе."))
        votes = {"head": ("keep", None, "Оценку поддерживаю."),
                 "chief": ("adjust", "4.50", "Объём и сложность работы выше среднего по аппарату (п. 32)."),
                 "official": ("adjust", "4.50", "Представительство в суде требует самостоятельности."),
                 "chairman": ("adjust", "4.50", "Согласен с корректировкой.")}
        for username, (choice, score, position) in votes.items():
            session.cast_vote(case=case, by=_user(username), choice=choice, score=score, position=position)
    with _on(D(2026, 7, 17), hour=17):
        session.sign_protocol(case=case, by=_user("chief"), signed_on=D(2026, 7, 17))
    case.refresh_from_db()
    with _on(D(2026, 7, 20)):
        session.post_protocol(case=case, by=_user("chief"))
    case.refresh_from_db()
    with _on(D(2026, 7, 22)):
        feedback.record_feedback(
            case=case, by=_user("head"), held_on=D(2026, 7, 22),
            achievements="23 правовых заключения, два судебных дела без замечаний.",
            skills="Освоил подготовку отзывов на иски; рекомендовано обучение по административному процессу.",
            potential="Интерес к должности руководителя отдела; включить в кадровый резерв.")
    _refuse_late_application()


def users_employee(users, key):
    return _user(users[key].username).employee


def _refuse_late_application() -> None:
    from appraisal.demo import _on

    result = _result(LATE_APPLICANT, 2026, 1)  # completed 08.04.2026
    with _on(D(2026, 4, 9)):
        acknowledgement.acknowledge(result=result, user=_user(LATE_APPLICANT))
    with _on(D(2026, 4, 30)):
        try:
            applications.file_application(result=result, by=_user(LATE_APPLICANT), text="Не согласна с оценкой.")
        except ValidationError:
            return  # п. 12: the five working days had passed
    raise AssertionError("the late application was accepted")


def _admin_can_approve() -> None:
    """The appointing official's button in the admin (R38) for the approvers' group."""
    from django.contrib.auth.models import Group, Permission

    from appraisal.demo import APPROVERS_GROUP

    group = Group.objects.get(name=APPROVERS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="calibration",
                                                     codename__in=ADMIN_PERMISSIONS))
