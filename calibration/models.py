"""Chapter 5 (R12, R13, R37–R42): the calibration session that follows an employee's
application, its vote and protocol, the feedback meeting, and the appeal of its decision.

What the schema guarantees:
- one application per result (`CalibrationCase.result` is one-to-one): a second one is
  refused by the service and, under a race, by the database;
- one vote per participant (`Vote.participant` is one-to-one) and one seat per person in a
  session (unique case + employee), so two participants voting at the same moment are both
  counted, each once;
- the case keeps the deadline days it was held to (R38, R39, R41.2) as they were computed
  when the step happened, so a later change of the working-day calendar does not rewrite
  whether a step was late.

Everything evaluative here (the argument, positions, votes, the outcome) reaches a person
only through calibration.selectors (R20); __str__ names no score and no vote.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal import roles
from appraisal.models import Employee, PeriodResult, Role, ScheduleEntry
from appraisal.scoring import ScoreField

# R38, R39, R41.2: the Методика's counts of working days. R12's five days are data of the
# methodology edition (MethodologyEdition.calibration_application_working_days).
COMPOSITION_WORKING_DAYS = 3
SESSION_WORKING_DAYS = 10
POSTING_WORKING_DAYS = 3

TEXT_MAX = 4000
PLACE_MAX = 300


class CaseState(models.TextChoices):
    FILED = "filed", _("заявление подано")
    COMPOSITION_APPROVED = "composition_approved", _("состав утверждён")
    HELD = "held", _("сессия проводится (голосование)")
    PROTOCOL_SIGNED = "protocol_signed", _("протокол подписан")
    POSTED = "posted", _("протокол размещён")


# R20: from the approval of the composition until the protocol is posted, the participants
# see the case and the person's result for that period.
PARTICIPANTS_SEE = (CaseState.COMPOSITION_APPROVED, CaseState.HELD, CaseState.PROTOCOL_SIGNED)


def organisation_id_of(case: "CalibrationCase") -> int:
    return case.result.entry.schedule.organisation_id


def is_appointing_official(case: "CalibrationCase", user) -> bool:
    return roles.has_role(user, organisation_id_of(case), Role.APPOINTING_OFFICIAL)


def is_chief_specialist(case: "CalibrationCase", user) -> bool:
    return roles.has_role(user, organisation_id_of(case), Role.CHIEF_SPECIALIST)


class CalibrationCase(ConcurrentTransitionMixin, models.Model):
    result = models.OneToOneField(PeriodResult, verbose_name=_("результат оценки"), on_delete=models.PROTECT,
                                  related_name="calibration_case")
    state = FSMField(_("состояние"), default=CaseState.FILED, choices=CaseState.choices, protected=True)

    # R12: the application.
    application = models.TextField(_("заявление"))
    filed_at = models.DateTimeField(_("заявление подано"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("заявление подал(а)"),
                                 on_delete=models.PROTECT, related_name="+")
    acknowledged_on = models.DateField(_("дата ознакомления с результатом"))
    application_due = models.DateField(_("п. 12: последний день подачи заявления"))

    # R38: the decision and the composition.
    composition_due = models.DateField(_("п. 38: последний день утверждения состава"))
    decided_at = models.DateTimeField(_("решение о проведении принято"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("решение принял(а)"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # R39: the session.
    session_due = models.DateField(_("п. 39: последний день проведения сессии"))
    session_date = models.DateField(_("дата сессии"), null=True, blank=True)
    session_time = models.TimeField(_("время сессии"), null=True, blank=True)
    session_place = models.CharField(_("место проведения"), max_length=PLACE_MAX, blank=True)

    # R41.1: held; the evaluator's argument.
    held_at = models.DateTimeField(_("сессия открыта"), null=True, blank=True)
    evaluator_argument = models.TextField(_("аргументы оценивающего лица"), blank=True)

    # R41.2: the protocol and its posting.
    original_score = ScoreField(_("оценка до сессии"), null=True, blank=True)
    adopted_score = ScoreField(_("принятая новая оценка"), null=True, blank=True)
    protocol_signed_on = models.DateField(_("протокол подписан"), null=True, blank=True)
    posting_due = models.DateField(_("п. 41: последний день размещения протокола"), null=True, blank=True)
    posted_at = models.DateTimeField(_("протокол размещён"), null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("протокол разместил(а)"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("калибровочная сессия")
        verbose_name_plural = _("калибровочные сессии")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return str(_("Калибровочная сессия: %(employee)s") % {"employee": self.result.entry.employee})

    @property
    def entry(self) -> ScheduleEntry:
        return self.result.entry

    @property
    def composition_late(self) -> bool:
        return bool(self.decided_at and self.decided_at.date() > self.composition_due)

    @property
    def posting_late(self) -> bool:
        return bool(self.posted_at and self.posting_due and self.posted_at.date() > self.posting_due)

    @property
    def is_adopted(self) -> bool:
        return self.adopted_score is not None

    @transition(field=state, source=CaseState.FILED, target=CaseState.COMPOSITION_APPROVED,
                permission=is_appointing_official, custom={"label": _("Провести сессию и утвердить состав")})
    def approve_composition(self, *, by, at, session_date, session_time, place):
        self.decided_at, self.decided_by = at, by
        self.session_date, self.session_time, self.session_place = session_date, session_time, place

    @transition(field=state, source=CaseState.COMPOSITION_APPROVED, target=CaseState.HELD,
                permission=is_chief_specialist, custom={"label": _("Открыть сессию")})
    def hold(self, *, by, at):
        self.held_at = at

    @transition(field=state, source=CaseState.HELD, target=CaseState.PROTOCOL_SIGNED,
                permission=is_chief_specialist, custom={"label": _("Протокол подписан")})
    def sign_protocol(self, *, by, signed_on, posting_due, original_score, adopted_score):
        self.protocol_signed_on, self.posting_due = signed_on, posting_due
        self.original_score, self.adopted_score = original_score, adopted_score

    @transition(field=state, source=CaseState.PROTOCOL_SIGNED, target=CaseState.POSTED,
                permission=is_chief_specialist, custom={"label": _("Разместить протокол")})
    def post(self, *, by, at):
        self.posted_at, self.posted_by = at, by


class ParticipantRole(models.TextChoices):
    EVALUATOR = "evaluator", _("оценивающее лицо")
    ORGANISER = "organiser", _("главный специалист (организатор)")
    MEMBER = "member", _("участник")


class Participant(models.Model):
    """R38: a member of the approved composition; R41.1: their position at the session."""

    case = models.ForeignKey(CalibrationCase, verbose_name=_("калибровочная сессия"), on_delete=models.CASCADE,
                             related_name="participants")
    employee = models.ForeignKey(Employee, verbose_name=_("участник"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("роль"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER)
    position = models.TextField(_("позиция участника"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("участник калибровочной сессии")
        verbose_name_plural = _("участники калибровочной сессии")
        ordering = ["case", "role", "employee__last_name"]
        constraints = [models.UniqueConstraint(fields=["case", "employee"], name="calibration_participant_unique")]

    def __str__(self) -> str:
        return f"{self.employee} ({self.get_role_display()})"


class VoteChoice(models.TextChoices):
    KEEP = "keep", _("поддержать оценку")
    ADJUST = "adjust", _("скорректировать оценку")
    ABSTAIN = "abstain", _("воздержаться")


class Vote(models.Model):
    """R41.2: one vote per participant (one-to-one): a second vote, or the same vote sent
    twice at once, is counted once."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="vote")
    choice = models.CharField(_("голос"), max_length=8, choices=VoteChoice.choices)
    score = ScoreField(_("предлагаемая оценка"), null=True, blank=True)
    cast_at = models.DateTimeField(_("голос подан"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("голос участника")
        verbose_name_plural = _("голоса участников")

    def __str__(self) -> str:
        return str(_("Голос: %(who)s") % {"who": self.participant.employee})


class FeedbackMeeting(models.Model):
    """R42: the evaluator's meeting with the employee after the session."""

    case = models.OneToOneField(CalibrationCase, on_delete=models.PROTECT, related_name="feedback")
    held_on = models.DateField(_("дата встречи"))
    achievements = models.TextField(_("обзор достижений за оцениваемый период"))
    skills = models.TextField(_("обзор развития навыков и компетенций"))
    potential = models.TextField(_("обзор потенциала и карьерные устремления"))
    recorded_at = models.DateTimeField(_("записано"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("записал(а)"), on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("встреча обратной связи")
        verbose_name_plural = _("встречи обратной связи")

    def __str__(self) -> str:
        return str(_("Обратная связь: %(employee)s") % {"employee": self.case.result.entry.employee})


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("рассматривается")
    UPHELD = "upheld", _("решение оставлено в силе")
    OVERTURNED = "overturned", _("решение отменено")
    REEVALUATION = "reevaluation", _("назначена повторная оценка")


class Appeal(models.Model):
    """R13: the calibration decision appealed under the Administrative Procedural Code."""

    case = models.OneToOneField(CalibrationCase, on_delete=models.PROTECT, related_name="appeal")
    filed_on = models.DateField(_("жалоба подана"))
    body = models.CharField(_("орган (суд), рассматривающий жалобу"), max_length=PLACE_MAX)
    outcome = models.CharField(_("итог"), max_length=14, choices=AppealOutcome.choices,
                               default=AppealOutcome.PENDING)
    decided_on = models.DateField(_("дата решения по жалобе"), null=True, blank=True)
    decision_reference = models.CharField(_("реквизиты решения"), max_length=PLACE_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("записал(а)"), on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("обжалование решения калибровочной сессии")
        verbose_name_plural = _("обжалования решений калибровочных сессий")

    def __str__(self) -> str:
        return str(_("Обжалование: %(employee)s") % {"employee": self.case.result.entry.employee})


class Reevaluation(models.Model):
    """R13: a re-evaluation ordered on appeal. The method's app returned its sheet to the
    evaluator and gave a snapshot of the old content, kept here; the new result supersedes
    the old one (history keeps both)."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="reevaluation")
    method = models.CharField(_("метод"), max_length=16)
    score_before = ScoreField(_("результат до повторной оценки"), null=True, blank=True)
    snapshot = models.JSONField(_("прежний оценочный лист"))
    reopened_at = models.DateTimeField(_("лист возвращён оценивающему"))
    completed_at = models.DateTimeField(_("результат повторной оценки записан"), null=True, blank=True)
    score_after = ScoreField(_("результат повторной оценки"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("повторная оценка")
        verbose_name_plural = _("повторные оценки")

    def __str__(self) -> str:
        return str(_("Повторная оценка: %(employee)s") % {"employee": self.appeal.case.result.entry.employee})
