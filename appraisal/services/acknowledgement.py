"""R11.1, R11.2 (and R65, R66 of chapter 6): acquainting the person with their result.

- On completion (`record_result` / `record_gradation` creates the result) the person is told
  through the outbox, e-mail and SMS, once per result (`queue_result_notice`). The notice
  names no score: the result is read only on the result page, behind the R20 selector.
- The person acknowledges on the result page (`acknowledge`): the moment is recorded once;
  a second click changes nothing.
- For someone evaluated without participation (R5.2, R6) — and for every chapter-6 result
  (R66) — the chief specialist records the notice sent by another channel (`record_notice`):
  the channel, the day, the reference or a scan. An SMS or e-mail of the result notice that the
  outbox has sent is its own proof.
- The due day is two working days from completion, counted from the day after
  (appraisal.workdays). Nothing here assumes a 0–5 score: a chapter-6 result has none.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.dates import fmt_date
from appraisal.models import (
    NOTICE_CHANNELS,
    Acknowledgement,
    AcknowledgementChannel,
    Method,
    OutboxMessage,
    OutboxState,
    Participation,
    PeriodResult,
    Role,
    ScheduleState,
)
from appraisal.notifications.outbox import notify_employee, send_after_commit
from appraisal.selectors import first_rows, organisations_administered, results_visible_to
from appraisal.uploads import extension_for, validate_upload
from appraisal.workdays import WorkingCalendar

ACKNOWLEDGEMENT_WORKING_DAYS = 2  # R11.1, R65
SCAN_MAX_BYTES = 5 * 1024 * 1024
REFERENCE_MAX_LENGTH = Acknowledgement._meta.get_field("reference").max_length
# Channels whose message the outbox itself sends, and so proves.
OUTBOX_CHANNELS = {AcknowledgementChannel.SMS: "sms", AcknowledgementChannel.EMAIL: "email"}


def _rules(result: PeriodResult) -> tuple[str, str]:
    """(the acquaintance rule, the channels rule) for the result's chapter."""
    return ("65", "66") if result.entry.method == Method.LEGACY else ("11.1", "11.2")


def notice_key(result: PeriodResult) -> str:
    """The outbox key of the result notice; each channel adds its suffix (:email, :sms).
    Keyed by the completion as well as the result: a re-evaluation (R13) completes the
    result again, and its new notice must not be taken for the first one's duplicate."""
    stamp = result.completed_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"R11.1:result:{result.pk}:{stamp}"


