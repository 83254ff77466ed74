"""Sample contexts for every official form in templates/pdf, at any number of table rows.

`manage.py bench_pdf` times them and tests/appraisal/test_forms_print.py checks how they
paginate. They are built from plain namespaces, not from the database, so that the same
form can be printed at 1 and at 300 rows in milliseconds, and so that this module stays in
the core without importing the chapter apps whose templates it fills.

Each row's first text cell starts with the marker `R0001a` and its tallest cell ends with
`R0001z`: a test finds both on one page when the row was not split across pages. Signature
lines carry short names («Фамилия И. О.») that appear nowhere else on the form.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace as NS

from django.utils.safestring import mark_safe

ORGANISATION = "КГУ «Аппарат Акжарского районного маслихата»"

WORDS = (
    "обеспечение своевременного исполнения поручений руководства по вопросам кадровой работы и "
    "делопроизводства с соблюдением сроков установленных законодательством Республики Казахстан "
    "подготовка аналитических материалов к сессиям маслихата и заседаниям постоянных комиссий "
    "контроль качества проектов решений и их размещение в информационной системе в полном объёме"
).split()


def text(seed: int, words: int) -> str:
    """Deterministic Russian-looking text of `words` words (varied by `seed`)."""
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words))


def marker(n: int, end: str) -> str:
    return f"R{n:04d}{end}"


def person(last: str, first: str, middle: str) -> NS:
    return NS(last_name=last, full_name=f"{last} {first} {middle}", short_name=f"{last} {first[0]}. {middle[0]}.")


# Every signature name of the samples is one of these: the tests look for their short names.
HEAD = person("Серикбаева", "Гульнара", "Ахметовна")  # the evaluated head / the staff's evaluator
CHAIRMAN = person("Жумабаев", "Ерлан", "Сагатович")  # the chairman: the head's evaluator
CHIEF = person("Ахметова", "Айгерим", "Болатовна")  # the chief specialist
STAFF = person("Оспанов", "Данияр", "Маратович")  # an evaluated staff member
HIGHER = person("Касымова", "Динара", "Муратовна")  # the higher supervisor of chapter 6
MEMBERS = [person("Нурланова", "Жанар", "Кайратовна"), person("Бекова", "Сауле", "Жумановна"),
           person("Калиев", "Асхат", "Тулегенович")]

QUARTER = "III квартал 2026 года"
YEAR = "2026 год"
DAY = dt.date(2026, 10, 12)
AT = dt.datetime(2026, 10, 12, 11, 30)


class _Period:
    """The period as the forms print it: its name, and the dates they show beside it."""

    start, end, year, quarter, is_quarter = dt.date(2026, 7, 1), dt.date(2026, 9, 30), 2026, 3, True

    def __str__(self) -> str:
        return QUARTER


PERIOD_NAME = _Period()


def _entry(employee: NS, evaluator: NS, title: str, category: str = "C-R-4") -> NS:
    return NS(employee=employee, evaluator=evaluator, position=NS(title=title, category=category),
              schedule=NS(period=QUARTER, organisation=ORGANISATION), rule_id="R5.2", reason_detail="",
              get_participation_display="с участием", get_method_display="ранжирование",
              result=NS(is_adjusted=False))


def _common(appendix: str, form_title: str, **context) -> dict:
    return {"organisation": ORGANISATION, "appendix": appendix, "form_title": form_title, "period": QUARTER,
            "chief_specialist": CHIEF.short_name, **context}


@dataclass
class Sample:
    """One official form: its template and a context builder for `rows` table rows."""

    key: str
    title: str
    template: str
    build: object  # Callable[[int], dict]
    header: str  # a column header of the main table, to be found on every page of it
    signers: list[str] = field(default_factory=list)  # short names on the signature lines
    markers: bool = True  # each row carries R…a / R…z markers

    def context(self, rows: int) -> dict:
        return self.build(rows)


# --- chapter 2: forms 1–3 ------------------------------------------------------------------


def kci_plan(rows: int) -> dict:
    entry = _entry(HEAD, CHAIRMAN, "Руководитель аппарата", "Е-2")
    kcis = [NS(number=n, title=f"{marker(n, 'a')} {text(n, 14)}", get_indicator_kind_display="количественный",
               unit="документов", target=Decimal("12"), deadline=DAY, resources=text(n + 1, 10),
               get_document_kind_display="план развития", document_name=f"{text(n + 2, 12)} {marker(n, 'z')}")
            for n in range(1, rows + 1)]
    plan = NS(get_state_display="утверждён", version=1, approved_at=DAY, posted_at=DAY, agreed_by=None)
    return _common("Приложение 1 к Типовой методике", "Индивидуальный план работы", entry=entry, plan=plan,
                   kcis=kcis, period=PERIOD_NAME)


def kci_sheet(rows: int) -> dict:
    entry = _entry(HEAD, CHAIRMAN, "Руководитель аппарата", "Е-2")
    lines = [NS(kci=NS(number=n, title=f"{marker(n, 'a')} {text(n, 16)}", unit="%", target=Decimal("100")),
                actual=Decimal("95"), percent=Decimal("95.00"), admissible="4, 5", score=4,
                comment=f"{text(n + 3, 18)} {marker(n, 'z')}")
             for n in range(1, rows + 1)]
    sheet = NS(plan_version=1, sent_at=DAY, get_state_display="оценка выставлена", score=Decimal("4.00"),
               submitted_at=DAY, sent_by=None, plan=NS(entry=entry))
    return _common("Приложение 2 к Типовой методике", "Оценочный лист КЦИ", entry=entry, sheet=sheet,
                   plan=sheet.plan, lines=lines, gradation=NS(label="эффективно"), period=PERIOD_NAME)


def kci_table(rows: int) -> dict:
    step = Decimal(100) / rows
    table_rows = [NS(percent_from=step * i, percent_to=step * (i + 1) if i < rows - 1 else None,
                     scores=f"{marker(i + 1, 'a')} {min(5, i * 6 // rows)} {marker(i + 1, 'z')}")
                  for i in range(rows)]
    edition = NS(title="Методика оценки деятельности", decision_number="№ 5-2", decision_date=dt.date(2023, 7, 5))
    return _common("Приложение 3 к Типовой методике", "Таблица допустимых оценок по проценту достижения КЦИ",
                   table=NS(is_default=False, confirmed_by=NS(employee=CHIEF), confirmed_at=DAY), rows=table_rows,
                   edition=edition)


# --- chapter 3: form 4 and the decision report ---------------------------------------------


def ranking_sheet(rows: int) -> dict:
    entry = _entry(STAFF, HEAD, "Главный специалист отдела организационной работы")
    cells = [NS(spec=NS(title=f"{marker(n, 'a')} {text(n, 8)}", weight=Decimal("1")), value=4,
                comment=f"{text(n + 5, 20)} {marker(n, 'z')}")
             for n in range(1, rows + 1)]
    sheet = NS(entry=entry, without_participation=False, is_submitted=True, submitted_at=AT)
    return _common("Форма 4 (приложение 4 к Типовой методике)",
                   "Оценочный лист служащего корпуса «Б» (метод ранжирования)", period=PERIOD_NAME,
                   rows=[{"sheet": sheet, "cells": cells, "score": Decimal("4.00"), "gradation": "эффективно"}],
                   weights_unconfirmed=False)


def decision_report(rows: int) -> dict:
    report_rows = [NS(employee=f"{marker(n, 'a')} Служащий {n}", position=f"{text(n, 7)} {marker(n, 'z')}",
                      method="ранжирование — среднее за год (п. 4)", participation="с участием",
                      score=Decimal("4.25"), original=None,
                      gradation="Выполняет функциональные обязанности эффективно", quarters=4)
                   for n in range(1, rows + 1)]
    report = NS(annual=True, rows=report_rows, counts=[("Выполняет функциональные обязанности эффективно", rows),
                                                           ("Выполняет функциональные обязанности надлежащим образом", 0)])
    return _common("Отчёт для принятия решений (п. 8)", f"Результаты оценки за {YEAR}", report=report)


# --- chapter 4: forms 7, 8 and the training needs -------------------------------------------


def _chart(lines: list) -> str:
    height = 26 + 24 * len(lines) + 30
    bars = "".join(f'<text x="294" y="{41 + 24 * i}" text-anchor="end">{line.competency.name[:40]}</text>'
                   f'<rect x="300" y="{30 + 24 * i}" width="{float(line.mean) * 60:.1f}" height="16" fill="#2563eb"/>'
                   for i, line in enumerate(lines))
    return mark_safe(f'<svg xmlns="http://www.w3.org/2000/svg" width="660" height="{height}" '  # noqa: S308 — own markup
                     f'viewBox="0 0 660 {height}" font-family="DejaVu Sans" font-size="11">{bars}</svg>')


def survey360_report(rows: int) -> dict:
    lines = [NS(competency=NS(order=n, name=f"{marker(n, 'a')} {text(n, 5)} {marker(n, 'z')}"),
                mean=Decimal("3.80"), self_mean=Decimal("4.00"), least=n == 1)
             for n in range(1, rows + 1)]
    # the chart and the list of the least expressed name competencies again: without markers
    unmarked = [NS(competency=NS(name=text(n, 5)), mean=line.mean, least=line.least) for n, line in enumerate(lines, 1)]
    report = NS(state="ready", responses=7, overall=Decimal("3.80"), gradation="надлежащим образом", lines=lines,
                least=unmarked[:1], comments=[text(n, 12) for n in range(3)])
    subject = NS(employee=STAFF, entry=_entry(STAFF, HEAD, "Главный специалист"),
                 questionnaire=NS(title="Анкета для служащих (приложение 6)", is_default=False))
    return _common("Приложение 7", "Индивидуальный отчёт по результатам оценки методом 360", period=YEAR,
                   subject=subject, report=report, chart=_chart(unmarked[:40]))


def _long_field(rows: int, part: int) -> str:
    """A text field of the feedback forms: `rows` lines over the four fields of a form."""
    count = max(1, rows // 4)
    return "\n".join(f"{text(part * 100 + i, 9)}" for i in range(count))


def survey360_feedback(rows: int) -> dict:
    meeting = NS(held_on=DAY, participants=_long_field(rows, 0), strengths=_long_field(rows, 1),
                 to_develop=_long_field(rows, 2), training_topics=_long_field(rows, 3))
    subject = NS(employee=STAFF)
    return _common("Приложение 8", "Обратная связь по результатам оценки методом 360", period=YEAR,
                   subject=subject, meeting=meeting)


def survey360_training(rows: int) -> dict:
    least = [NS(competency=NS(name="Стратегическое мышление"), mean=Decimal("2.90"))]
    subjects = [(NS(employee=NS(full_name=f"{marker(n, 'a')} Служащий {n}"),
                    entry=NS(position=NS(title=f"{text(n, 6)}"))),
                 NS(overall=Decimal("3.75"), least=[*least, NS(competency=NS(name=marker(n, "z")), mean="")]))
                for n in range(1, rows + 1)]
    needs = NS(totals=[("Стратегическое мышление", rows), ("Ориентация на результат", 0)], rows=subjects,
               insufficient=[])
    return _common("п. 9, п. 36", "Потребности в обучении по результатам оценки методом 360", period=YEAR,
                   needs=needs)


# --- chapter 5: calibration ------------------------------------------------------------------


def _calibration(rows: int) -> dict:
    entry = _entry(STAFF, HEAD, "Главный специалист отдела организационной работы")
    return {"entry": entry, "result": NS(score=Decimal("4.50"), get_gradation_display="эффективно",
                                         is_adjusted=False)}


def calibration_protocol(rows: int) -> dict:
    base = _calibration(rows)
    people = [HEAD, CHIEF, *MEMBERS]
    participants = [NS(employee=NS(full_name=f"{marker(n, 'a')} {people[(n - 1) % len(people)].full_name}",
                                   short_name=people[(n - 1) % len(people)].short_name),
                       get_role_display="участник калибровочной сессии",
                       position=f"{text(n, 24)} {marker(n, 'z')}",
                       vote=NS(get_choice_display="за изменение оценки", score=Decimal("4.50")))
                    for n in range(1, rows + 1)]
    case = NS(session_date=DAY, session_time=dt.time(10, 0), session_place="зал заседаний", filed_at=DAY,
              decided_at=DAY, original_score=Decimal("4.00"), evaluator_argument=text(3, 40),
              adopted_score=Decimal("4.50"), protocol_signed_on=DAY, posted_at=DAY, posting_due=DAY)
    tally = NS(participants=rows, keep=0, abstain=0, adjust={Decimal("4.50"): rows})
    return _common("п. 41 Методики", "Протокол калибровочной сессии", case=case, participants=participants,
                   tally=tally, **base)


def calibration_feedback(rows: int) -> dict:
    base = _calibration(rows)
    meeting = NS(held_on=DAY, achievements=_long_field(rows, 0), skills=_long_field(rows, 1),
                 potential=_long_field(rows, 2))
    return _common("п. 42 Методики", "Встреча обратной связи", case=NS(), meeting=meeting, **base)


# --- chapter 6: forms 9–11 ------------------------------------------------------------------


def _legacy_entry() -> NS:
    entry = _entry(STAFF, HEAD, "Главный специалист отдела организационной работы")
    entry.reason_detail = "социальный отпуск"
    return entry


def legacy_plan(rows: int) -> dict:
    entry = _legacy_entry()
    kcis = [NS(number=n, title=f"{marker(n, 'a')} {text(n, 14)}", criterion=text(n + 1, 8), resources=text(n + 2, 8),
               deadline=DAY, get_aim_kind_display="стратегическая цель", aim_name=f"{text(n + 3, 12)} {marker(n, 'z')}")
            for n in range(1, rows + 1)]
    plan = NS(higher_supervisor=HIGHER, approved_at=DAY, get_state_display="утверждён")
    return _common("Приложение 9 к Типовой методике", "Индивидуальный план работы", entry=entry, plan=plan,
                   kcis=kcis, period=PERIOD_NAME)


def legacy_sheet(rows: int) -> dict:
    entry = _legacy_entry()
    lines = [NS(kci=NS(number=n, title=f"{marker(n, 'a')} {text(n, 14)}", criterion=text(n + 1, 8)), achieved=True,
                evidence=f"{text(n + 2, 22)} {marker(n, 'z')}", files=NS(all=list))
             for n in range(1, rows + 1)]
    plan = NS(higher_supervisor=HIGHER)
    sheet = NS(get_state_display="вынесен на Комиссию", state="submitted", submitted_at=DAY, signed_at=DAY,
               achieved_count=5, submitted_by=None)
    return _common("Приложение 10 к Типовой методике", "Лист оценки по КЦИ", entry=entry, plan=plan, sheet=sheet,
                   lines=lines, gradation=NS(label="эффективно"), period=PERIOD_NAME)


def legacy_protocol(rows: int) -> dict:
    chairman = NS(employee=STAFF, get_role_display="председатель")
    members = [NS(employee=m, role="member", get_role_display="член Комиссии") for m in MEMBERS]
    secretary = NS(employee=CHIEF, get_role_display="секретарь")

    def votes(n: int) -> NS:
        chosen = [NS(member=m, choice="approve", get_gradation_display="") for m in [chairman, *members]]
        chosen[-1] = NS(member=members[-1], choice="revise", get_gradation_display=f"эффективно {marker(n, 'z')}")
        return NS(all=lambda: chosen)

    def item(n: int) -> NS:
        entry = NS(employee=NS(full_name=f"{marker(n, 'a')} Служащий {n}"), position=NS(title=text(n, 6)),
                   schedule=NS(period=QUARTER))
        return NS(sheet=NS(plan=NS(entry=entry), achieved_count=4), get_submitted_gradation_display="надлежащим образом",
                  decision="approve", get_decision_display="утвердить результат", decided_by_chairman=False,
                  get_corrected_gradation_display="", votes=votes(n))

    items = [item(n) for n in range(1, rows + 1)]
    meeting = NS(approved_at=None, date=DAY, place="зал заседаний")
    return _common("Приложение 11 к Типовой методике", "Протокол заседания Комиссии", meeting=meeting,
                   commission=NS(name="Комиссия по оценке", order_reference="приказ № 12"), chairman=chairman,
                   attendance=True, present_voting=[chairman, *members], voting=[chairman, *members], quorum=True,
                   secretary=secretary, signers=[chairman, *members, secretary], items=items, is_draft=False)



SIGNERS_STAFF = [HEAD.short_name, STAFF.short_name, CHIEF.short_name]

SAMPLES = [
    Sample("form1", "Форма 1: индивидуальный план (КЦИ)", "pdf/kci_plan.html", kci_plan, "Срок достижения",
           [CHAIRMAN.short_name, CHIEF.short_name, HEAD.short_name]),
    Sample("form2", "Форма 2: оценочный лист КЦИ", "pdf/kci_sheet.html", kci_sheet, "Фактическое значение",
           [CHAIRMAN.short_name, CHIEF.short_name, HEAD.short_name]),
    Sample("form3", "Форма 3: таблица допустимых оценок", "pdf/kci_table.html", kci_table, "Допустимая оценка",
           [CHIEF.short_name]),
    Sample("form4", "Форма 4: оценочный лист (ранжирование)", "pdf/ranking_sheet.html", ranking_sheet,
           "Параметр оценки", SIGNERS_STAFF),
    Sample("report", "Отчёт для принятия решений (п. 8)", "pdf/decision_report.html", decision_report, "Градация",
           [CHIEF.short_name]),
    Sample("form7", "Форма 7: отчёт 360", "pdf/survey360_report.html", survey360_report, "Среднее других",
           [CHIEF.short_name, STAFF.short_name]),
    Sample("form8", "Форма 8: обратная связь 360", "pdf/survey360_feedback.html", survey360_feedback, "",
           [CHIEF.short_name, STAFF.short_name], markers=False),
    Sample("training", "Потребности в обучении (360)", "pdf/survey360_training.html", survey360_training,
           "Наименее выраженные компетенции", [CHIEF.short_name]),
    Sample("calibration", "Протокол калибровочной сессии", "pdf/calibration_protocol.html", calibration_protocol,
           "Позиция", [HEAD.short_name]),
    Sample("calibration_feedback", "Встреча обратной связи (калибровка)", "pdf/calibration_feedback.html",
           calibration_feedback, "", [HEAD.short_name, STAFF.short_name], markers=False),
    Sample("form9", "Форма 9: индивидуальный план (глава 6)", "pdf/legacy_plan.html", legacy_plan, "Срок достижения",
           [HIGHER.short_name, HEAD.short_name, STAFF.short_name]),
    Sample("form10", "Форма 10: лист оценки (глава 6)", "pdf/legacy_sheet.html", legacy_sheet, "Критерий измерения",
           [HEAD.short_name, HIGHER.short_name, CHIEF.short_name, STAFF.short_name]),
    Sample("form11", "Форма 11: протокол Комиссии", "pdf/legacy_protocol.html", legacy_protocol, "Решение Комиссии",
           [STAFF.short_name, *(m.short_name for m in MEMBERS), CHIEF.short_name]),
]

BY_KEY = {s.key: s for s in SAMPLES}
