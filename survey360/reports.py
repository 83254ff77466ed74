"""R9, R36: the training-needs workbook of a campaign (the page and the PDF show the same data)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from appraisal.languages import localized
from appraisal.pdf import workbook_bytes
from survey360.models import Campaign
from survey360.selectors import TrainingNeeds


def training_needs_xlsx(campaign: Campaign, needs: TrainingNeeds) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("По служащим")
    ws.append([_("Потребности в обучении: оценка методом 360"), str(campaign.period), str(campaign.organisation)])
    ws.append([_("Служащий"), _("Должность"), _("Общая оценка"), _("Наименее выраженные компетенции")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for subject, rep in needs.rows:
        ws.append([subject.employee.full_name, subject.entry.position.title, float(rep.overall),
                   "; ".join(f"{localized(ln.competency, 'name')} ({number_format(ln.mean, 2)})" for ln in rep.least)])
    for subject in needs.insufficient:
        ws.append([subject.employee.full_name, subject.entry.position.title, None, _("недостаточно ответов")])
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 90
    totals = wb.create_sheet(_("Итого по компетенциям"))
    totals.append([_("Компетенция"), _("Число служащих, у которых она наименее выражена")])
    for name, n in needs.totals:
        totals.append([name, n])
    totals.column_dimensions["A"].width = 50
    return workbook_bytes(wb)
