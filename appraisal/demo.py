"""Demo data: the apparatus of the Akzhar district maslikhat with one person for every
eligibility case of the Методика (issue 2, item 12). Used by `manage.py load_demo`.

Dates are fixed on the real calendar (the demo was written on 25.11.2026), never relative
to the day the command runs, so that every quarter always shows the same cases:

- II квартал 2026 (approved schedule): the previous head of apparatus, dismissed 15.05.2026,
  is evaluated without participation (R6); the new head, appointed 18.05.2026, has under
  three months to the end of the quarter, so no KCI are set (R22.4).
- III квартал 2026 (draft schedule, the quarter being evaluated now): the new head by KCI
  in the general order (R21); social leave from 01.10.2026 (R5.2); business trip
  05.10–09.10.2026 (R5.2); dismissed 14.08.2026 (R6); appointed 09.09.2026 (R5.1).
- IV квартал 2026 (no schedule yet, the chief specialist generates it): social leave until
  31.03.2027 (R5.2); dismissed 13.11.2026 (R6).
- IV квартал 2022 (period created by the demo, no schedule): a social leave
  01.06.2022–30.11.2022 that R5.3 would have sent to chapter 6; the rule lapsed on
  31.08.2023 (D2), so the line is R28 with the explanation.
- I and II квартал 2026: approved schedules with results (R7) on the home pages.
- 2026 год: approved year schedule and the 360 survey open until 10.01.2027 (chapter 4).
"""

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from appraisal.models import (
    Absence,
    AbsenceKind,
    Appointment,
    Employee,
    Method,
    MethodologyEdition,
    Organisation,
    Period,
    PeriodKind,
    PeriodResult,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
    Schedule,
    ScheduleEntry,
)
from appraisal.services.editions import start_organisation
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule

ORG_NAME = "КГУ «Аппарат Акжарского районного маслихата Северо-Казахстанской области»"
ORG_NAME_KK = "«Солтүстік Қазақстан облысы Ақжар аудандық мәслихатының аппараты» КММ"
ORG_SHORT_NAME = "Аппарат Акжарского районного маслихата"
PASSWORD = "bagalau2026"
EMAIL_DOMAIN = "akzhar-maslikhat.example.kz"
ADMIN_USERNAME = "admin"

D = dt.date

# key: (title, kind, category, reports to)
POSITIONS = {
    "chairman": ("Председатель Акжарского районного маслихата", PositionKind.OTHER, "", None),
    "deputy": ("Заместитель председателя Акжарского районного маслихата", PositionKind.OTHER, "", "chairman"),
    "head": ("Руководитель аппарата маслихата", PositionKind.HEAD, "Е-2", "chairman"),
    "hr": ("Главный специалист по делопроизводству и кадровым вопросам", PositionKind.STAFF, "Е-4", "head"),
    "org": ("Главный специалист по организационной работе", PositionKind.STAFF, "Е-4", "head"),
    "lawyer": ("Главный специалист-юрист", PositionKind.STAFF, "Е-4", "head"),
    "finance": ("Главный специалист по финансам и бухучёту (главный бухгалтер)", PositionKind.STAFF, "Е-4", "head"),
    "info": ("Главный специалист по информационной работе", PositionKind.STAFF, "Е-4", "head"),
    "deputies": ("Главный специалист по работе с депутатами", PositionKind.STAFF, "Е-4", "head"),
    "procurement": ("Главный специалист по государственным закупкам", PositionKind.STAFF, "Е-4", "head"),
    "docs": ("Ведущий специалист по документационному обеспечению", PositionKind.STAFF, "Е-5", "head"),
}


@dataclass(frozen=True)
class Person:
    key: str
    username: str | None  # None: no log-in (a former employee)
    last_name: str
    first_name: str
    middle_name: str
    mobile: str
    position: str
    start: dt.date
    end: dt.date | None = None
    dismissed: bool = False
    order: str = ""
    role: str | None = None
    case: str = ""


