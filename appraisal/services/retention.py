"""R14: evaluation documents are kept three years from the evaluation's completion; then
the chief specialist disposes of them, and a record of the disposal is kept.

"Three years from completion" (docs/conformance.md, choices recorded): the term starts on
the local day of PeriodResult.completed_at and, as a term counted in years, ends on the
same date three years later (the 29th of February on the 28th); the documents are kept
through that day, and disposal is possible from the day after it.

What is disposed of, per schedule line: every document the chapter apps list through
appraisal.hooks.on_retention (plans, sheets, tallies, evidence files…), then the core's own
(acknowledgements with their scans when that model exists, and the PeriodResult itself).
The ScheduleEntry stays: the schedule is an organisational document, and the Disposal
record points at it. One transaction for the whole confirmation; files leave the disk only
after the commit, so a failure leaves rows and files in place.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from appraisal import hooks, roles
from appraisal.dates import add_months, fmt_date
from appraisal.models import Disposal, Organisation, PeriodResult, Role, ScheduleEntry

RETENTION_MONTHS = 36
RESULT_LABEL = gettext_lazy("Результат оценки")


def disposal_allowed_from(completed_at: dt.datetime) -> dt.date:
    """The first day the documents of an evaluation completed at `completed_at` may be disposed of."""
    return add_months(timezone.localdate(completed_at), RETENTION_MONTHS) + dt.timedelta(days=1)


def core_documents(entries: QuerySet[ScheduleEntry]) -> list[tuple[str, QuerySet]]:
    """The core's own documents of these lines, after every chapter's (they may point at the result)."""
    pairs = []
    try:
        # The acknowledgement of R11 (with its R11.2 proof scan), when that model is installed.
        acknowledgement = apps.get_model("appraisal", "Acknowledgement")
    except LookupError:
        acknowledgement = None
    if acknowledgement is not None:
        pairs.append((gettext_lazy("Ознакомления с результатом"), _rows_of(acknowledgement, entries)))
        # The acknowledgements of an evaluation superseded by a re-evaluation (R13) survive
        # only as history rows (appraisal.services.acknowledgement.start_again_after_reevaluation);
        # listed after the current ones, whose disposal already removes their own history.
        pairs.append((gettext_lazy("Ознакомления с результатом до повторной оценки (записи истории)"),
                      _history_model(acknowledgement).objects.filter(result__entry__in=entries)
                      .exclude(id__in=acknowledgement.objects.values("pk"))))
    pairs.append((RESULT_LABEL, PeriodResult.objects.filter(entry__in=entries)))
    return pairs


def _rows_of(model, entries) -> QuerySet:
    """Rows of `model` that point at these lines through an `entry` or a `result` field."""
    names = {f.name for f in model._meta.get_fields()}
    if "entry" in names:
        return model.objects.filter(entry__in=entries)
    return model.objects.filter(result__entry__in=entries)


def documents_of(entries: QuerySet[ScheduleEntry]) -> list[tuple[str, QuerySet]]:
    return hooks.retention_documents(entries) + core_documents(entries)


@dataclass
class DueLine:
    entry: ScheduleEntry
    completed_at: dt.datetime
    allowed_from: dt.date
    documents: list[tuple[str, int]] = field(default_factory=list)


def _results_of(organisation: Organisation) -> QuerySet[PeriodResult]:
    return PeriodResult.objects.filter(entry__schedule__organisation=organisation).select_related(
        "entry__employee", "entry__schedule__period", "entry__position").order_by("completed_at", "pk")


def lines_due(*, organisation: Organisation, today: dt.date | None = None, with_counts: bool = True) -> list[DueLine]:
    """R14: the lines of the organisation whose documents may be disposed of today, each with
    the (label, count) of what would be destroyed. Nothing evaluative: kinds and counts only."""
    today = today or timezone.localdate()
    # A coarse filter in the database (no line completed later than three years before today
    # can be due), the exact day rule in Python.
    coarse = timezone.make_aware(dt.datetime.combine(add_months(today, -RETENTION_MONTHS) + dt.timedelta(days=2),
                                                     dt.time.min))
    due = []
    for result in _results_of(organisation).filter(completed_at__lt=coarse):
        allowed_from = disposal_allowed_from(result.completed_at)
        if allowed_from > today:
            continue
        line = DueLine(result.entry, result.completed_at, allowed_from)
        if with_counts:
            line.documents = _counts(ScheduleEntry.objects.filter(pk=result.entry_id))
        due.append(line)
    return due


def _counts(entries: QuerySet[ScheduleEntry]) -> list[tuple[str, int]]:
    return [(str(label), n) for label, queryset in documents_of(entries) if (n := queryset.count())]


def _require_chief(organisation_id: int, by) -> None:
    if not roles.has_role(by, organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 14: документы оценки уничтожает главный специалист."))


def _file_names(model, rows) -> list[tuple[object, str]]:
    """(storage, name) of every file the rows name. `rows` may be the model's history rows,
    where simple-history keeps a FileField as plain text: the storage is the model's."""
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    names = []
    for row in rows:
        for f in file_fields:
            value = getattr(row, f.name)
            name = getattr(value, "name", value)
            if name:
                names.append((f.storage, name))
    return names


