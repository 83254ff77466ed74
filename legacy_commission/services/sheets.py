"""Chapter 6, R47–R53: the KCI score sheet of appendix 10 and its review.

The direct supervisor marks each KCI achieved (fully met) or not, with the evidence in
words and files, signs and sends the sheet to the higher supervisor (R47, R49); the higher
supervisor agrees and signs it or returns it for rework, only for insufficient or
unreliable evidence (R50, R51); a returned sheet is due back within two working days (R52);
the chief specialist submits a signed sheet to the Commission within two working days
(R53). Every send and its outcome is a ReviewRound row. Deadlines are flagged, not enforced.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.notifications.outbox import notify_employee
from appraisal.uploads import extension_for, validate_upload
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import (
    LegacyEvidence,
    LegacyPlan,
    LegacyPlanState,
    LegacySheet,
    LegacySheetLine,
    LegacySheetState,
    ReturnReason,
    ReviewDecision,
    ReviewRound,
)
from legacy_commission.models.plan import is_supervisor
from legacy_commission.services.plans import REASON_MAX, clean_text, lock_plan, run

RESUBMIT_WORKING_DAYS = 2  # R52
COMMISSION_WORKING_DAYS = 2  # R53
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 10  # per KCI: enough for scans, bounded so a page stays readable
EVIDENCE_TEXT_MAX = 4000

_YES = {True, "1", "true", "yes", "on", "да"}
_NO = {False, "0", "false", "no", "off", "нет"}


def resubmission_due(sheet: LegacySheet, calendar: WorkingCalendar | None = None):
    """R52: the last day to send the reworked sheet back (None unless it was returned)."""
    if not sheet.returned_at:
        return None
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(timezone.localdate(sheet.returned_at), RESUBMIT_WORKING_DAYS)


def commission_due(sheet: LegacySheet, calendar: WorkingCalendar | None = None):
    """R53: the last day to submit the signed sheet to the Commission."""
    if not sheet.signed_at:
        return None
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(timezone.localdate(sheet.signed_at), COMMISSION_WORKING_DAYS)


def _lock_sheet(sheet: LegacySheet) -> LegacySheet:
    return LegacySheet.objects.select_for_update(of=("self",)).select_related(
        "plan__entry__schedule__period", "plan__entry__schedule__organisation", "plan__entry__evaluator",
        "plan__entry__employee", "plan__higher_supervisor").get(pk=sheet.pk)


def _require_filler(sheet: LegacySheet, by) -> None:
    if not is_supervisor(sheet.plan, by):
        raise PermissionDenied(_("п. 47: лист оценки заполняет непосредственный руководитель."))
    if not sheet.is_editable:
        raise ValidationError(_("п. 47: лист в состоянии «%(s)s» не изменяется.") % {"s": sheet.get_state_display()})


# --- opening and filling ------------------------------------------------------------------


@transaction.atomic
def open_sheet(*, plan: LegacyPlan, by) -> LegacySheet:
    """R47, R48: after the period the plan was drawn up for, the direct supervisor opens the
    sheet of an approved plan, one line per KCI."""
    plan = lock_plan(plan)
    if not is_supervisor(plan, by):
        raise PermissionDenied(_("п. 47: лист оценки заполняет непосредственный руководитель."))
    existing = LegacySheet.objects.filter(plan=plan).first()
    if existing is not None:
        return existing
    if plan.state != LegacyPlanState.APPROVED:
        raise ValidationError(_("п. 44: лист оценки — по плану, утверждённому вышестоящим руководителем (сейчас: "
                                "«%(s)s»).") % {"s": plan.get_state_display()})
    period = plan.entry.schedule.period
    if timezone.localdate() <= period.end:
        raise ValidationError(_("п. 48: оценка проводится по итогам периода, на который составлен план; лист "
                                "заполняется после %(d)s.") % {"d": fmt_date(period.end)})
    sheet = LegacySheet.objects.create(plan=plan, created_by=by)
    LegacySheetLine.objects.bulk_create([LegacySheetLine(sheet=sheet, kci=kci) for kci in plan.kcis.all()])
    for line in sheet.lines.all():  # bulk_create writes no history
        line.save()
    return sheet


def _parse_achieved(value) -> bool | None:
    if value is None or value == "":
        return None
    normalised = value.strip().lower() if isinstance(value, str) else value
    if normalised in _YES:
        return True
    if normalised in _NO:
        return False
    raise ValidationError({"achieved": _("п. 48: отметьте, достигнут ли КЦИ полностью: «да» или «нет».")})


@transaction.atomic
def save_line(*, line: LegacySheetLine, by, achieved, evidence: str = "", uploaded=None) -> LegacySheetLine:
    """R47, R48: achieved means fully met; the evidence in words beside it, and a file when
    one is given — all or nothing: a refused file leaves the line as it was."""
    sheet = _lock_sheet(line.sheet)
    _require_filler(sheet, by)
    line = LegacySheetLine.objects.select_related("kci").get(pk=line.pk, sheet=sheet)
    line.achieved = _parse_achieved(achieved)
    line.evidence = clean_text(evidence, field="evidence", limit=EVIDENCE_TEXT_MAX, rule=_("п. 47"),
                               label=_("Подтверждающие факты"))
    line.save()
    if uploaded is not None:
        add_evidence(line=line, by=by, uploaded=uploaded)
    return line


@transaction.atomic
def add_evidence(*, line: LegacySheetLine, by, uploaded) -> LegacyEvidence:
    """R47, R51: a file proving the KCI achieved, checked by its bytes (PDF, JPEG, PNG)."""
    sheet = _lock_sheet(line.sheet)
    _require_filler(sheet, by)
    line = LegacySheetLine.objects.select_related("kci").get(pk=line.pk, sheet=sheet)
    if uploaded is None:
        raise ValidationError(_("Выберите файл."))
    kind = validate_upload(uploaded, max_bytes=EVIDENCE_MAX_BYTES)
    if line.files.count() >= EVIDENCE_MAX_FILES:
        raise ValidationError(_("п. 47: к одному КЦИ — не более %(n)s файлов.") % {"n": EVIDENCE_MAX_FILES})
    name = clean_text(getattr(uploaded, "name", "") or "", field="file",
                      limit=LegacyEvidence._meta.get_field("original_name"), rule=_("п. 47"), label=_("Имя файла"))
    evidence = LegacyEvidence(line=line, original_name=name or f"file.{extension_for(kind)}", uploaded_by=by)
    # The stored name is ours, not the sender's: only the detected kind's extension.
    evidence.file.save(f"kci{line.kci.number}-{uuid.uuid4().hex}.{extension_for(kind)}", uploaded, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(*, evidence: LegacyEvidence, by) -> None:
    sheet = _lock_sheet(evidence.line.sheet)
    _require_filler(sheet, by)
    evidence = LegacyEvidence.objects.get(pk=evidence.pk, line__sheet=sheet)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    # The file goes only once the row is gone for good (history keeps the row, not the bytes).
    transaction.on_commit(lambda: storage.delete(stored))


# --- the review loop ----------------------------------------------------------------------


def _snapshot_lines(sheet: LegacySheet) -> list[dict]:
    return [{
        "number": line.kci.number, "title": line.kci.title, "achieved": line.achieved, "evidence": line.evidence,
        "files": [f.original_name for f in line.files.all()],
    } for line in sheet.lines.select_related("kci").prefetch_related("files").order_by("kci__number")]


def _refuse_incomplete(sheet: LegacySheet) -> None:
    lines = list(sheet.lines.select_related("kci").prefetch_related("files").order_by("kci__number"))
    undecided = [str(line.kci.number) for line in lines if line.achieved is None]
    if undecided or not lines:
        raise ValidationError(_("п. 47: отметьте по каждому КЦИ, достигнут ли он (нет отметки: № %(n)s).")
                              % {"n": ", ".join(undecided) or "—"})
    unproven = [str(line.kci.number) for line in lines if line.achieved and not line.evidence
                and not line.files.all()]
    if unproven:
        raise ValidationError(_("п. 51: по достигнутым КЦИ приложите подтверждающие факты (текст или файл): "
                                "№ %(n)s.") % {"n": ", ".join(unproven)})


@transaction.atomic
def send_sheet(*, sheet: LegacySheet, by) -> LegacySheet:
    """R47, R49, R52: the direct supervisor signs and sends the sheet to the higher
    supervisor; a resubmission after a return records whether it came within two working
    days of the return."""
    sheet = _lock_sheet(sheet)
    if not is_supervisor(sheet.plan, by):
        raise PermissionDenied(_("п. 49: лист вносит непосредственный руководитель."))
    _refuse_incomplete(sheet)
    due = resubmission_due(sheet) if sheet.state == LegacySheetState.RETURNED else None
    run(sheet, "send", by=by, who=_("п. 49: лист вносит непосредственный руководитель."))
    number = (sheet.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ReviewRound.objects.create(
        sheet=sheet, number=number, sent_at=sheet.sent_at, sent_by=by, due_on=due,
        late=bool(due and timezone.localdate(sheet.sent_at) > due), lines=_snapshot_lines(sheet),
        achieved_count=sheet.achieved_count)
    higher = sheet.plan.higher_supervisor
    if higher is not None:
        notify_employee(
            employee=higher, key=f"R49:legacy:{sheet.pk}:{number}", rule_id="R49",
            subject=_("Лист оценки по КЦИ на рассмотрение"),
            body=_("Непосредственный руководитель внёс на ваше рассмотрение лист оценки по КЦИ за %(p)s (п. 49, "
                   "п. 50 Методики): согласитесь с оценкой или направьте на доработку.")
            % {"p": sheet.plan.entry.schedule.period})
    return sheet


def _pending_round(sheet: LegacySheet) -> ReviewRound:
    return sheet.rounds.select_for_update().filter(decision=ReviewDecision.PENDING).order_by("-number").first()


@transaction.atomic
def sign_sheet(*, sheet: LegacySheet, by) -> LegacySheet:
    """R50: the higher supervisor agrees with the assessment and signs the sheet."""
    sheet = _lock_sheet(sheet)
    run(sheet, "sign", by=by, who=_("п. 50: решение по листу принимает вышестоящий руководитель."))
    current = _pending_round(sheet)
    if current is not None:
        current.decision, current.decided_at, current.decided_by = ReviewDecision.AGREED, sheet.signed_at, by
        current.save()
    return sheet


@transaction.atomic
def return_sheet(*, sheet: LegacySheet, by, reason_kind: str, reason: str) -> LegacySheet:
    """R50, R51: a return for rework, only for insufficient or unreliable evidence, with
    what to rework in words; R52 counts from it."""
    if reason_kind not in ReturnReason.values:
        raise ValidationError(_("п. 51: лист направляется на доработку только при недостаточности либо "
                                "недостоверности фактов, подтверждающих достижение КЦИ — выберите основание."),
                              code="no_reason")
    text = clean_text(reason, field="reason", limit=REASON_MAX, rule=_("п. 51"), label=_("Что доработать"),
                      required=_("п. 51: укажите, какие факты недостаточны или недостоверны."))
    sheet = _lock_sheet(sheet)
    run(sheet, "return_for_rework", by=by, who=_("п. 50: решение по листу принимает вышестоящий руководитель."),
        reason_kind=reason_kind, reason=text)
    current = _pending_round(sheet)
    if current is not None:
        current.decision, current.decided_at, current.decided_by = ReviewDecision.RETURNED, sheet.returned_at, by
        current.reason_kind, current.reason = reason_kind, text
        current.save()
    supervisor = sheet.plan.entry.evaluator
    if supervisor is not None:
        due = resubmission_due(sheet)
        notify_employee(
            employee=supervisor, key=f"R52:legacy:{sheet.pk}:{current.number if current else 0}", rule_id="R52",
            subject=_("Лист оценки по КЦИ направлен на доработку"),
            body=_("Основание (п. 51): %(kind)s. %(text)s Повторно внесите лист не позднее %(d)s (п. 52).")
            % {"kind": ReturnReason(reason_kind).label, "text": text, "d": fmt_date(due)})
    return sheet


@transaction.atomic
def submit_to_commission(*, sheet: LegacySheet, by) -> LegacySheet:
    """R53: the chief specialist submits the signed sheet to the Commission."""
    sheet = _lock_sheet(sheet)
    return run(sheet, "submit_to_commission", by=by,
               who=_("п. 53: лист выносит на рассмотрение Комиссии главный специалист."))