def acknowledgement_due(result: PeriodResult, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """R11.1, R65: the last day to acquaint the person — two working days from the day
    after completion. Pass one calendar when computing many (a list page)."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(timezone.localdate(result.completed_at), ACKNOWLEDGEMENT_WORKING_DAYS)


def acknowledgement_of(result: PeriodResult) -> Acknowledgement | None:
    """The acknowledgement, from the select_related cache when the caller joined it."""
    try:
        return result.acknowledgement
    except Acknowledgement.DoesNotExist:
        return None


def acknowledged_on(result: PeriodResult) -> dt.date | None:
    """The day the person was acquainted with the result (R12 counts from it), or None."""
    acknowledgement = acknowledgement_of(result)
    return acknowledgement.acknowledged_on if acknowledgement else None


@dataclass(frozen=True)
class AcknowledgementStatus:
    """What the chief specialist's lists show per result."""

    result: PeriodResult
    completed_on: dt.date
    due: dt.date
    acknowledgement: Acknowledgement | None
    late: bool  # acknowledged after the due day
    missing: bool  # not acknowledged and the due day has passed

    @property
    def pending(self) -> bool:
        return self.acknowledgement is None and not self.missing


def status_of(result: PeriodResult, *, calendar: WorkingCalendar, today: dt.date) -> AcknowledgementStatus:
    due = acknowledgement_due(result, calendar=calendar)
    acknowledgement = acknowledgement_of(result)
    return AcknowledgementStatus(
        result=result, completed_on=timezone.localdate(result.completed_at), due=due, acknowledgement=acknowledgement,
        late=acknowledgement is not None and acknowledgement.acknowledged_on > due,
        missing=acknowledgement is None and today > due,
    )


def statuses(results, *, today: dt.date | None = None) -> list[AcknowledgementStatus]:
    """Statuses of many results with one calendar (one query whatever their number); the
    caller's queryset should select_related("acknowledgement")."""
    calendar, today = WorkingCalendar.load(), today or timezone.localdate()
    return [status_of(result, calendar=calendar, today=today) for result in results]


# --- the notice on completion ---------------------------------------------------------


def queue_result_notice(result: PeriodResult, *, again: bool = False) -> list[OutboxMessage]:
    """Queued inside the transaction that records the result, so a rolled-back result sends
    nothing; sent after the commit (and by every tick, should that fail). Once per
    completion: the key is the result's and its completion's. `again`: the notice of a
    re-evaluation (R13), worded as such."""
    entry = result.entry
    acquaint_rule, _channels_rule = _rules(result)
    due = acknowledgement_due(result)
    opening = (_("Повторная оценка вашей деятельности за %(period)s завершена %(done)s.") if again
               else _("Оценка вашей деятельности за %(period)s завершена %(done)s."))
    body = (opening + " " + _("Ознакомьтесь с результатом в системе «Багалау» (раздел «Мои оценки») не позднее "
                              "%(due)s (п. %(rule)s Методики).")) % {
        "period": entry.schedule.period, "done": fmt_date(timezone.localdate(result.completed_at)),
        "due": fmt_date(due), "rule": acquaint_rule}
    rule_id = "R65" if acquaint_rule == "65" else "R11.1"
    messages = notify_employee(employee=entry.employee, key=notice_key(result), rule_id=rule_id,
                               subject=_("Результат оценки за %(period)s") % {"period": entry.schedule.period},
                               body=body)
    send_after_commit()
    return messages


def start_again_after_reevaluation(result: PeriodResult) -> list[OutboxMessage]:
    """R11.1 after R13: a re-evaluation completed the result again (record_result with a new
    score or a later completion), and the person must be acquainted with the NEW evaluation.
    The acknowledgement of the earlier one is removed from the result, so the pages, the
    chief specialist's lists and R12's five days all wait for a new one; the removed row stays
    in its history (with its R11.2 reference and scan name), disposed of with the rest under
    R14. A new notice is queued, keyed by the new completion, with a new due day.

    A calibration adjustment (adjust_result, R41.2) is not a new evaluation and does not
    come here: the acknowledgement stands, and the posting of the protocol tells the person
    (calibration.services.session.post_protocol)."""
    previous = Acknowledgement.objects.filter(result=result).first()
    if previous is not None:
        previous._change_reason = _(
            "п. 13, п. 11: результат повторной оценки от %(day)s заменил прежний; ознакомление с прежним "
            "результатом (%(ack)s) сохранено в истории") % {
            "day": fmt_date(timezone.localdate(result.completed_at)), "ack": fmt_date(previous.acknowledged_on)}
        previous.delete()
    return queue_result_notice(result, again=True)


def earlier_acknowledgements(result: PeriodResult) -> list:
    """The acknowledgements of the evaluations a re-evaluation superseded (R13), newest first:
    the history rows written when start_again_after_reevaluation removed them."""
    return list(Acknowledgement.history.filter(result_id=result.pk, history_type="-").order_by("-history_date"))


def result_notices(result: PeriodResult) -> list[OutboxMessage]:
    """The outbox rows of the current completion's notice (e-mail, SMS), for the page and
    for R11.2 proof."""
    key = notice_key(result)
    rows = list(OutboxMessage.objects.filter(key__in=[f"{key}:email", f"{key}:sms"]).order_by("channel"))
    if not rows:  # a result notified before the keys named the completion (one completion then)
        key = f"R11.1:result:{result.pk}"
        rows = list(OutboxMessage.objects.filter(key__in=[f"{key}:email", f"{key}:sms"]).order_by("channel"))
    return rows


# --- R11.1: the person's own acknowledgement -----------------------------------------


def _locked(result: PeriodResult) -> PeriodResult:
    return PeriodResult.objects.select_for_update().select_related("entry__employee", "entry__schedule").get(
        pk=result.pk)


@transaction.atomic
def acknowledge(*, result: PeriodResult, user, at: dt.datetime | None = None) -> Acknowledgement:
    """R11.1: «Ознакомлен(а)» by the evaluated person. Idempotent: a second call returns the
    first acknowledgement unchanged (so the calibration application, R12, may call it)."""
    result = _locked(result)
    acquaint_rule, _channels_rule = _rules(result)
    employee = result.entry.employee
    if not getattr(user, "is_authenticated", False) or employee.user_id != user.pk:
        raise PermissionDenied(_("п. %(rule)s: ознакомление с результатом отмечает сам оцениваемый служащий.")
                               % {"rule": acquaint_rule})
    existing = Acknowledgement.objects.filter(result=result).first()
    if existing is not None:
        return existing
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at):
        raise ValueError("acknowledge(at=...) needs an aware datetime")
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("п. %(rule)s: момент ознакомления не может быть в будущем.") % {"rule": acquaint_rule},
                              code="future")
    if at < result.completed_at:
        raise ValidationError(_("п. %(rule)s: ознакомиться с результатом можно только после завершения оценки.")
                              % {"rule": acquaint_rule}, code="before_completion")
    acknowledgement = Acknowledgement(
        result=result, channel=AcknowledgementChannel.IN_APP, acknowledged_on=timezone.localdate(at),
        acknowledged_at=at, recorded_by=user, recorded_at=now)
    acknowledgement._change_reason = _("п. %(rule)s: ознакомлен(а) в системе") % {"rule": acquaint_rule}
    acknowledgement.save()
    return acknowledgement


