"""Demo data for chapter 6 (R5.3, R43–R53): Исмаилова А. С. (staff5), on social leave from
01.06.2022 to 30.11.2022, is evaluated for III квартал 2022 by the legacy procedure, every
step on the day it would have happened, while chapter 6 was in force (D2):

- 04.07.2022: the chief specialist generates the III quarter 2022 schedule (R5.3 sends
  Исмаилова to chapter 6); 05.07.2022 the chairman, who holds the appointing official's
  role since 2021 (appraisal.demo), approves it. The rest of the staff are ranked and the
  head's KCIs scored through
  the chapters' own demo steps, so the quarter is complete like the others.
- 08.07.2022: the head of apparatus of the time (Токтаров Б. Е., her direct supervisor)
  sets five SMART KCIs (R43, R45, R46); 11.07.2022 he submits them and the chairman
  (higher supervisor) approves (R44).
- 03.10.2022: he fills the score sheet, four of five KCIs achieved, with a scan as evidence
  (R47, R48), and sends it (R49); 04.10.2022 the chairman returns it for insufficient
  evidence (R51); 06.10.2022 (the second working day, R52) it comes back with the act;
  07.10.2022 the chairman signs it (R50); 10.10.2022 the chief specialist submits it to
  the Commission (R53).

The Commission's steps (R54 onwards) continue from the returned sheets
(legacy_commission.demo_commission.build_commission(sheets)).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from appraisal.demo import RANKING_POINTS, _evaluate_kci, _evaluate_ranking, _on, quarter
from appraisal.models import Employee, Organisation, Role, RoleAssignment
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from legacy_commission.models import LegacySheet, ReturnReason
from legacy_commission.services import plans, sheets

D = dt.date
QUARTER = (2022, 3)
# The chapters' demo steps are keyed by person; the staff in post in III quarter 2022.
POINTS_2022_Q3 = {"chief": (5, 4, 4, 4), "staff1": (4, 4, 4, 4), "staff2": (4, 3, 4, 4), "staff3": (4, 4, 3, 4),
                  "staff6": (3, 4, 3, 3)}
KCIS = (
    ("Обеспечить размещение на интернет-ресурсе маслихата всех решений сессий III квартала в течение 5 рабочих "
     "дней после подписания", "все решения сессий квартала размещены не позднее 5 рабочих дней после подписания",
     D(2022, 9, 30)),
    ("Подготовить и опубликовать информационные материалы о работе депутатов в районной газете",
     "не менее 6 публикаций за квартал", D(2022, 9, 30)),
    ("Обеспечить ответы на обращения граждан, поступившие через портал «Электронное правительство», без "
     "нарушения сроков", "ни одного ответа с нарушением срока (отчёт ЕСЭДО)", D(2022, 9, 30)),
    ("Провести обучение сотрудников аппарата работе в ЕСЭДО", "обучены все 8 сотрудников, лист ознакомления",
     D(2022, 8, 31)),
    ("Обновить раздел «Открытые данные» на интернет-ресурсе маслихата", "раздел обновлён, 4 набора данных",
     D(2022, 9, 15)),
)
AIM = "Стратегическая цель: открытость и доступность деятельности маслихата (План работы маслихата на 2022 год)"
ACHIEVED = (True, True, True, False, True)  # four of five: «надлежащим образом» (R48)
EVIDENCE = (
    "Реестр размещения решений: 9 решений, все в срок.",
    "Публикации в газете «Акжар хабары» № 28, 30, 32, 34, 36, 38.",
    "Отчёт ЕСЭДО за III квартал: 27 обращений, нарушений сроков нет.",
    "Обучение перенесено на IV квартал в связи с обновлением ЕСЭДО.",
    "Раздел обновлён 12.09.2022: 4 набора данных.",
)
# A one-page PDF (a blank scan stand-in): the evidence file of KCI 1.
SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _users(organisation: Organisation) -> dict:
    User = get_user_model()
    names = {"chief": "chief", "chairman": "chairman", "head": "toktarov"}
    return {key: User.objects.get(username=name) for key, name in names.items()}


def _employees(organisation: Organisation) -> dict[str, Employee]:
    """The demo's people keyed as appraisal.demo keys them, found by their log-in."""
    from appraisal.demo import PEOPLE

    by_username = {p.username: p.key for p in PEOPLE if p.username}
    found = Employee.objects.filter(organisation=organisation, user__username__in=by_username)
    return {by_username[e.user.username]: e for e in found.select_related("user")}