PEOPLE = (
    Person("chairman", "chairman", "Жумабаев", "Ерлан", "Сагындыкович", "+77015550101", "chairman", D(2021, 8, 23),
           order="решение сессии № 3-1", role=Role.CHAIRMAN,
           case="председатель маслихата (не оценивается, п. 1); как должностное лицо, имеющее право назначения, "
                "утверждает состав калибровочных сессий (п. 38)"),
    Person("official", "official", "Касымова", "Динара", "Маратовна", "+77055550102", "deputy", D(2023, 9, 4),
           order="решение сессии № 9-2", role=Role.APPOINTING_OFFICIAL,
           case="должностное лицо, имеющее право назначения: утверждает график (п. 10)"),
    Person("former_head", "toktarov", "Токтаров", "Бауыржан", "Есенович", "+77025550103", "head", D(2019, 2, 1),
           end=D(2026, 5, 15), dismissed=True, order="№ 12-л",
           case="II кв. 2026: уволен 15.05.2026 — КЦИ без участия (п. 6)"),
    Person("head", "head", "Серикбаева", "Гульнара", "Амангельдыевна", "+77475550104", "head", D(2026, 5, 18),
           order="№ 14-л", case="II кв. 2026: назначена 18.05.2026 — КЦИ не устанавливаются (п. 22.4); III кв.: КЦИ"),
    Person("chief", "chief", "Ахметова", "Айгерим", "Болатовна", "+77075550105", "hr", D(2019, 3, 11),
           order="№ 21-л", role=Role.CHIEF_SPECIALIST, case="главный специалист; сама оценивается ранжированием"),
    Person("staff1", "staff1", "Нурланова", "Жанар", "Кайратовна", "+77015550106", "org", D(2020, 2, 3),
           order="№ 8-л", case="III и IV кв. 2026: социальный отпуск 01.10.2026–31.03.2027 (п. 5.2)"),
    Person("staff2", "staff2", "Оспанов", "Даурен", "Маратович", "+77055550107", "lawyer", D(2021, 4, 12),
           order="№ 17-л", case="III кв. 2026: командировка 05.10–09.10.2026 (п. 5.2); II кв. 2026: калибровочная "
                                "сессия повысила оценку (п. 41)"),
    Person("staff3", "staff3", "Бекова", "Сауле", "Жумабековна", "+77775550108", "finance", D(2018, 6, 1),
           end=D(2026, 8, 14), dismissed=True, order="№ 9-л",
           case="III кв. 2026: уволена 14.08.2026 (п. 6)"),
    Person("staff4", "staff4", "Абдрахманов", "Нурсултан", "Ерикович", "+77085550109", "finance", D(2026, 9, 9),
           order="№ 31-л", case="III кв. 2026: назначен 09.09.2026 — менее месяца (п. 5.1)"),
    Person("staff5", "staff5", "Исмаилова", "Асем", "Серикболовна", "+77025550110", "info", D(2019, 9, 2),
           order="№ 40-л", case="IV кв. 2022: социальный отпуск в 2022 году (п. 5.3 утратил силу)"),
    Person("staff6", "staff6", "Калиев", "Аскар", "Темирланович", "+77475550111", "deputies", D(2022, 1, 10),
           end=D(2026, 11, 13), dismissed=True, order="№ 3-л",
           case="IV кв. 2026: уволен 13.11.2026 (п. 6)"),
    Person("staff7", "staff7", "Тулегенова", "Мадина", "Ерлановна", "+77785550112", "docs", D(2023, 2, 6),
           order="№ 5-л", case="в общем порядке; I кв. 2026: заявление о калибровке подано после срока — "
                                "отклонено (п. 12)"),
    Person("staff8", "staff8", "Жаксылыков", "Ильяс", "Канатович", "+77055550113", "procurement", D(2024, 3, 18),
           order="№ 11-л", case="в общем порядке"),
)

