"""Writes of chapter 3 (R28–R32, R4, R30): opening a quarter's sheets, saving and sending
the evaluator's scores, recording the result, the R30 notices."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from appraisal.deadlines import evaluation_deadline, refuse_before_period_end, staff_notice_deadline
from appraisal.editions import edition_for_period
from appraisal.models import Employee, Method, Participation, Period, Schedule, ScheduleEntry, ScheduleState
from appraisal.notifications.outbox import Addressee, Notice, notify_employees
from appraisal.scoring import mean_score
from appraisal.services.results import record_result
from appraisal.validation import clean_text_for
from ranking.models import (
    MAX_POINTS,
    MIN_POINTS,
    PARAMETER_CODES,
    Parameter,
    RankingSheet,
    SheetState,
    can_evaluate,
)
from ranking.selectors import ParameterSpec, parameters_for_period

# --- opening a quarter -----------------------------------------------------------------

_HISTORY_ONLY = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def open_quarter_sheets(schedule: Schedule) -> int:
    """R28, R29: one draft sheet per ranking line of an approved quarter schedule, in one
    transaction and a constant number of statements whatever the head count.

    The rows are written with INSERT … SELECT from the schedule lines, sheet and history
    alike: `bulk_create_with_history` would be split by Django into batches of 999
    parameters on SQLite, so its statement count would grow with the staff. Lines «оценка
    не проводится» (R5.1) get no sheet; lines «без участия» (R5.2, R6) are marked so.
    Returns the number of sheets created; running it twice creates nothing more.
    """
    if schedule.state != ScheduleState.APPROVED or not schedule.period.is_quarter:
        return 0
    quote = connection.ops.quote_name
    sheet_table = quote(RankingSheet._meta.db_table)
    entry_table = quote(ScheduleEntry._meta.db_table)
    history_model = RankingSheet.history.model
    history_table = quote(history_model._meta.db_table)
    comment_columns = [quote(f"{code}_comment") for code in PARAMETER_CODES]

    insert_sheets = (
        f"INSERT INTO {sheet_table} (entry_id, state, without_participation, {', '.join(comment_columns)}) "  # noqa: S608  quoted identifiers from _meta and constants, no user input
        f"SELECT e.id, %s, (e.participation = %s), {', '.join(['%s'] * len(comment_columns))} "
        f"FROM {entry_table} e WHERE e.schedule_id = %s AND e.method = %s AND e.participation <> %s "
        f"AND NOT EXISTS (SELECT 1 FROM {sheet_table} s WHERE s.entry_id = e.id)"
    )
    sheet_params = [SheetState.DRAFT, Participation.WITHOUT, *([""] * len(comment_columns)),
                    schedule.pk, Method.RANKING, Participation.NOT_EVALUATED]

    columns, selected, history_params = [], [], []
    extra = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": _("п. 28: лист создан при утверждении графика"),
        "history_type": "+",
        "history_user": schedule.approved_by_id,
    }
    for field in history_model._meta.concrete_fields:
        if field.name == "history_id":
            continue
        columns.append(quote(field.column))
        if field.name in _HISTORY_ONLY:
            selected.append("%s")
            history_params.append(extra[field.name])
        else:
            selected.append(f"s.{quote(field.column)}")
    insert_history = (
        f"INSERT INTO {history_table} ({', '.join(columns)}) SELECT {', '.join(selected)} "  # noqa: S608  quoted identifiers from _meta and constants, no user input
        f"FROM {sheet_table} s INNER JOIN {entry_table} e ON e.id = s.entry_id WHERE e.schedule_id = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {history_table} h WHERE h.id = s.id)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert_sheets, sheet_params)
        created = cursor.rowcount
        if created:
            cursor.execute(insert_history, [*history_params, schedule.pk])
    return created


# --- the evaluator's page --------------------------------------------------------------

@dataclass
class SheetInput:
    points: dict[str, int | None]
    comments: dict[str, str]


def parse_points(raw, *, who) -> int | None:
    """R31: a whole score from 0 to 5; empty means «not scored yet»."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not MIN_POINTS <= value <= MAX_POINTS:
        raise ValidationError(
            _("п. 31: оценка от 0 до 5 (%(who)s: «%(value)s»).") % {"who": who, "value": text[:20]},
            code="points_out_of_range",
        )
    return value


