"""R13: a re-evaluation of a ranking result ordered on appeal of a calibration decision.

The sent sheet goes back to draft for the evaluator (the head of apparatus), who scores it
again and sends it through the ordinary page; the old scores and comments are returned as a
snapshot that the calibration app keeps (and the sheet's history keeps every step). The
new result replaces the PeriodResult value through record_result on sending.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from appraisal.models import Method
from ranking.models import RankingSheet, SheetState


def reopen_for_reevaluation(*, entry, by) -> dict | None:
    if entry.method != Method.RANKING:
        return None
    sheet = RankingSheet.objects.select_for_update().filter(entry=entry).first()
    if sheet is None or sheet.state != SheetState.SUBMITTED:
        raise ValidationError(_("п. 13: повторная оценка — по отправленному оценочному листу ранжирования."),
                              code="sheet_not_sent")
    snapshot = {
        "sheet": {"model": RankingSheet._meta.label_lower, "pk": sheet.pk, "sent_state": SheetState.SUBMITTED},
        "title": str(_("Оценочный лист (ранжирование), форма 4")),
        "points": sheet.points(), "comments": sheet.comments(),
        "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
    }
    # The state field is protected (no assignment outside a transition) and the model has no
    # transition back to draft: a re-evaluation is the one way back, done here explicitly.
    RankingSheet.objects.filter(pk=sheet.pk).update(state=SheetState.DRAFT, submitted_at=None, submitted_by=None)
    sheet = RankingSheet.objects.get(pk=sheet.pk)
    sheet._change_reason = _("п. 13: возвращён оценивающему лицу для повторной оценки")
    sheet._history_user = by
    sheet.save()
    return snapshot