# --- R11.2: a notice by another channel -----------------------------------------------


def may_record_notice(result: PeriodResult, user) -> bool:
    """Whether the page offers the R11.2 form: the chief specialist, a line evaluated without
    participation (or any chapter-6 line, R66), not yet acknowledged."""
    entry = result.entry
    return (
        roles.has_role(user, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST)
        and (entry.participation == Participation.WITHOUT or entry.method == Method.LEGACY)
        and acknowledgement_of(result) is None
    )


def _clean_notice(result: PeriodResult, *, channel: str, date, reference: str, rule: str) -> tuple[dt.date, str]:
    if channel not in NOTICE_CHANNELS:
        raise ValidationError(_("п. %(rule)s: выберите способ извещения из перечня п. 11 Методики.") % {"rule": rule},
                              code="bad_channel")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ValidationError(_("п. %(rule)s: укажите дату извещения.") % {"rule": rule}, code="no_date")
    completed_on = timezone.localdate(result.completed_at)
    if date > timezone.localdate():
        raise ValidationError(_("п. %(rule)s: дата извещения не может быть в будущем.") % {"rule": rule},
                              code="future")
    if date < completed_on:
        raise ValidationError(
            _("п. %(rule)s: дата извещения раньше завершения оценки (%(done)s).")
            % {"rule": rule, "done": fmt_date(completed_on)}, code="before_completion")
    if not isinstance(reference, str):
        raise ValidationError(_("п. %(rule)s: реквизиты подтверждения — текст.") % {"rule": rule}, code="bad_reference")
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise ValidationError(
            _("п. %(rule)s: реквизиты подтверждения длиннее %(n)s знаков.") % {"rule": rule, "n": REFERENCE_MAX_LENGTH},
            code="reference_too_long")
    if "\x00" in reference:
        raise ValidationError(_("п. %(rule)s: недопустимый символ в реквизитах.") % {"rule": rule},
                              code="bad_reference")
    return date, reference


