"""R13: the calibration decision appealed under the Administrative Procedural Code.

The chief specialist records the appeal and its outcome:
- upheld: nothing changes;
- overturned: a score the session adopted gives way to the score before it (the result's
  history keeps both);
- re-evaluation ordered: each method's app returns its own sheet to the evaluator through
  appraisal.hooks.run_reevaluation and gives a snapshot of the old one, kept here; when the
  evaluator has sent the new sheet, the chief specialist records the new result, which
  supersedes the old one (adjust_result: the first original stays beside it).
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from appraisal import hooks
from appraisal.dates import fmt_date
from appraisal.models import PeriodResult
from appraisal.services.results import adjust_result
from calibration.models import (
    PLACE_MAX,
    Appeal,
    AppealOutcome,
    CalibrationCase,
    CaseState,
    Reevaluation,
    is_chief_specialist,
)
from calibration.services.common import clean_date, clean_text, lock, not_in_future


def _require_chief(case: CalibrationCase, by) -> None:
    if not is_chief_specialist(case, by):
        raise PermissionDenied(_("п. 13: обжалование решения калибровочной сессии фиксирует главный специалист."))


@transaction.atomic
def record_appeal(*, case: CalibrationCase, by, filed_on, body: str) -> Appeal:
    case = lock(case)
    _require_chief(case, by)
    if case.state != CaseState.POSTED:
        raise ValidationError(_("п. 13: обжалуется решение калибровочной сессии, протокол которой размещён."),
                              code="not_posted")
    if Appeal.objects.filter(case=case).exists():
        raise ValidationError(_("п. 13: обжалование этого решения уже зафиксировано."), code="duplicate")
    label = _("Дата подачи жалобы")
    filed_on = not_in_future(clean_date(filed_on, rule="13", label=label), rule="13", label=label)
    if filed_on < case.protocol_signed_on:
        raise ValidationError(_("п. 13: жалоба не может быть подана раньше решения (%(day)s).")
                              % {"day": fmt_date(case.protocol_signed_on)}, code="before_decision")
    body = clean_text(body, rule="13", label=_("Орган (суд)"), max_length=PLACE_MAX)
    return Appeal.objects.create(case=case, filed_on=filed_on, body=body, recorded_by=by)


def _basis(appeal: Appeal, words: str) -> str:
    """The basis stored with the result: text of record, in the language of record (like the
    schedule reasons), whatever the interface language of the chief specialist."""
    with translation.override(settings.LANGUAGE_CODE):
        return (_("%(words)s %(reference)s от %(day)s") % {
            "words": _(words), "reference": appeal.decision_reference, "day": fmt_date(appeal.decided_on)})[:300]


@transaction.atomic
def decide_appeal(*, appeal: Appeal, by, outcome: str, decided_on, reference: str) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    case = lock(appeal.case)
    _require_chief(case, by)
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("п. 13: итог обжалования уже записан."), code="decided")
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.OVERTURNED, AppealOutcome.REEVALUATION):
        raise ValidationError(_("п. 13: выберите итог обжалования."), code="bad_outcome")
    label = _("Дата решения по жалобе")
    decided_on = not_in_future(clean_date(decided_on, rule="13", label=label), rule="13", label=label)
    if decided_on < appeal.filed_on:
        raise ValidationError(_("п. 13: решение по жалобе не может быть раньше её подачи (%(day)s).")
                              % {"day": fmt_date(appeal.filed_on)}, code="before_filing")
    appeal.decision_reference = clean_text(reference, rule="13", label=_("Реквизиты решения"), max_length=PLACE_MAX)
    appeal.outcome, appeal.decided_on = outcome, decided_on
    appeal.save()
    result = case.result
    if outcome == AppealOutcome.OVERTURNED and case.adopted_score is not None:
        adjust_result(result=result, score=case.original_score,
                      basis=_basis(appeal, gettext_noop("решение об отмене решения калибровочной сессии")))
    elif outcome == AppealOutcome.REEVALUATION:
        snapshot = hooks.run_reevaluation(entry=result.entry, by=by)
        if snapshot is None:
            raise ValidationError(
                _("п. 13: повторная оценка %(method)s в системе не проводится (результат 360 складывается из "
                  "анонимных анкет респондентов за год и не может быть собран заново для одного служащего); "
                  "запишите итог «решение отменено» или «решение оставлено в силе».")
                % {"method": result.entry.get_method_display()},
                code="no_reevaluation")
        Reevaluation.objects.create(appeal=appeal, method=result.entry.method, score_before=result.score,
                                    snapshot=snapshot, reopened_at=timezone.now())
    return appeal


def reevaluated_sheet_sent(reevaluation: Reevaluation) -> bool:
    """Whether the method's sheet named in the snapshot has been sent again."""
    sheet = reevaluation.snapshot.get("sheet") or {}
    try:
        model = apps.get_model(sheet["model"])
    except (KeyError, LookupError):
        return False
    return model.objects.filter(pk=sheet.get("pk"), state=sheet.get("sent_state")).exists()


@transaction.atomic
def complete_reevaluation(*, reevaluation: Reevaluation, by, at: dt.datetime | None = None) -> Reevaluation:
    """The new sheet's result supersedes the old one: recorded with the decision as basis."""
    reevaluation = Reevaluation.objects.select_for_update(of=("self",)).select_related("appeal").get(pk=reevaluation.pk)
    appeal = reevaluation.appeal
    case = lock(appeal.case)
    _require_chief(case, by)
    if reevaluation.completed_at is not None:
        raise ValidationError(_("п. 13: результат повторной оценки уже записан."), code="done")
    if not reevaluated_sheet_sent(reevaluation):
        raise ValidationError(_("п. 13: оценивающее лицо ещё не направило новый оценочный лист."), code="not_sent")
    result = PeriodResult.objects.get(pk=case.result_id)
    adjust_result(result=result, score=result.score, basis=_basis(appeal, gettext_noop("повторная оценка по решению")), at=at)
    reevaluation.completed_at, reevaluation.score_after = at or timezone.now(), result.score
    reevaluation.save()
    return reevaluation