def _schedule(organisation: Organisation, users: dict):
    period = quarter(*QUARTER)
    # In 2022 the chairman held the appointing official's role (the demo's official took office on
    # 04.09.2023); appraisal.demo assigns it, this only makes sure of it.
    RoleAssignment.objects.get_or_create(
        organisation=organisation, user=users["chairman"], role=Role.APPOINTING_OFFICIAL,
        defaults={"start": D(2021, 8, 23), "end": D(2023, 9, 3)})
    with _on(period.start + dt.timedelta(days=3)):
        schedule = generate_schedule(organisation=organisation, period=period, by=users["chief"])
        submit_schedule(schedule=schedule, by=users["chief"])
    with _on(period.start + dt.timedelta(days=4)):
        approve_schedule(schedule=schedule, by=users["chairman"])
    return schedule


def _plan(entry, head, chairman):
    with _on(D(2022, 7, 8)):
        plan = plans.create_plan(entry=entry, by=head)
        for title, criterion, deadline in KCIS:
            plans.save_kci(plan=plan, by=head, data={
                "title": title, "criterion": criterion, "deadline": deadline, "aim_kind": "strategic_goal",
                "aim_name": AIM, "resources": "штат аппарата, интернет-ресурс маслихата, ЕСЭДО"})
    with _on(D(2022, 7, 11)):
        plans.plan_transition(plan=plan, name="submit", by=head)
        plans.plan_transition(plan=plan, name="approve", by=chairman)
    return plan


def _sheet(plan, users) -> LegacySheet:
    head, chairman = users["head"], users["chairman"]
    with _on(D(2022, 10, 3)):
        sheet = sheets.open_sheet(plan=plan, by=head)
        lines = list(sheet.lines.select_related("kci").order_by("kci__number"))
        for line, achieved, evidence in zip(lines, ACHIEVED, EVIDENCE, strict=True):
            # KCI 2 first goes without its proof in detail: the chairman returns it for that (R51).
            sheets.save_line(line=line, by=head, achieved=achieved,
                             evidence="Публикации были." if line.kci.number == 2 else evidence)
        sheets.add_evidence(line=lines[0], by=head, uploaded=ContentFile(SCAN, name="реестр-решений.pdf"))
        sheets.send_sheet(sheet=sheet, by=head)
    with _on(D(2022, 10, 4)):
        sheets.return_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=chairman,
                            reason_kind=ReturnReason.INSUFFICIENT,
                            reason="По КЦИ 2 не указаны номера публикаций; приложите перечень.")
    with _on(D(2022, 10, 6)):
        sheets.save_line(line=lines[1], by=head, achieved=True, evidence=EVIDENCE[1])
        sheets.send_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=head)
    with _on(D(2022, 10, 7)):
        sheets.sign_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=chairman)
    with _on(D(2022, 10, 10)):
        sheets.submit_to_commission(sheet=LegacySheet.objects.get(pk=sheet.pk), by=users["chief"])
    return LegacySheet.objects.get(pk=sheet.pk)


def build_plans(organisation: Organisation) -> list[LegacySheet]:
    """The III quarter 2022 schedule, the chapter-6 plan and sheet of Исмаилова up to their
    submission to the Commission; returns the submitted sheets (for build_commission)."""
    users = _users(organisation)
    schedule = _schedule(organisation, users)
    employees = _employees(organisation)
    _evaluate_kci(schedule, chief=users["chief"], chairman=users["chairman"])
    _evaluate_ranking(schedule, {**RANKING_POINTS.get(QUARTER, {}), **POINTS_2022_Q3}, employees)
    result = []
    for entry in schedule.entries.filter(method="legacy").select_related("employee"):
        plan = _plan(entry, users["head"], users["chairman"])
        result.append(_sheet(plan, users))
    return result


def build(organisation: Organisation) -> list[LegacySheet]:
    """Chapter 6 in the demo: the plans and sheets (R43–R53), then the Commission's meeting,
    votes, approval, notice and appeal (R54–R67, legacy_commission.demo_commission)."""
    from legacy_commission.demo_commission import build_commission

    submitted = build_plans(organisation)
    build_commission(submitted)
    return submitted