# The comments are TextFields; the page used to cut them at this length without a word.
COMMENT_LIMIT = 2000


def parse_input(sheet: RankingSheet, raw: dict[str, str]) -> SheetInput:
    who = sheet.entry.employee.short_name
    return SheetInput(
        points={code: parse_points(raw.get(code), who=who) for code in PARAMETER_CODES},
        comments={code: clean_text_for(COMMENT_LIMIT, raw.get(f"{code}_comment"), rule=_("п. 31"),
                                       label=_("комментарий (%(who)s, «%(p)s»)") % {"who": who, "p": Parameter(code).label})
                  for code in PARAMETER_CODES},
    )


def sheet_score(sheet: RankingSheet, parameters: list[ParameterSpec]):
    """R31, R32, R7: the weighted mean of the four parameters, or None while one is missing."""
    if not sheet.all_scored():
        return None
    return mean_score([getattr(sheet, p.code) for p in parameters], [p.weight for p in parameters])


def _refuse_edit_of_submitted(sheet: RankingSheet, data: SheetInput) -> None:
    if data.points != sheet.points() or data.comments != sheet.comments():
        raise ValidationError(
            _("п. 29: оценочный лист «%(who)s» уже отправлен и не редактируется; изменить оценку можно "
              "только по итогам калибровочной сессии (п. 41).") % {"who": sheet.entry.employee.short_name},
            code="submitted",
        )


def sheet_version(sheet: RankingSheet) -> str:
    """The token the page posts back with each sheet: a digest of everything the page shows
    and may change (state, scores, comments). A save made from an older copy of the page
    carries another digest than the row now has, so it is refused instead of silently
    overwriting the other writer (issue 10, point 7)."""
    shown = [sheet.state, *sheet.points().values(), *sheet.comments().values()]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:20]


def _lock_and_check_versions(by_id: dict[int, RankingSheet], versions: dict[int, str]) -> None:
    """Inside the saving transaction: lock the rows, compare each posted token with the row as
    it is now, and refuse the whole page if one differs. The in-memory sheets then take the
    locked rows' values, so nothing read before the lock is written back."""
    locked = RankingSheet.objects.select_for_update().in_bulk([pk for pk in versions if pk in by_id])
    stale = [by_id[pk].entry.employee.short_name for pk, token in versions.items()
             if pk in locked and sheet_version(locked[pk]) != token]
    if stale:
        raise ValidationError(
            _("Лист изменён другим пользователем после того, как вы открыли страницу (%(who)s): ничего не "
              "сохранено, обновите страницу.") % {"who": ", ".join(stale)}, code="stale",
        )
    for pk, row in locked.items():
        for field in RankingSheet._meta.concrete_fields:
            if field.name != "state":  # same state: it is part of the token
                setattr(by_id[pk], field.attname, getattr(row, field.attname))