# (person key, kind, start, end, note)
ABSENCES = (
    ("staff1", AbsenceKind.SOCIAL_LEAVE, D(2026, 10, 1), D(2027, 3, 31),
     "отпуск по беременности и родам, приказ № 30-о"),
    ("staff2", AbsenceKind.LABOUR_LEAVE, D(2026, 7, 20), D(2026, 8, 14), "ежегодный трудовой отпуск, приказ № 22-о"),
    ("staff2", AbsenceKind.BUSINESS_TRIP, D(2026, 10, 5), D(2026, 10, 9),
     "семинар для юристов маслихатов, г. Петропавловск, приказ № 27-к"),
    ("staff5", AbsenceKind.SOCIAL_LEAVE, D(2022, 6, 1), D(2022, 11, 30),
     "отпуск по беременности и родам, приказ № 14-о"),
    ("staff7", AbsenceKind.DISABILITY, D(2026, 2, 9), D(2026, 2, 20), "лист временной нетрудоспособности"),
)

# The approved quarters are evaluated through the chapters' own services, as users would:
# ranking points per R32 parameter (quality, deadlines, initiative, discipline) given by the
# head of apparatus of that quarter, and the head's KCI plan scored by the chairman.
RANKING_POINTS = {
    (2026, 1): {"chief": (5, 4, 5, 4), "staff1": (4, 4, 4, 4), "staff2": (4, 4, 3, 4), "staff3": (3, 4, 3, 4),
                "staff5": (4, 4, 5, 4), "staff6": (3, 3, 2, 3), "staff7": (4, 4, 4, 4), "staff8": (5, 5, 4, 5)},
    (2026, 2): {"chief": (5, 4, 4, 5), "staff1": (4, 4, 4, 5), "staff2": (4, 4, 4, 4), "staff3": (3, 3, 3, 4),
                "staff5": (4, 5, 4, 4), "staff6": (3, 3, 3, 4), "staff7": (4, 4, 4, 5), "staff8": (5, 5, 5, 4)},
}
# KCI of the head: (title, unit, target, actual) — the chairman scores the best admissible score.
KCI_PLAN = (
    ("Доля решений маслихата, опубликованных в ЭКБ НПА в установленный срок", "%", "100", "100"),
    ("Количество проведённых сессий маслихата по плану работы", "сессий", "2", "2"),
    ("Количество обученных депутатов по вопросам бюджетного процесса", "человек", "15", "12"),
)
APPROVED_QUARTERS = ((2026, 1), (2026, 2))
DRAFT_QUARTER = (2026, 3)
LEGACY_QUARTER = (2022, 4)
SURVEY_YEAR = 2026

# Which quarter shows which case (used by the command's summary and by the tests).
CASES = (
    ((2026, 2), "R22.4", "Серикбаева Г. А.: назначена 18.05.2026, КЦИ не устанавливаются (утверждённый график)"),
    ((2026, 2), "R6", "Токтаров Б. Е.: уволен 15.05.2026, КЦИ без участия (утверждённый график)"),
    ((2026, 3), "R5.2", "Нурланова Ж. К.: социальный отпуск; Оспанов Д. М.: командировка (черновик графика)"),
    ((2026, 3), "R6", "Бекова С. Ж.: уволена 14.08.2026 (черновик графика)"),
    ((2026, 3), "R5.1", "Абдрахманов Н. Е.: назначен 09.09.2026, менее месяца (черновик графика)"),
    ((2026, 3), "R21", "Серикбаева Г. А.: КЦИ в общем порядке (черновик графика)"),
    ((2026, 4), "R5.2", "Нурланова Ж. К.: социальный отпуск до 31.03.2027 (сформируйте график)"),
    ((2026, 4), "R6", "Калиев А. Т.: уволен 13.11.2026 (сформируйте график)"),
    ((2022, 4), "R5.3", "Исмаилова А. С.: социальный отпуск 2022 г., п. 5.3 утратил силу (сформируйте график)"),
)


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(name=ORG_NAME).first()


def quarter(year: int, q: int) -> Period:
    start, end = Period.bounds(PeriodKind.QUARTER, year, q)
    return Period.objects.get_or_create(kind=PeriodKind.QUARTER, year=year, quarter=q,
                                        defaults={"start": start, "end": end})[0]


def demo_usernames() -> list[str]:
    return [p.username for p in PEOPLE if p.username]


