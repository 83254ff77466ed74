"""Chapter 2 (R21–R27): every change to plans, KCIs, score sheets and the appendix-3 table.

Each service checks its rule and refuses with a Russian message that names it, inside one
transaction, so that a refusal changes nothing already saved.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.dates import fmt_date
from appraisal.deadlines import evaluation_deadline, head_notice_deadline, refuse_before_period_end
from appraisal.editions import edition_for_entry
from appraisal.models import EligibilityReason, Method, MethodologyEdition, ScheduleEntry, ScheduleState
from appraisal.notifications.outbox import notify_employee
from appraisal.record_text import detail_for_display
from appraisal.scoring import clean_score, mean_score
from appraisal.selectors import organisations_administered
from appraisal.services.results import record_result
from appraisal.transitions import Refusals, run_transition
from appraisal.uploads import extension_for, validate_upload
from appraisal.validation import clean_decimal_for, clean_text_for, fits_decimal
from kci.models import (
    AdmissibleScoreRow,
    AdmissibleScoreTable,
    AmendmentBasis,
    DocumentKind,
    IndicatorKind,
    IndividualPlan,
    Kci,
    KciScoreLine,
    KciScoreSheet,
    PlanState,
    PlanVersion,
    SheetState,
    is_chief,
    is_evaluator,
)

MIN_KCIS, MAX_KCIS = 3, 5  # R23
PERCENT_QUANTUM = Decimal("0.01")
# Limits of the free texts stored in TextFields (the model sets none): a KCI's resources, a
# note of the preliminary calculation, the evaluator's comment, a reason of return/amendment.
TEXT_LIMIT = 2000
MAX_TABLE_ROWS = 50  # appendix 3 has six rows; fifty is far beyond any real table
EVIDENCE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

# The linear default of forms.md (appendix 3 is not available here): [from, to) → score.
DEFAULT_ROWS = (
    (Decimal("0"), Decimal("20"), "0"),
    (Decimal("20"), Decimal("40"), "1"),
    (Decimal("40"), Decimal("60"), "2"),
    (Decimal("60"), Decimal("80"), "3"),
    (Decimal("80"), Decimal("100"), "4"),
    (Decimal("100"), None, "5"),
)


# --- appendix 3 -------------------------------------------------------------------------


def score_table(edition: MethodologyEdition) -> AdmissibleScoreTable:
    """The edition's table; a new edition gets the marked default until it is entered."""
    table = AdmissibleScoreTable.objects.filter(edition=edition).prefetch_related("rows").first()
    if table is None:
        with transaction.atomic():
            table, created = AdmissibleScoreTable.objects.get_or_create(edition=edition)
            if created:
                for low, high, scores in DEFAULT_ROWS:
                    AdmissibleScoreRow.objects.create(table=table, percent_from=low, percent_to=high, scores=scores)
        table = AdmissibleScoreTable.objects.prefetch_related("rows").get(pk=table.pk)
    return table


def compute_percent(target, actual) -> Decimal:
    """R27: percent of achievement = actual / target × 100, ROUND_HALF_UP to 0.01."""
    target, actual = Decimal(target), Decimal(actual)
    if target == 0:
        raise ValidationError(_("п. 27: процент не вычисляется при нулевом целевом значении."), code="zero_target")
    percent = (actual / target * 100).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)
    field = KciScoreLine._meta.get_field("percent")
    if not fits_decimal(percent, max_digits=field.max_digits, decimal_places=field.decimal_places):
        raise ValidationError(_("п. 27: процент достижения %(p)s %% слишком велик — проверьте фактическое и целевое "
                                "значения.") % {"p": percent}, code="percent_too_large")
    return percent


def admissible_scores(rows, percent: Decimal) -> list[int]:
    """R27: the score(s) the table allows for this percent."""
    for row in rows:
        if row.covers(percent):
            return row.score_list
    raise ValidationError(
        _("п. 27: процент достижения %(p)s %% не попадает ни в одну строку таблицы допустимых оценок (приложение 3).")
        % {"p": percent}
    )


