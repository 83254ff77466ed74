"""R41.1, R41.2: the session — the evaluator's argument, each participant's position and
vote — the protocol and its posting, which makes an adopted score the result.

The count: a new score is adopted only when more than half of ALL participants voted to
adjust to that same value; otherwise the evaluator's score stands («большинством голосов
участников»: abstentions and votes to keep count in the whole, recorded in
docs/conformance.md).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from appraisal.scoring import clean_score
from appraisal.services.results import adjust_result
from appraisal.workdays import WorkingCalendar
from calibration.models import (
    POSTING_WORKING_DAYS,
    CalibrationCase,
    CaseState,
    Participant,
    ParticipantRole,
    Vote,
    VoteChoice,
)
from calibration.services.common import clean_date, clean_text, lock, not_in_future, notify_user, run


@transaction.atomic
def open_session(*, case: CalibrationCase, by, at: dt.datetime | None = None) -> CalibrationCase:
    """R40: the chief specialist opens the session on its day; voting starts."""
    at = at or timezone.now()
    case = lock(case)
    if case.session_date and timezone.localdate(at) < case.session_date:
        raise ValidationError(_("п. 41: сессия открывается в назначенный день (%(day)s).")
                              % {"day": fmt_date(case.session_date)}, code="too_early")
    return run(case, "hold", by=by, at=at)


def _participant(case: CalibrationCase, user) -> Participant:
    participant = Participant.objects.filter(case=case, employee__user=user).first() if user.is_authenticated else None
    if participant is None:
        raise PermissionDenied(_("п. 41: голосуют только участники калибровочной сессии, утверждённые в её составе "
                                 "(п. 38)."))
    return participant


def _require_held(case: CalibrationCase) -> None:
    if case.state != CaseState.HELD:
        raise ValidationError(_("п. 41: голосование идёт только во время сессии (сейчас: «%(state)s»).")
                              % {"state": case.get_state_display()}, code="not_held")


@transaction.atomic
def save_argument(*, case: CalibrationCase, by, text: str) -> CalibrationCase:
    """R41.1: the evaluator describes the work and argues the score."""
    case = lock(case)
    participant = _participant(case, by)
    if participant.role != ParticipantRole.EVALUATOR:
        raise PermissionDenied(_("п. 41: аргументы оценки излагает оценивающее лицо."))
    _require_held(case)
    case.evaluator_argument = clean_text(text, rule="41", label=_("Аргументы оценивающего лица"))
    case.save(update_fields=["evaluator_argument"])
    return case


def clean_vote(case: CalibrationCase, choice, score, position) -> tuple[str, Decimal | None, str]:
    if choice not in VoteChoice.values:
        raise ValidationError(_("п. 41: выберите: поддержать оценку, скорректировать её или воздержаться."),
                              code="bad_choice")
    position = clean_text(position, rule="41", label=_("Позиция участника"), required=False)
    if choice != VoteChoice.ADJUST:
        if score not in (None, ""):
            raise ValidationError(_("п. 41: новая оценка указывается только при голосовании за корректировку."),
                                  code="score_without_adjust")
        return choice, None, position
    if score in (None, ""):
        raise ValidationError(_("п. 41: укажите новую оценку от 0 до 5."), code="no_score")
    try:
        value = clean_score(score)
    except ValidationError:
        raise ValidationError(_("п. 41: новая оценка — число от 0 до 5 (указано «%(v)s»).")
                              % {"v": str(score)[:20]}, code="score_out_of_range") from None
    if value == case.result.score:
        raise ValidationError(_("п. 41: новая оценка совпадает с оценкой оценивающего лица — голосуйте «поддержать»."),
                              code="same_score")
    return choice, value, position


@transaction.atomic
def cast_vote(*, case: CalibrationCase, by, choice: str, score=None, position: str = "",
              at: dt.datetime | None = None) -> Vote:
    """R41.1, R41.2: a participant's position and vote, once. Votes lock the case row, so two
    participants voting at the same moment are serialised and both counted, and no vote slips
    in while the protocol is being signed; the same participant twice is counted once (Vote
    is one-to-one with the seat)."""
    case = lock(case)
    participant = _participant(case, by)
    _require_held(case)
    choice, value, position = clean_vote(case, choice, score, position)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if Vote.objects.filter(participant=participant).exists():
        raise ValidationError(_("п. 41: ваш голос уже учтён; каждый участник голосует один раз."), code="voted")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(participant=participant, choice=choice, score=value, cast_at=at or timezone.now())
    except IntegrityError:
        raise ValidationError(_("п. 41: ваш голос уже учтён; каждый участник голосует один раз."),
                              code="voted") from None
    participant.position = position
    participant.save(update_fields=["position"])
    return vote


@dataclass(frozen=True)
class Tally:
    participants: int
    keep: int
    abstain: int
    adjust: dict[Decimal, int]
    missing: list[str]  # who has not voted yet
    adopted: Decimal | None  # the new score, when more than half of all participants chose it

    @property
    def complete(self) -> bool:
        return not self.missing


def tally(case: CalibrationCase) -> Tally:
    participants = list(case.participants.select_related("employee", "vote"))
    votes = [p.vote for p in participants if hasattr(p, "vote")]
    adjust = Counter(v.score for v in votes if v.choice == VoteChoice.ADJUST)
    adopted = None
    for value, count in adjust.items():
        if 2 * count > len(participants):
            adopted = value
    return Tally(
        participants=len(participants),
        keep=sum(v.choice == VoteChoice.KEEP for v in votes),
        abstain=sum(v.choice == VoteChoice.ABSTAIN for v in votes),
        adjust=dict(sorted(adjust.items())),
        missing=[p.employee.short_name for p in participants if not hasattr(p, "vote")],
        adopted=adopted,
    )


@transaction.atomic
def sign_protocol(*, case: CalibrationCase, by, signed_on) -> CalibrationCase:
    """R41.2: the protocol is drawn up after every participant voted; its signing date
    starts the three working days of posting."""
    case = lock(case)
    signed_on = not_in_future(clean_date(signed_on, rule="41", label=_("Дата подписания протокола")),
                              rule="41", label=_("Дата подписания протокола"))
    if case.state != CaseState.HELD:
        raise ValidationError(_("п. 41: протокол оформляется по итогам сессии (сейчас: «%(state)s»).")
                              % {"state": case.get_state_display()}, code="not_held")
    if case.held_at and signed_on < timezone.localdate(case.held_at):
        raise ValidationError(_("п. 41: протокол не может быть подписан раньше сессии (%(day)s).")
                              % {"day": fmt_date(timezone.localdate(case.held_at))}, code="before_session")
    if not case.evaluator_argument:
        raise ValidationError(_("п. 41: в протоколе нет аргументов оценивающего лица."), code="no_argument")
    result = tally(case)
    if not result.complete:
        raise ValidationError(_("п. 41: протокол оформляется после голосования всех участников (не проголосовали: "
                                "%(who)s).") % {"who": ", ".join(result.missing)}, code="votes_missing")
    posting_due = WorkingCalendar.load().add_working_days(signed_on, POSTING_WORKING_DAYS)
    return run(case, "sign_protocol", by=by, signed_on=signed_on, posting_due=posting_due,
               original_score=case.result.score, adopted_score=result.adopted)


def protocol_basis(case: CalibrationCase) -> str:
    return _("протокол калибровочной сессии от %(day)s") % {"day": fmt_date(case.protocol_signed_on)}


@transaction.atomic
def post_protocol(*, case: CalibrationCase, by, at: dt.datetime | None = None) -> CalibrationCase:
    """R41.2: posting the signed protocol in the system; an adopted score becomes the result
    (appraisal.services.results.adjust_result keeps the original beside it). Late posting
    (after three working days of signing) is flagged, not refused."""
    at = at or timezone.now()
    case = lock(case)
    run(case, "post", by=by, at=at)
    if case.adopted_score is not None:
        adjust_result(result=case.result, score=case.adopted_score, basis=protocol_basis(case), at=at)
    entry = case.result.entry
    if entry.employee.user_id:
        notify_user(entry.employee.user, key=f"R41:case:{case.pk}:posted", rule_id="R41.2",
                    subject=_("Протокол калибровочной сессии размещён"),
                    body=_("Протокол калибровочной сессии по результатам оценки за %(period)s размещён в системе. "
                           "Итог — на странице результата.") % {"period": entry.schedule.period})
    return case