# --- removing ------------------------------------------------------------------------

def _force_delete(queryset, depth: int = 0) -> None:
    """Delete, first removing whatever PROTECTs the rows (chapter apps may hang their own
    records on schedule lines or employees; all of it belongs to the demo)."""
    for _attempt in range(10):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            if depth > 8:
                raise
            blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            by_model: dict = {}
            for obj in blockers:
                by_model.setdefault(type(obj), set()).add(obj.pk)
            for model, pks in by_model.items():
                _force_delete(model._default_manager.filter(pk__in=pks), depth + 1)
    queryset.delete()  # still blocked after ten rounds: let the error speak


@transaction.atomic
def delete_demo() -> bool:
    """Remove the demo organisation, everything hanging on it and the demo log-ins."""
    organisation = demo_organisation()
    if organisation is None:
        return False
    schedules = Schedule.objects.filter(organisation=organisation)
    _force_delete(PeriodResult.objects.filter(entry__schedule__in=schedules))
    _force_delete(ScheduleEntry.objects.filter(schedule__in=schedules))
    _force_delete(schedules)
    _force_delete(RoleAssignment.objects.filter(organisation=organisation))
    employees = Employee.objects.filter(organisation=organisation)
    user_ids = list(employees.exclude(user=None).values_list("user_id", flat=True))
    _force_delete(Absence.objects.filter(employee__in=employees))
    _force_delete(Appointment.objects.filter(employee__in=employees))
    _force_delete(employees)
    positions = Position.objects.filter(organisation=organisation)
    positions.update(reports_to=None)
    _force_delete(positions)
    if not MethodologyEdition.objects.templates().exists():
        # An installation upgraded from one body keeps its editions on that body only: they
        # become the templates again rather than go with the demo.
        MethodologyEdition.objects.filter(organisation=organisation).update(organisation=None)
    _force_delete(Organisation.objects.filter(pk=organisation.pk))
    _force_delete(get_user_model().objects.filter(pk__in=user_ids, is_superuser=False))
    return True


# --- building ------------------------------------------------------------------------

@dataclass
class DemoResult:
    organisation: Organisation
    employees: dict[str, Employee]
    schedules: list[Schedule]
    results: int
    admin_created: bool


def _user(person: Person, email: str):
    User = get_user_model()
    user = User.objects.filter(username=person.username).first()
    if user is not None and Employee.objects.filter(user=user).exists():
        raise ValueError(
            f"Пользователь «{person.username}» уже связан со служащим другого государственного органа; "
            "демо-данные загружаются в чистую базу."
        )
    if user is None:
        user = User(username=person.username)
    user.first_name, user.last_name, user.email = person.first_name, person.last_name, email
    user.is_active = True
    user.set_password(PASSWORD)
    user.save()
    return user


def _admin() -> bool:
    User = get_user_model()
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return False
    User.objects.create_superuser(ADMIN_USERNAME, f"admin@{EMAIL_DOMAIN}", PASSWORD)
    return True


# The chairman and the appointing official also approve in the Django admin: they get its
# schedule pages (with the transition buttons, which go through the services) and the
# chairman the head's KCI plans — nothing that shows other people's results (R20).
APPROVERS_GROUP = "Утверждение в админке"
APPROVERS_PERMISSIONS = ("appraisal.view_schedule", "appraisal.change_schedule", "appraisal.view_scheduleentry",
                         "kci.view_individualplan", "kci.change_individualplan")


# The chief specialist confirms the edition data the methodology leaves to the decision
# (form 4's weights, the texts of forms 5 and 6) in the admin: her home links there while
# they are defaults (issue 11.5). Edition data only, nothing evaluative.
EDITION_KEEPERS_GROUP = "Данные методики в админке"
EDITION_KEEPERS_PERMISSIONS = ("ranking.view_rankingparameter", "ranking.change_rankingparameter",
                               "survey360.view_questionnaire", "survey360.change_questionnaire",
                               "survey360.view_competency", "survey360.change_competency")