def _parse_scores(text: str) -> str:
    values = []
    text = "" if text is None else str(text)
    if len(text) > 40:  # «0, 1, 2, 3, 4, 5» is the longest list that means something
        raise ValidationError(_("п. 27: допустимые оценки — целые числа от 0 до 5 через запятую."))
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part not in {"0", "1", "2", "3", "4", "5"}:
            raise ValidationError(_("п. 27: допустимые оценки — целые числа от 0 до 5 через запятую («%(v)s»).")
                                  % {"v": text})
        values.append(int(part))
    if not values:
        raise ValidationError(_("п. 27: в каждой строке таблицы укажите хотя бы одну допустимую оценку."))
    return ",".join(str(v) for v in sorted(set(values)))


@transaction.atomic
def save_score_table(*, table: AdmissibleScoreTable, rows: list[dict], confirm: bool, by) -> AdmissibleScoreTable:
    """Replace the rows of appendix 3. Rows are contiguous ranges from 0 % with the last one
    open-ended, so that every percent has exactly one row."""
    # Each body's chief specialist keeps her body's table (the edition's); a template's
    # table is the installation's.
    if table.edition.organisation_id is None or table.edition.organisation_id not in organisations_administered(by):
        raise PermissionDenied(_("п. 19: таблицу допустимых оценок ведёт главный специалист."))
    if len(rows) > MAX_TABLE_ROWS:
        raise ValidationError(_("п. 27: в таблице не больше %(n)s строк.") % {"n": MAX_TABLE_ROWS})
    low_field = AdmissibleScoreRow._meta.get_field("percent_from")
    high_field = AdmissibleScoreRow._meta.get_field("percent_to")
    cleaned = []
    for row in rows:
        cleaned.append((
            clean_decimal_for(low_field, row["percent_from"], rule=_("п. 27"), label=_("процент «от»"), min_value=0),
            None if row.get("percent_to") in (None, "") else clean_decimal_for(
                high_field, row["percent_to"], rule=_("п. 27"), label=_("процент «до»"), min_value=0),
            _parse_scores(row["scores"])))
    cleaned.sort(key=lambda r: r[0])
    if not cleaned or cleaned[0][0] != 0:
        raise ValidationError(_("п. 27: таблица должна начинаться с 0 %."))
    for (low, high, _s), following in zip(cleaned, [*cleaned[1:], None]):
        if following is None:
            if high is not None:
                raise ValidationError(_("п. 27: у последней строки не должно быть верхней границы (…% и более)."))
        elif high is None or high != following[0] or high <= low:
            raise ValidationError(_("п. 27: строки таблицы должны идти подряд без пропусков и наложений "
                                    "(«до» одной строки равно «от» следующей)."))
    table.rows.all().delete()
    for low, high, scores in cleaned:
        AdmissibleScoreRow.objects.create(table=table, percent_from=low, percent_to=high, scores=scores)
    if confirm:
        table.is_default, table.confirmed_at, table.confirmed_by = False, timezone.now(), by
    table.save()
    return table


def is_chief_of_any(user) -> bool:
    return bool(organisations_administered(user))


def is_chief_of(user, organisation_id: int | None) -> bool:
    return organisation_id in organisations_administered(user)


# --- the individual work plan ----------------------------------------------------------


def _refuse_entry(entry: ScheduleEntry) -> None:
    """R10, R21, R22.4: a plan only for a head evaluated by KCI under an approved schedule."""
    if entry.schedule.state != ScheduleState.APPROVED:
        raise ValidationError(_("п. 10: график оценки на период «%(p)s» не утверждён; индивидуальный план "
                                "не составляется.") % {"p": entry.schedule.period})
    if entry.method != Method.KCI:
        if entry.reason == EligibilityReason.KCI_LATE_APPOINTMENT or entry.rule_id == "R22.4":
            raise ValidationError(
                _("п. 22.4: до конца оцениваемого периода с даты назначения осталось менее трёх месяцев — КЦИ не "
                  "устанавливаются (%(detail)s).")
                % {"detail": detail_for_display(entry.reason_detail) or entry.get_reason_display()})
        raise ValidationError(_("п. 21: по КЦИ оценивается только руководитель аппарата; %(who)s: %(how)s.")
                              % {"who": entry.employee, "how": entry.get_method_display()})


@transaction.atomic
def create_plan(*, entry: ScheduleEntry, by) -> IndividualPlan:
    """R22.1: the evaluator drafts the head's plan for the period."""
    entry = ScheduleEntry.objects.select_related("schedule__period", "employee", "evaluator").get(pk=entry.pk)
    _refuse_entry(entry)
    if not is_evaluator(entry, by):
        raise PermissionDenied(_("п. 22.1: КЦИ устанавливает оценивающее лицо (%(who)s).")
                               % {"who": entry.evaluator or "—"})
    plan, _created = IndividualPlan.objects.get_or_create(entry=entry, defaults={"created_by": by})
    return plan