def _history_model(model):
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def _destroy(queryset: QuerySet, files: list) -> int:
    """Delete the rows, then every history row of them (the delete itself writes one), and
    note their files — current and earlier versions — for removal after the commit."""
    model = queryset.model
    rows = list(queryset)
    if not rows:
        return 0
    pks = [row.pk for row in rows]
    # A history model's FileField is plain text: the storage is the tracked model's.
    files.extend(_file_names(getattr(model, "instance_type", model), rows))
    model.objects.filter(pk__in=pks).delete()
    history = _history_model(model)
    if history is not None:
        old_versions = history.objects.filter(**{f"{model._meta.pk.attname}__in": pks})
        files.extend(_file_names(model, old_versions))
        old_versions.delete()
    return len(rows)


def _refuse_not_due(result: PeriodResult, today: dt.date) -> None:
    allowed_from = disposal_allowed_from(result.completed_at)
    if allowed_from > today:
        raise ValidationError(
            _("п. 14: документы оценки %(name)s за %(period)s хранятся три года с завершения оценки "
              "(%(done)s); уничтожение возможно с %(from)s.")
            % {"name": result.entry.employee.short_name, "period": result.entry.schedule.period,
               "done": fmt_date(timezone.localdate(result.completed_at)), "from": fmt_date(allowed_from)},
            code="retention_running",
        )


@transaction.atomic
def dispose(*, entry_ids: list[int], by) -> list[Disposal]:
    """R14: destroy the documents of these lines and keep a record of it, all or nothing.

    Refuses (п. 14) a line not completed or whose three years have not run out; a user who
    is not the chief specialist of the line's organisation is refused too."""
    if not entry_ids:
        raise ValidationError(_("п. 14: не выбраны документы для уничтожения."), code="nothing_chosen")
    today = timezone.localdate()
    now = timezone.now()
    entries = list(ScheduleEntry.objects.select_for_update().filter(pk__in=entry_ids).order_by("pk"))
    if len(entries) != len(set(entry_ids)):
        raise ValidationError(_("п. 14: строка графика не найдена."), code="not_found")
    results = {r.entry_id: r for r in PeriodResult.objects.select_related(
        "entry__employee", "entry__schedule__period").filter(entry__in=entries)}
    for entry in entries:
        _require_chief(entry.schedule.organisation_id, by)
        result = results.get(entry.pk)
        if result is None:
            raise ValidationError(
                _("п. 14: оценка %(name)s не завершена; её документы хранятся.") % {"name": entry.employee.short_name},
                code="not_completed")
        _refuse_not_due(result, today)

    files: list[tuple[object, str]] = []
    disposals = []
    by_name = getattr(getattr(by, "employee", None), "full_name", "") or by.get_full_name() or by.get_username()
    for entry in entries:
        result = results[entry.pk]
        destroyed = []
        for label, queryset in documents_of(ScheduleEntry.objects.filter(pk=entry.pk)):
            try:
                n = _destroy(queryset, files)
            except (ProtectedError, RestrictedError) as exc:
                # An app holds rows on these documents and has not listed them (no
                # on_retention of its own): refuse, and the transaction puts everything back.
                blockers = sorted({str(obj._meta.verbose_name_plural) for obj in
                                   (exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)})
                raise ValidationError(
                    _("п. 14: документы оценки %(name)s связаны с записями, которые не уничтожаются вместе с ними "
                      "(%(what)s); ничего не уничтожено.") % {"name": entry.employee.short_name, "what": ", ".join(blockers)},
                    code="protected") from exc
            if n:
                destroyed.append([str(label), n])
        disposals.append(Disposal.objects.create(
            organisation_id=entry.schedule.organisation_id, entry=entry, person_name=entry.employee.full_name,
            period_label=str(entry.schedule.period), completed_at=result.completed_at, disposed_at=now,
            disposed_by=by, disposed_by_name=by_name, documents=destroyed,
        ))

    unique_files = {(id(storage), name): (storage, name) for storage, name in files}
    transaction.on_commit(lambda: _delete_files(unique_files.values()))
    return disposals


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


def disposals_of(organisation: Organisation) -> QuerySet[Disposal]:
    return Disposal.objects.filter(organisation=organisation).select_related("entry__schedule__period")
