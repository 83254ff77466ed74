"""R8: the per-period report of results and gradations the decisions are based on
(bonuses, rewards, training, rotation, promotion, demotion, dismissal).

It reads the shared `appraisal.PeriodResult`, so it holds KCI and ranking results alike
(and 360 for a year). For a year, KCI and ranking are reported as the R4 annual mean of the
year's quarterly results.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Method, Organisation, Participation, Period, PeriodResult, ScheduleEntry, ScheduleState
from appraisal.pdf import workbook_bytes
from appraisal.scoring import Gradation, gradation_for, mean_score
from appraisal.services.results import partial_year_note

ANNUAL_METHODS = (Method.KCI, Method.RANKING)


@dataclass
class ReportRow:
    employee: str
    position: str
    method: str
    participation: str
    score: Decimal | None
    gradation: str
    quarters: int | None = None
    # R41.2, R13, R63: the value before a calibration / appeal / Commission change, when any.
    original: Decimal | None = None


@dataclass
class DecisionReport:
    organisation: Organisation
    period: Period
    rows: list[ReportRow] = field(default_factory=list)
    quarters_scored: int = 0  # a year: the quarters with at least one KCI / ranking result

    @property
    def title(self) -> str:
        title = _("Результаты оценки за %(period)s") % {"period": self.period}
        if self.annual:
            # R4: a running year, or one with a quarter unscored, is not the year's result
            note = partial_year_note(year=self.period.year, quarters=self.quarters_scored)
            if note:
                return _("%(title)s — промежуточные: %(note)s") % {"title": title, "note": note}
        return title

    @property
    def annual(self) -> bool:
        return not self.period.is_quarter

    @property
    def filename(self) -> str:
        suffix = f"{self.period.year}-q{self.period.quarter}" if self.period.is_quarter else str(self.period.year)
        return f"results-{suffix}"

    @property
    def counts(self) -> list[tuple[str, int]]:
        by_label = defaultdict(int)
        for row in self.rows:
            if row.gradation:
                by_label[row.gradation] += 1
        return [(str(g.label), by_label.get(str(g.label), 0)) for g in Gradation]


def decision_report(*, organisation: Organisation, period: Period) -> DecisionReport:
    report = DecisionReport(organisation, period)
    entries = (
        ScheduleEntry.objects.filter(schedule__organisation=organisation, schedule__period=period,
                                     schedule__state=ScheduleState.APPROVED)
        .exclude(participation=Participation.NOT_EVALUATED)
        .select_related("employee", "position", "result")
        .order_by("employee__last_name", "employee__first_name", "pk")
    )
    for entry in entries:
        result = getattr(entry, "result", None)
        report.rows.append(ReportRow(
            entry.employee.full_name, entry.position.title, entry.get_method_display(),
            entry.get_participation_display(),
            result.score if result else None, result.get_gradation_display() if result else "",
            original=result.original_score if result and result.is_adjusted else None,
        ))
    if period.is_quarter:
        return report
    # R4: the year's final KCI / ranking score is the mean of its quarterly results.
    quarterly = (
        PeriodResult.objects.filter(
            entry__schedule__organisation=organisation, entry__schedule__state=ScheduleState.APPROVED,
            entry__schedule__period__kind="quarter", entry__schedule__period__year=period.year,
            entry__method__in=ANNUAL_METHODS,
        ).select_related("entry__employee", "entry__position", "entry__schedule__period")
        .order_by("entry__schedule__period__quarter")
    )
    grouped: dict[tuple[int, str], list[PeriodResult]] = defaultdict(list)
    for result in quarterly:
        grouped[(result.entry.employee_id, result.entry.method)].append(result)
    report.quarters_scored = len({r.entry.schedule.period_id for r in quarterly})
    annual_rows = []
    for (_employee_id, method), results in grouped.items():
        score = mean_score([r.score for r in results])
        latest = results[-1].entry
        annual_rows.append(ReportRow(
            latest.employee.full_name, latest.position.title,
            _("%(method)s — среднее за год (п. 4)") % {"method": Method(method).label},
            annual_participation(results), score, str(gradation_for(score).label), len(results),
        ))
    report.rows = sorted(annual_rows, key=lambda r: r.employee) + report.rows
    return report


def annual_participation(results: list[PeriodResult]) -> str:
    """The «Участие» of a year's row: the quarters' own participation (R4's mean covers them).
    One word when every quarter was the same, else each kind with its quarters, e.g.
    «с участием (I, II кв.); без участия (III кв.)»."""
    by_kind: dict[str, list[int]] = {}
    for result in results:
        by_kind.setdefault(result.entry.get_participation_display(), []).append(result.entry.schedule.period.quarter)
    if len(by_kind) == 1:
        return next(iter(by_kind))
    return "; ".join(
        _("%(participation)s (%(quarters)s кв.)") % {
            "participation": label, "quarters": ", ".join(ROMAN_QUARTERS[q] for q in quarters)}
        for label, quarters in by_kind.items()
    )


ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def report_xlsx(report: DecisionReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Результаты")[:31]
    sheet.append([report.organisation.name])  # the full name, as on the PDF
    sheet.append([report.title])
    sheet.append([_("Основание для решений о премировании, поощрении, обучении, ротации, повышении, "
                    "понижении в должности, увольнении (п. 8 Методики)")])
    sheet.append([_("Сформировано: %(at)s") % {"at": timezone.localtime().strftime("%d.%m.%Y %H:%M")}])
    sheet.append([])
    header = ["№", _("Служащий"), _("Должность"), _("Метод"), _("Участие"), _("Оценка"), _("Градация (п. 7)")]
    if report.annual:
        header.append(_("Кварталов"))
    header.append(_("Исходная оценка (до изменения)"))
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number, row in enumerate(report.rows, start=1):
        values = [number, row.employee, row.position, row.method, row.participation,
                  float(row.score) if row.score is not None else None, row.gradation or _("оценка не завершена")]
        if report.annual:
            values.append(row.quarters)
        values.append(float(row.original) if row.original is not None else None)
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=6).number_format = "0.00"
    sheet["A1"].font = Font(bold=True)
    sheet["A2"].font = Font(bold=True, size=13)
    for letter, width in zip("ABCDEFGHI", (5, 36, 34, 34, 16, 9, 58, 10, 12)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