def _lock_plan(plan: IndividualPlan) -> IndividualPlan:
    return IndividualPlan.objects.select_for_update(of=("self",)).select_related(
        "entry__schedule__period", "entry__evaluator", "entry__employee").get(pk=plan.pk)


def _require_draft(plan: IndividualPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("п. 25: план в состоянии «%(s)s»; КЦИ меняются только через изменение плана "
                                "по основаниям п. 25.") % {"s": plan.get_state_display()})


def _require_kci_author(plan: IndividualPlan, by) -> None:
    if not is_evaluator(plan.entry, by):
        raise PermissionDenied(_("п. 22.1: КЦИ устанавливает оценивающее лицо."))


def clean_kci_data(plan: IndividualPlan, data: dict) -> dict:
    """R24: every SMART field is present; the deadline lies within the period."""
    period = plan.entry.schedule.period
    errors = {}
    cleaned = {}
    for field, message in (
        ("title", _("п. 24: укажите конкретный ожидаемый результат (конкретность).")),
        ("unit", _("п. 24: укажите единицу измерения (измеримость).")),
        ("resources", _("п. 24: укажите ресурсы и полномочия, за счёт которых КЦИ достижим (достижимость).")),
        ("document_name", _("п. 24: укажите документ государственного планирования или цель, на которую направлен КЦИ.")),
    ):
        limit = Kci._meta.get_field(field).max_length or TEXT_LIMIT
        try:
            cleaned[field] = clean_text_for(limit, data.get(field), rule=_("п. 24"),
                                            label=str(Kci._meta.get_field(field).verbose_name), required=True,
                                            required_message=message)
        except ValidationError as exc:
            errors[field] = exc.messages[0]
    if data.get("indicator_kind") not in IndicatorKind.values:
        errors["indicator_kind"] = _("п. 24: выберите вид показателя (количественный или качественный).")
    cleaned["indicator_kind"] = data.get("indicator_kind")
    if data.get("document_kind") not in DocumentKind.values:
        errors["document_kind"] = _("п. 24: выберите, на что направлен КЦИ.")
    cleaned["document_kind"] = data.get("document_kind")
    try:
        target = clean_decimal_for(Kci._meta.get_field("target"), data.get("target"), rule=_("п. 24"),
                                   label=_("целевое значение (измеримость)"))
    except ValidationError as exc:
        errors["target"] = exc.messages[0]
    else:
        if target == 0:
            errors["target"] = _("п. 27: процент не вычисляется при нулевом целевом значении.")
        elif target < 0:
            errors["target"] = _("п. 24: целевое значение должно быть больше нуля.")
        cleaned["target"] = target
    deadline = data.get("deadline")
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline)
        except ValueError:
            deadline = None
    if not isinstance(deadline, dt.date):
        errors["deadline"] = _("п. 24: укажите срок достижения (ограниченность во времени).")
    elif not period.start <= deadline <= period.end:
        errors["deadline"] = _("п. 24: срок достижения должен быть в пределах оцениваемого периода (%(a)s–%(b)s).") % {
            "a": fmt_date(period.start), "b": fmt_date(period.end)}
    cleaned["deadline"] = deadline
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_kci(*, plan: IndividualPlan, by, data: dict, kci: Kci | None = None) -> Kci:
    """Add (R23: at most five) or edit a KCI of a draft plan (R24)."""
    plan = _lock_plan(plan)
    _require_kci_author(plan, by)
    _require_draft(plan)
    cleaned = clean_kci_data(plan, data)
    if kci is None:
        count = plan.kcis.count()
        if count >= MAX_KCIS:
            raise ValidationError(_("п. 23: от 3 до 5 КЦИ; в плане уже %(n)s.") % {"n": count})
        numbers = list(plan.kcis.values_list("number", flat=True))
        return Kci.objects.create(plan=plan, number=max(numbers, default=0) + 1, **cleaned)
    kci = Kci.objects.select_for_update(of=("self",)).get(pk=kci.pk, plan=plan)
    for field, value in cleaned.items():
        setattr(kci, field, value)
    kci.save()
    return kci