def _admin_group(name: str, permissions: tuple[str, ...], users) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # The permissions are rows made after migrations; a database emptied by a flush (the
    # transactional browser tests) may lack some until they are made again. Idempotent.
    for label in {permission.split(".")[0] for permission in permissions}:
        create_permissions(apps.get_app_config(label), verbosity=0)
    group, _created = Group.objects.get_or_create(name=name)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for user in users:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)


def _completed_at(year: int, q: int) -> dt.datetime:
    """Results recorded on the 8th of the month after the quarter, before the R4 day."""
    _, end = Period.bounds(PeriodKind.QUARTER, year, q)
    day = end + dt.timedelta(days=8)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 16, 0))


def _on(day: dt.date, hour: int = 10):
    """Run a step of the past quarters on the day it would have happened, so that the
    history, the «done on» dates and the deadline flags read like a real office's.
    time-machine ships in requirements.lock; without it the steps are dated today."""
    try:
        import time_machine
    except ImportError:  # pragma: no cover - a trimmed installation
        return contextlib.nullcontext()
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=True)


def _send_past_notices(day: dt.date) -> None:
    """The tick as it ran on `day`: queues the R26/R30 notices and delivers them. The demo
    delivers to an in-memory mailbox and a throwaway SMS file, not to the console."""
    import tempfile

    from django.test.utils import override_settings

    from appraisal import hooks
    from appraisal.notifications import send_due

    with tempfile.TemporaryDirectory() as tmp, _on(day, hour=9), override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SMS_BACKEND="file",
        SMS_FILE_PATH=f"{tmp}/sms.log",
    ):
        hooks.run_tick(timezone.now())
        send_due()


def _evaluate_kci(schedule: Schedule, *, chief, chairman) -> int:
    """Chapter 2 for the head's KCI line: plan, agreement, approval, posting, preliminary
    calculation, the chairman's scores (the best admissible one for each KCI)."""
    from kci import services as kci

    evaluated = 0
    period = schedule.period
    plan_day, calc_day = period.start + dt.timedelta(days=10), period.end + dt.timedelta(days=1)
    for entry in schedule.entries.filter(method=Method.KCI):
        with _on(plan_day):
            plan = kci.create_plan(entry=entry, by=chairman)
            for title, unit, target, _actual in KCI_PLAN:
                kci.save_kci(plan=plan, by=chairman, data={
                    "title": title, "unit": unit, "target": target, "deadline": period.end,
                    "indicator_kind": "quantitative", "document_kind": "strategic_goal",
                    "document_name": "План работы маслихата на 2026 год",
                    "resources": "штат аппарата, бюджет аппарата маслихата",
                })
        for offset, (step, who) in enumerate((("agree", chief), ("approve", chairman), ("post", chief)), start=1):
            with _on(plan_day + dt.timedelta(days=offset)):
                plan = kci.plan_transition(plan=plan, name=step, by=who)
        with _on(calc_day):
            sheet = kci.ensure_sheet(plan=plan, by=chief)
            lines = list(sheet.lines.select_related("kci").order_by("kci__number"))
            for line, (*_head, actual) in zip(lines, KCI_PLAN, strict=True):
                kci.save_actual(line=line, by=chief, actual=actual, note="отчёт о работе аппарата за квартал")
            sheet = kci.send_sheet(sheet=sheet, by=chief)
        with _on(calc_day + dt.timedelta(days=5)):
            scores = {line.pk: (max(line.admissible_list), "") for line in sheet.lines.all()}  # fresh rows
            kci.submit_sheet(sheet=sheet, by=chairman, scores=scores)
        evaluated += 1
    return evaluated