def save_ranking(*, sheets: list[RankingSheet], raw: dict[int, dict[str, str]], by, submit: bool = False,
                 now: dt.datetime | None = None, versions: dict[int, str] | None = None,
                 dry_run: bool = False) -> list[RankingSheet]:
    """Save the evaluator's page: drafts, and with `submit` send every draft of the page.

    All or nothing: a bad score, a missing parameter on sending, or a change to a sent sheet
    refuses the whole page with a message naming the rule, and nothing saved changes.
    `versions` are the `sheet_version` tokens the page was rendered with ({sheet id: token});
    a sheet changed since (another window, another user) refuses the page the same way.
    Returns the sheets that were sent. With `dry_run` every check runs and nothing is written:
    it returns the sheets a send would lock, for the page to ask before sending.
    """
    now = now or timezone.now()
    by_id = {sheet.pk: sheet for sheet in sheets}
    unknown = set(raw) - set(by_id)
    if unknown:
        raise PermissionDenied(_("п. 20: оценочный лист не найден."))
    for sheet in sheets:
        if not can_evaluate(sheet, by):
            raise PermissionDenied(_("п. 29: оценочный лист заполняет руководитель аппарата — оценивающее лицо."))

    parsed: dict[int, SheetInput] = {}
    errors: list[ValidationError] = []
    for sheet_id, values in raw.items():
        try:
            parsed[sheet_id] = parse_input(by_id[sheet_id], values)
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    for sheet_id, data in parsed.items():
        if by_id[sheet_id].is_submitted:
            _refuse_edit_of_submitted(by_id[sheet_id], data)

    drafts = [s for s in sheets if not s.is_submitted]
    if submit:
        incomplete = [s.entry.employee.short_name for s in drafts
                      if any(v is None for v in (parsed[s.pk].points if s.pk in parsed else s.points()).values())]
        if incomplete:
            raise ValidationError(
                _("п. 31: выставьте оценку по каждому параметру (не заполнено: %(who)s).")
                % {"who": ", ".join(incomplete)}, code="incomplete",
            )
        if drafts:
            refuse_before_period_end(sheets[0].entry.schedule.period, timezone.localdate(now))
        if not drafts:
            raise ValidationError(
                _("п. 29: все оценочные листы этой страницы уже отправлены и не редактируются; изменить оценку "
                  "можно только по итогам калибровочной сессии (п. 41)."), code="nothing_to_submit",
            )

    if dry_run:
        return drafts if submit else []
    schedule = sheets[0].entry.schedule
    parameters = parameters_for_period(schedule.period, schedule.organisation_id) if submit and drafts else []
    sent: list[RankingSheet] = []
    try:
        with transaction.atomic():
            if versions:
                _lock_and_check_versions(by_id, versions)
            for sheet in drafts:
                data = parsed.get(sheet.pk)
                changed = False
                if data is not None and (data.points != sheet.points() or data.comments != sheet.comments()):
                    for code in PARAMETER_CODES:
                        setattr(sheet, code, data.points[code])
                        setattr(sheet, f"{code}_comment", data.comments[code])
                    changed = True
                if submit:
                    sheet.submit(by=by, at=now)
                    sheet._change_reason = _("п. 29: отправлен оценивающим лицом")
                    sheet.save()
                    record_result(entry=sheet.entry, score=sheet_score(sheet, parameters), completed_at=now)
                    sent.append(sheet)
                elif changed:
                    sheet._change_reason = _("черновик")
                    sheet.save()
    except ConcurrentTransition:
        raise ValidationError(_("Оценочный лист уже изменён в другом окне. Обновите страницу.")) from None
    return sent


# --- R30 -----------------------------------------------------------------------------------

R30_BATCH = 500

def r30_notice_day(period: Period, edition) -> dt.date:
    return staff_notice_deadline(period, edition)