@transaction.atomic
def delete_kci(*, kci: Kci, by) -> None:
    plan = _lock_plan(kci.plan)
    _require_kci_author(plan, by)
    _require_draft(plan)
    kci.delete()
    for number, item in enumerate(plan.kcis.order_by("number", "pk"), start=1):
        if item.number != number:
            item.number = number
            item.save(update_fields=["number"])


def _refuse_kci_count(plan: IndividualPlan) -> None:
    count = plan.kcis.count()
    if not MIN_KCIS <= count <= MAX_KCIS:
        raise ValidationError(_("п. 23: от 3 до 5 КЦИ; в плане %(n)s.") % {"n": count})


def _run(instance, name: str, *, by, who: str, **kwargs):
    return run_transition(instance, name, by=by, refusals=Refusals(
        not_now=_("Действие недоступно в состоянии «%(state)s»."),
        wrong_role=who,
        stale=_("Документ уже изменён другим пользователем. Обновите страницу — ваши данные не "
                "сохранены, сохранённые ранее не изменены."),
    ), **kwargs)


def _snapshot(plan: IndividualPlan) -> None:
    approved_by = plan.approved_by
    name = getattr(getattr(approved_by, "employee", None), "full_name", "") or str(approved_by)
    PlanVersion.objects.create(
        plan=plan, number=plan.version, approved_at=plan.approved_at, approved_by_name=name,
        amendment_basis=plan.amendment_basis, amendment_reason=plan.amendment_reason,
        kcis=[{
            "number": k.number, "title": k.title, "indicator_kind": k.get_indicator_kind_display(), "unit": k.unit,
            "target": str(k.target), "deadline": k.deadline.isoformat(), "resources": k.resources,
            "document_kind": k.get_document_kind_display(), "document_name": k.document_name,
        } for k in plan.kcis.order_by("number", "pk")],
    )


def amendment_open(plan: IndividualPlan) -> bool:
    """R25 (choice): the KCIs may be amended until the preliminary calculation is sent to the
    evaluator; after that the KCIs being scored do not move."""
    sheet = KciScoreSheet.objects.filter(plan=plan).only("state").first()
    return sheet is None or sheet.state == SheetState.PRELIMINARY


PLAN_WHO = {
    "agree": gettext_lazy("п. 22.1: КЦИ согласовывает главный специалист."),
    "approve": gettext_lazy("п. 22.1: КЦИ утверждает оценивающее лицо."),
    "post": gettext_lazy("п. 22.3: план размещает в системе главный специалист."),
    "return_to_draft": gettext_lazy("Вернуть план может оценивающее лицо или главный специалист."),
    "amend": gettext_lazy("п. 25: изменения в КЦИ вносит оценивающее лицо."),
}


@transaction.atomic
def plan_transition(*, plan: IndividualPlan, name: str, by, reason: str = "", basis: str = "") -> IndividualPlan:
    """Agree (chief specialist), approve (evaluator), post (chief specialist, R22.3), return,
    or amend (R25). Deadlines are flagged, not enforced (docs/conformance/kci.md)."""
    if name not in PLAN_WHO:
        raise PermissionDenied
    current = _lock_plan(plan)
    # Keep the caller's copy for ConcurrentTransitionMixin: its state is what they saw.
    plan.entry = current.entry
    if name in ("agree", "approve"):
        _refuse_kci_count(current)
    kwargs = {}
    if name in ("return_to_draft", "amend"):
        reason = clean_text_for(TEXT_LIMIT, reason, rule=_("п. 25") if name == "amend" else _("п. 22.1"),
                                label=_("причина"))
    if name == "return_to_draft":
        if not reason:
            raise ValidationError(_("Укажите причину возврата на доработку."))
        kwargs["reason"] = reason
    if name == "amend":
        if basis not in AmendmentBasis.values or not reason:
            raise ValidationError(_("п. 25: КЦИ изменяются только при изменении функций или структуры "
                                    "государственного органа — укажите основание и причину."))
        if not amendment_open(current):
            raise ValidationError(_("п. 25: предварительный расчёт уже направлен оценивающему лицу; КЦИ "
                                    "за период не изменяются."))
        kwargs.update(basis=basis, reason=reason)
    _run(plan, name, by=by, who=PLAN_WHO[name], **kwargs)
    if name == "approve":
        _snapshot(plan)
    return plan


# --- preliminary calculation and the score sheet ---------------------------------------