def _evaluate_ranking(schedule: Schedule, points: dict, employees: dict[str, Employee]) -> int:
    """Chapter 3: the head of apparatus of that quarter fills the ranking page and sends it."""
    from ranking.models import PARAMETER_CODES, RankingSheet
    from ranking.services import save_ranking

    key_of = {employee.pk: key for key, employee in employees.items()}
    sheets = list(RankingSheet.objects.filter(entry__schedule=schedule)
                  .select_related("entry__employee", "entry__evaluator__user", "entry__schedule__period"))
    by_evaluator: dict = {}
    for sheet in sheets:
        by_evaluator.setdefault(sheet.entry.evaluator.user, []).append(sheet)
    for evaluator, own in by_evaluator.items():
        raw = {sheet.pk: dict(zip(PARAMETER_CODES, map(str, points[key_of[sheet.entry.employee_id]]), strict=True))
               for sheet in own}
        with _on(_completed_at(*_quarter_of(schedule)).date(), hour=16):
            save_ranking(sheets=own, raw=raw, by=evaluator, submit=True)
    return len(sheets)


def _open_survey360(organisation: Organisation, *, chief, official) -> Schedule:
    """Chapter 4: the 2026 year schedule approved and its 360 survey opened, so that staff find
    questionnaires on their home page. Opening is refused after the R4 day (10.01.2027); a demo
    loaded later keeps the survey as a draft the chief specialist can look at."""
    from django.core.exceptions import ValidationError

    from survey360 import services as survey360

    year = Period.objects.get(kind=PeriodKind.YEAR, year=SURVEY_YEAR)
    schedule = generate_schedule(organisation=organisation, period=year, by=chief)
    submit_schedule(schedule=schedule, by=chief)
    approve_schedule(schedule=schedule, by=official)
    campaign = survey360.create_campaign(organisation=organisation, period=year, by=chief)
    try:
        survey360.open_campaign(campaign=campaign, by=chief)
    except ValidationError:
        pass  # past the R4 day or a circle to adjust: the campaign page says why
    return schedule


def _register_dispute(organisation: Organisation, employees: dict[str, Employee], *, chief) -> None:
    """R16: one procedure dispute in the chief specialist's register, raised and resolved."""
    from appraisal.services.disputes import register_dispute, resolve_dispute

    with _on(D(2026, 7, 20)):
        dispute = register_dispute(
            organisation=organisation, raised_by=employees["staff2"], raised_on=D(2026, 7, 14), by=chief,
            subject="Не был ознакомлен с графиком оценки за II квартал 2026 года до начала оценки.")
        resolve_dispute(dispute=dispute, resolved_on=D(2026, 7, 20), by=chief,
                        resolution="График оценки направлен служащему повторно; ознакомление подтверждено подписью.")


def _quarter_of(schedule: Schedule) -> tuple[int, int]:
    return schedule.period.year, schedule.period.quarter


def _acknowledge_past_results(schedules: list[Schedule], employees: dict[str, Employee]) -> None:
    """R11: the past quarters' result notices went out by the next morning; most people
    acknowledged the next morning, one late (staff6, I кв.), one not at all (staff3, II кв.);
    the dismissed former head, evaluated without participation (R6), was notified by a
    registered letter the chief specialist recorded (R11.2)."""
    from appraisal.services import acknowledgement as ack
    from appraisal.workdays import WorkingCalendar

    calendar = WorkingCalendar.load()
    key_of = {employee.pk: key for key, employee in employees.items()}
    chief = employees["chief"].user
    results = list(PeriodResult.objects.filter(entry__schedule__in=schedules)
                   .select_related("entry__employee__user", "entry__schedule__period").order_by("completed_at", "pk"))
    for day in sorted({timezone.localdate(r.completed_at) for r in results}):
        _send_past_notices(day + dt.timedelta(days=1))  # delivered by the next morning's tick
    for result in results:
        key, period = key_of[result.entry.employee_id], result.entry.schedule.period
        completed_on = timezone.localdate(result.completed_at)
        if result.entry.participation == "without":
            with _on(ack.acknowledgement_due(result, calendar=calendar), hour=15):
                ack.record_notice(result=result, by=chief, channel="registered_letter",
                                  date=calendar.add_working_days(completed_on, 1),
                                  reference="уведомление о вручении АО «Казпочта» № KZ 1402 7711 5503")
            continue
        if (key, period.quarter) == ("staff3", 2) or result.entry.employee.user is None:
            continue  # not acknowledged: the chief specialist's home shows it as missing
        late = (key, period.quarter) == ("staff6", 1)
        day = calendar.add_working_days(completed_on, 4 if late else 1)
        with _on(day, hour=9 if late else 10):
            ack.acknowledge(result=result, user=result.entry.employee.user)