def queue_r30_notices(now: dt.datetime) -> int:
    """R30: once the quarter is over, each staff member with a sheet is notified of the
    evaluation, no later than the 10th of the following month, through the outbox.

    Exactly once: the outbox key is `R30:<schedule line>` and the sheet remembers it. When
    the schedule was approved after the R30 day, the notice still goes out, late and saying
    so, as long as the sheet has not been sent (an employee must not learn of an evaluation
    only from its result); the overview shows who was notified late. Returns the number of
    sheets notified.
    """
    today = timezone.localdate(now)
    # Plain values, not model instances: for 10,000 staff the instances (sheet, line,
    # employee, user, evaluator, schedule, period per row) cost more than the whole insert.
    rows = list(
        RankingSheet.objects.filter(
            notified_at__isnull=True, entry__schedule__state=ScheduleState.APPROVED,
            entry__schedule__period__kind="quarter", entry__schedule__period__end__lt=today,
            entry__schedule__period__end__gte=today - dt.timedelta(days=70),
        ).order_by("pk").values_list(
            "pk", "entry_id", "state", "without_participation", "entry__evaluator_id",
            "entry__schedule__period_id", "entry__schedule__organisation_id",
            "entry__employee__email", "entry__employee__mobile", "entry__employee__user_id",
        )
    )
    periods = Period.objects.in_bulk({row[5] for row in rows})
    evaluators = Employee.objects.in_bulk({row[4] for row in rows if row[4]})
    texts = _R30Texts(today, periods, evaluators)
    due = [row for row in rows if texts.still_due(row[5], row[6], submitted=row[2] == SheetState.SUBMITTED)]
    notified = 0
    for first in range(0, len(due), R30_BATCH):
        batch = due[first:first + R30_BATCH]
        # Queued and marked together: a crash leaves a batch either done or to redo, and
        # redoing it is harmless (the outbox keys are unique).
        with transaction.atomic():
            notify_employees([
                Notice(employee=Addressee(email, mobile, user_id), key=f"R30:{entry_id}", rule_id="R30",
                       subject=texts.subject(period_id), body=texts.body(period_id, organisation_id, evaluator_id, without))
                for _pk, entry_id, _state, without, evaluator_id, period_id, organisation_id, email, mobile, user_id
                in batch
            ])
            RankingSheet.objects.filter(pk__in=[row[0] for row in batch], notified_at__isnull=True).update(
                notified_at=now)
        notified += len(batch)
    return notified


class _R30Texts:
    """The R30 notice's words, made once per period, body and evaluator rather than per
    sheet: a quarter of 10,000 staff has a handful of distinct texts."""

    def __init__(self, today: dt.date, periods: dict[int, Period], evaluators: dict[int, Employee]):
        self.today, self.periods, self.evaluators = today, periods, evaluators
        self._editions: dict[tuple[int, int], object] = {}  # each body's edition, per period
        self._bodies: dict[tuple, str] = {}
        self._subjects: dict[int, str] = {}

    def edition(self, period_id: int, organisation_id: int):
        key = (period_id, organisation_id)
        if key not in self._editions:
            self._editions[key] = edition_for_period(self.periods[period_id], organisation_id)
        return self._editions[key]

    def notice_day(self, period_id: int, organisation_id: int) -> dt.date:
        return r30_notice_day(self.periods[period_id], self.edition(period_id, organisation_id))

    def still_due(self, period_id: int, organisation_id: int, *, submitted: bool) -> bool:
        """On time, or late while the sheet is not sent (see queue_r30_notices)."""
        return self.today <= self.notice_day(period_id, organisation_id) or not submitted

    def subject(self, period_id: int) -> str:
        if period_id not in self._subjects:
            self._subjects[period_id] = _("Оценка деятельности за %(period)s") % {"period": self.periods[period_id]}
        return self._subjects[period_id]

    def body(self, period_id: int, organisation_id: int, evaluator_id: int | None, without: bool) -> str:
        key = (period_id, organisation_id, evaluator_id, without)
        if key not in self._bodies:
            self._bodies[key] = self._compose(*key)
        return self._bodies[key]

    def _compose(self, period_id, organisation_id, evaluator_id, without) -> str:
        period, edition = self.periods[period_id], self.edition(period_id, organisation_id)
        body = _("В соответствии с п. 30 Методики проводится оценка вашей деятельности методом ранжирования "
                 "за %(period)s. Оценивающее лицо: %(evaluator)s. Последний день оценки: %(deadline)s.") % {
            "period": period, "evaluator": self.evaluators.get(evaluator_id) or "—",
            "deadline": evaluation_deadline(period, edition).strftime("%d.%m.%Y"),
        }
        if without:
            body += " " + _("Оценка проводится без вашего участия (п. 5.2, п. 6).")
        notice_day = self.notice_day(period_id, organisation_id)
        if self.today > notice_day:
            body += " " + _("Уведомление направлено после срока п. 30 (%(day)s): график оценки утверждён позже.") % {
                "day": notice_day.strftime("%d.%m.%Y")}
        return body