def _sync_lines(sheet: KciScoreSheet) -> None:
    existing = set(sheet.lines.values_list("kci_id", flat=True))
    for kci in sheet.plan.kcis.all():
        if kci.pk not in existing:
            KciScoreLine.objects.create(sheet=sheet, kci=kci)


@transaction.atomic
def ensure_sheet(*, plan: IndividualPlan, by) -> KciScoreSheet:
    """R22.6: the chief specialist opens the preliminary calculation of a posted plan."""
    plan = _lock_plan(plan)
    if not is_chief(plan.entry, by):
        raise PermissionDenied(_("п. 22.6: предварительный расчёт делает главный специалист."))
    if plan.state != PlanState.POSTED:
        raise ValidationError(_("п. 22.3: предварительный расчёт — по плану, размещённому в системе "
                                "(сейчас: «%(s)s»).") % {"s": plan.get_state_display()})
    sheet, _created = KciScoreSheet.objects.get_or_create(plan=plan, defaults={"plan_version": plan.version})
    if sheet.state == SheetState.PRELIMINARY:
        sheet.plan_version = plan.version
        sheet.save(update_fields=["plan_version"])
        _sync_lines(sheet)
    return sheet


def _table_rows(sheet: KciScoreSheet) -> list[AdmissibleScoreRow]:
    return list(score_table(edition_for_entry(sheet.plan.entry)).rows.all())