@transaction.atomic
def build_demo() -> DemoResult:
    organisation = Organisation.objects.create(name=ORG_NAME, name_kk=ORG_NAME_KK, short_name=ORG_SHORT_NAME)
    start_organisation(organisation)  # its own methodology editions, copied from the templates
    positions: dict[str, Position] = {}
    for key, (title, kind, category, _parent) in POSITIONS.items():
        positions[key] = Position.objects.create(organisation=organisation, title=title, kind=kind, category=category)
    for key, (*_rest, parent) in POSITIONS.items():
        if parent:
            positions[key].reports_to = positions[parent]
            positions[key].save(update_fields=["reports_to"])

    employees: dict[str, Employee] = {}
    users = {}
    for number, person in enumerate(PEOPLE, start=1):
        email = f"{person.username or person.key.replace('_', '.')}@{EMAIL_DOMAIN}"
        user = _user(person, email) if person.username else None
        employee = Employee.objects.create(
            organisation=organisation, user=user, last_name=person.last_name, first_name=person.first_name,
            middle_name=person.middle_name, personnel_number=f"{number:04d}", email=email, mobile=person.mobile,
        )
        Appointment.objects.create(
            employee=employee, position=positions[person.position], start=person.start, end=person.end,
            dismissed=person.dismissed, order_number=person.order,
        )
        if person.role:
            RoleAssignment.objects.create(organisation=organisation, user=user, role=person.role, start=person.start)
        employees[person.key], users[person.key] = employee, user
    RoleAssignment.objects.create(organisation=organisation, user=users["chairman"], role=Role.APPOINTING_OFFICIAL,
                                  start=employees["chairman"].appointments.get().start)  # R38: decides on calibration
    for key, kind, start, end, note in ABSENCES:
        Absence.objects.create(employee=employees[key], kind=kind, start=start, end=end, note=note)

    chief, official = users["chief"], users["official"]
    schedules, results = [], 0
    for year, q in APPROVED_QUARTERS:
        period = quarter(year, q)
        with _on(period.start + dt.timedelta(days=3)):  # R10: approved as the quarter starts
            schedule = generate_schedule(organisation=organisation, period=period, by=chief)
            submit_schedule(schedule=schedule, by=chief)
        with _on(period.start + dt.timedelta(days=4)):
            approve_schedule(schedule=schedule, by=official)  # opens the ranking sheets (chapter 3)
        _send_past_notices(period.end + dt.timedelta(days=1))  # R26, R30
        results += _evaluate_kci(schedule, chief=chief, chairman=users["chairman"])
        results += _evaluate_ranking(schedule, RANKING_POINTS[(year, q)], employees)
        _acknowledge_past_results([schedule], employees)
        schedules.append(schedule)
    schedules.append(_open_survey360(organisation, chief=chief, official=official))
    users["former_head"].is_active = False  # dismissed: the account stays for the history only
    users["former_head"].save(update_fields=["is_active"])
    schedules.append(generate_schedule(organisation=organisation, period=quarter(*DRAFT_QUARTER), by=chief))
    quarter(*LEGACY_QUARTER)  # the R5.3 case needs a 2022 period; the migration seeds 2023–2027 only
    _register_dispute(organisation, employees, chief=chief)
    admin_created = _admin()
    _admin_group(APPROVERS_GROUP, APPROVERS_PERMISSIONS, [users["chairman"], official])
    _admin_group(EDITION_KEEPERS_GROUP, EDITION_KEEPERS_PERMISSIONS, [chief])
    __import__("calibration.demo", fromlist=["build"]).build(organisation, users)  # chapter 5: R12, R37–R42
    __import__("legacy_commission.demo", fromlist=["build"]).build(organisation)  # chapter 6: R43–R68
    return DemoResult(organisation, employees, schedules, results, admin_created)