@transaction.atomic
def record_notice(*, result: PeriodResult, by, channel: str, date: dt.date, reference: str = "",
                  scan=None) -> Acknowledgement:
    """R11.2 (R66): the chief specialist records the notice sent to someone evaluated without
    participation: channel, day, and its proof — a reference or a scan (PDF/JPEG/PNG by its
    bytes, at most 5 MB), or, for SMS and e-mail, the outbox's own sent message of the
    result notice. Refused with the rule's words; nothing is saved then (the scan is written
    only after every check, and removed if the transaction fails)."""
    result = _locked(result)
    acquaint_rule, rule = _rules(result)
    entry = result.entry
    if not roles.has_role(by, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. %(rule)s: извещение о результате фиксирует главный специалист.")
                               % {"rule": acquaint_rule})
    if entry.participation != Participation.WITHOUT and entry.method != Method.LEGACY:
        raise ValidationError(
            _("п. 11.2: иными средствами связи извещают служащих, оцениваемых без их участия (пп. 5, 6); "
              "этот служащий ознакамливается с результатом в системе (п. 11)."), code="with_participation")
    if Acknowledgement.objects.filter(result=result).exists():
        raise ValidationError(_("п. %(rule)s: ознакомление с этим результатом уже зафиксировано.") % {"rule": rule},
                              code="already")
    date, reference = _clean_notice(result, channel=channel, date=date, reference=reference, rule=rule)
    kind = None
    if scan:
        try:
            kind = validate_upload(scan, max_bytes=SCAN_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError(_("п. %(rule)s: %(why)s") % {"rule": rule, "why": " ".join(exc.messages)},
                                  code=exc.code or "bad_scan") from None
    proof = []
    if channel in OUTBOX_CHANNELS:
        proof = [n for n in result_notices(result)
                 if n.channel == OUTBOX_CHANNELS[channel] and n.state == OutboxState.SENT]
    if not (reference or kind or proof):
        raise ValidationError(
            _("п. %(rule)s: укажите подтверждение извещения — номер уведомления о вручении, телефонограммы или "
              "телеграммы, либо приложите скан.") % {"rule": rule}, code="no_proof")
    acknowledgement = Acknowledgement(result=result, channel=channel, acknowledged_on=date, reference=reference,
                                      recorded_by=by)
    acknowledgement._change_reason = _("п. %(rule)s: извещение зафиксировано главным специалистом") % {"rule": rule}
    if not kind:
        acknowledgement.save()
    else:
        # Written last, after every check; removed again if the row cannot be saved. (Only a
        # caller's outer transaction rolled back later could leave a file behind: it has no
        # URL and no row pointing to it.)
        scan.seek(0)
        acknowledgement.scan_kind = kind
        # A random name: the uploader's file name is not kept (it may name the person).
        acknowledgement.scan.save(f"{secrets.token_hex(8)}.{extension_for(kind)}", ContentFile(scan.read()),
                                  save=False)
        try:
            acknowledgement.save()
        except Exception:
            acknowledgement.scan.storage.delete(acknowledgement.scan.name)
            raise
    if proof:
        acknowledgement.notices.set(proof)
    return acknowledgement


# --- the chief specialist's lists (reads) ---------------------------------------------


def acknowledgement_board(user, *, period=None, today: dt.date | None = None, recent_days: int = 30,
                          limit: int | None = 50) -> list[AcknowledgementStatus]:
    """R11: per result of the organisations the user runs as chief specialist — completed on,
    due, acknowledged on (and how), late or missing. With `period`: every result of that
    period; without: those not yet acknowledged and those completed in the last
    `recent_days` days (the home page). Three queries whatever the head count."""
    today = today or timezone.localdate()
    results = results_visible_to(user).filter(
        entry__schedule__organisation_id__in=organisations_administered(user),
        entry__schedule__state=ScheduleState.APPROVED,
    ).select_related("acknowledgement").prefetch_related("acknowledgement__notices")
    if period is not None:
        results = results.filter(entry__schedule__period=period).order_by(
            "entry__employee__last_name", "entry__employee__first_name", "pk")
    else:
        since = timezone.now() - dt.timedelta(days=recent_days)
        results = results.filter(Q(acknowledgement__isnull=True) | Q(completed_at__gte=since)).order_by(
            "-completed_at", "pk")
    if limit is not None:
        results = first_rows(results, limit)
    return statuses(results, today=today)