@transaction.atomic
def save_actual(*, line: KciScoreLine, by, actual, note: str = "", evidence=None) -> KciScoreLine:
    """R22.6: the actual value of one KCI, with a note or a file as evidence; the percent and
    the admissible scores follow (R27)."""
    sheet = KciScoreSheet.objects.select_for_update(of=("self",)).select_related("plan__entry__schedule__period").get(
        pk=line.sheet_id)
    if not is_chief(sheet.plan.entry, by):
        raise PermissionDenied(_("п. 22.6: фактические значения вносит главный специалист."))
    if sheet.state != SheetState.PRELIMINARY:
        raise ValidationError(_("п. 22.6: расчёт уже направлен оценивающему лицу."))
    line = KciScoreLine.objects.select_related("kci").get(pk=line.pk, sheet=sheet)
    value = clean_decimal_for(KciScoreLine._meta.get_field("actual"), actual, rule=_("п. 22.6"),
                              label=_("фактическое значение"))
    note = clean_text_for(TEXT_LIMIT, note, rule=_("п. 22.6"), label=_("пояснение"))
    if evidence:
        kind = validate_upload(evidence, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
        # The stored name carries the kind read from the bytes, never the sender's extension.
        evidence.name = f"kci-{line.kci.number}.{extension_for(kind)}"
    if not note and not evidence and not line.evidence:
        raise ValidationError(_("п. 22.6: приложите пояснение или файл, подтверждающие фактическое значение."))
    percent = compute_percent(line.kci.target, value)
    line.actual, line.note, line.percent = value, note, percent
    line.admissible = ",".join(str(s) for s in admissible_scores(_table_rows(sheet), percent))
    if evidence:
        line.evidence = evidence
    line.save()
    return line


@transaction.atomic
def send_sheet(*, sheet: KciScoreSheet, by) -> KciScoreSheet:
    """R22.6: the preliminary calculation goes to the evaluator."""
    missing = [line.kci.number for line in sheet.lines.select_related("kci") if line.actual is None]
    if missing or not sheet.lines.exists():
        raise ValidationError(_("п. 22.6: внесите фактические значения всех КЦИ (нет: %(n)s).")
                              % {"n": ", ".join(map(str, missing)) or "—"})
    return _run(sheet, "send", by=by, who=_("п. 22.6: расчёт направляет главный специалист."))


@transaction.atomic
def return_sheet(*, sheet: KciScoreSheet, by, reason: str) -> KciScoreSheet:
    reason = clean_text_for(TEXT_LIMIT, reason, rule=_("п. 22.6"), label=_("что уточнить"))
    if not reason:
        raise ValidationError(_("Укажите, что уточнить в расчёте."))
    return _run(sheet, "return_calculation", by=by, who=_("Вернуть расчёт может оценивающее лицо."),
                reason=reason)


STALE_SHEET = gettext_lazy("п. 27: оценочный лист уже изменён другим пользователем (сейчас: «%(s)s»). Ваши оценки не "
                    "сохранены, сохранённые ранее данные не изменены; обновите страницу.")


@transaction.atomic
def submit_sheet(*, sheet: KciScoreSheet, by, scores: dict[int, tuple[object, str]]) -> KciScoreSheet:
    """R27: the evaluator scores each KCI 0–5, only from the admissible scores; the quarter's
    result is the mean (R7), recorded once. Two people submitting at once: the first wins,
    the second is refused by the state check of ConcurrentTransitionMixin and changes nothing."""
    if not is_evaluator(sheet.plan.entry, by):
        raise PermissionDenied(_("п. 27: оценку выставляет оценивающее лицо."))
    refuse_before_period_end(sheet.plan.entry.schedule.period, timezone.localdate())
    current = KciScoreSheet.objects.select_for_update(of=("self",)).only("state").get(pk=sheet.pk)
    if current.state != SheetState.SENT or sheet.state != SheetState.SENT:
        raise ValidationError(STALE_SHEET % {"s": current.get_state_display()})
    rows = _table_rows(sheet)
    given = []
    lines = list(sheet.lines.select_related("kci").order_by("kci__number"))
    for line in lines:
        raw, comment = scores.get(line.pk, (None, ""))
        if raw in (None, ""):
            raise ValidationError(_("п. 27: выставьте оценку по КЦИ № %(n)s.") % {"n": line.kci.number})
        score = clean_score(raw)
        line.percent = compute_percent(line.kci.target, line.actual)
        allowed = admissible_scores(rows, line.percent)
        if score not in [Decimal(a) for a in allowed]:
            raise ValidationError(
                _("п. 27: по КЦИ № %(n)s при достижении %(p)s %% допустимы оценки: %(a)s; выставлено %(s)s.")
                % {"n": line.kci.number, "p": line.percent, "a": ", ".join(map(str, allowed)), "s": score})
        line.admissible = ",".join(map(str, allowed))
        line.score = score
        line.comment = clean_text_for(TEXT_LIMIT, comment, rule=_("п. 27"),
                                      label=_("комментарий к КЦИ № %(n)s") % {"n": line.kci.number})
        given.append(score)
    result = mean_score(given)
    _run(sheet, "submit", by=by, who=_("п. 27: оценку выставляет оценивающее лицо."), score=result)
    for line in lines:
        line.save()
    record_result(entry=sheet.plan.entry, score=result, completed_at=sheet.submitted_at)
    return sheet


# --- R26: notice of the coming evaluation ----------------------------------------------


def notify_heads(now) -> int:
    """R26: from the day after a quarter ends, queue the head's notice of the coming
    evaluation (no later than the 5th). The key makes it exactly once. A schedule approved
    after the 5th still gets its notice, saying it is late, until the sheet is scored: the head
    must not learn of the evaluation only from its result."""
    today = timezone.localdate(now)
    entries = (
        ScheduleEntry.objects.filter(
            method=Method.KCI, schedule__state=ScheduleState.APPROVED, schedule__period__kind="quarter",
            schedule__period__end__lt=today, schedule__period__end__gte=today - dt.timedelta(days=62),
        ).exclude(participation="not_evaluated")
        .exclude(kci_plan__sheet__state=SheetState.SUBMITTED)
        .select_related("schedule__period", "employee", "evaluator")
    )
    queued = 0
    editions = {}  # each body's edition, per period
    for entry in entries:
        period = entry.schedule.period
        key = (period.pk, entry.schedule.organisation_id)
        if key not in editions:
            editions[key] = edition_for_entry(entry)
        edition = editions[key]
        body = _("Уведомляем о проведении оценки вашей деятельности по достижению КЦИ за %(p)s. Оценивающее лицо: "
                 "%(e)s. Последний день оценки — %(d)s (п. 4, п. 26 Методики).") % {
            "p": period, "e": entry.evaluator or "—", "d": fmt_date(evaluation_deadline(period, edition))}
        notice_day = head_notice_deadline(period, edition)
        if today > notice_day:
            body += " " + _("Уведомление направлено после срока п. 26 (%(d)s): график оценки утверждён позже.") % {
                "d": fmt_date(notice_day)}
        messages = notify_employee(employee=entry.employee, key=f"R26:{entry.pk}", rule_id="R26",
                                   subject=_("Оценка по КЦИ за %(p)s") % {"p": period}, body=body)
        queued += len(messages)
    return queued
