"""R13: a re-evaluation of the head's KCI result ordered on appeal of a calibration decision.

The scored sheet goes back to the evaluator (state «направлен оценивающему лицу»), who scores
each KCI again and submits through the ordinary page; the old scores are returned as a
snapshot that the calibration app keeps (history keeps every step). The new result replaces
the PeriodResult value through record_result on submission.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from appraisal.models import Method
from kci.models import KciScoreSheet, SheetState


def reopen_for_reevaluation(*, entry, by) -> dict | None:
    if entry.method != Method.KCI:
        return None
    sheet = KciScoreSheet.objects.select_for_update().filter(plan__entry=entry).first()
    if sheet is None or sheet.state != SheetState.SUBMITTED:
        raise ValidationError(_("п. 13: повторная оценка — по оценочному листу КЦИ с выставленной оценкой."),
                              code="sheet_not_submitted")
    lines = [
        {"number": line.kci.number, "title": line.kci.title, "target": str(line.kci.target),
         "actual": None if line.actual is None else str(line.actual),
         "percent": None if line.percent is None else str(line.percent),
         "score": None if line.score is None else str(line.score), "comment": line.comment}
        for line in sheet.lines.select_related("kci").order_by("kci__number")
    ]
    snapshot = {
        "sheet": {"model": KciScoreSheet._meta.label_lower, "pk": sheet.pk, "sent_state": SheetState.SUBMITTED},
        "title": str(_("Оценочный лист КЦИ, форма 2")),
        "score": None if sheet.score is None else str(sheet.score), "lines": lines,
        "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None,
    }
    # No transition leads back from «оценка выставлена»: a re-evaluation is the one way back.
    KciScoreSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SENT, submitted_at=None, submitted_by=None,
                                                     score=None)
    sheet = KciScoreSheet.objects.get(pk=sheet.pk)
    sheet._change_reason = _("п. 13: возвращён оценивающему лицу для повторной оценки")
    sheet._history_user = by
    sheet.save()
    return snapshot
