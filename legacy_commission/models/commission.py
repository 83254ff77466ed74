"""Chapter 6, paragraph 2 (R54–R68): the Commission, its meetings, votes and the appeals.

- `Commission` of an organisation, created by the authorised person's order, with its
  `CommissionMember` rows: the chairman, the members and the chief specialist as the
  non-voting secretary (R59). A member is never edited in place: replacing an absent member
  or the chairman (R56) ends the old row and adds a new one, and a `CommissionAmendment`
  says who decided, when and on what basis; simple-history keeps every step.
- `CommissionMeeting` (R54, R60): date, place, agreed with the Commission's chairman; its
  `MeetingAttendance` (R55 quorum) and one `AgendaItem` per submitted sheet (R61) with the
  result as submitted, then the decision (R62, R63) and the final result.
- `Vote` (R57, R58): one open vote per member present and item; the database refuses a
  second one (unique constraint), the service says so first.
- `Appeal` (R67, R68): an appeal to the agency, its territorial department or a court,
  recorded with its outcome; a recommended re-evaluation reopens the sheet.

No __str__ here names a vote, a result or a decision: __str__ ends up in admin lists and
logs, and those are evaluative (R20).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal import roles
from appraisal.models import Employee, Organisation, PeriodResult, Role
from appraisal.scoring import Gradation


def _meeting_chief(meeting, user) -> bool:
    return roles.has_role(user, meeting.commission.organisation_id, Role.CHIEF_SPECIALIST)


def _meeting_authorised(meeting, user) -> bool:
    """R64: the authorised person — the official with the right of appointment."""
    return roles.has_role(user, meeting.commission.organisation_id, Role.APPOINTING_OFFICIAL)


class Commission(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="legacy_commissions")
    name = models.CharField(_("наименование"), max_length=300)
    order_reference = models.CharField(_("распоряжение о создании Комиссии (номер и дата)"), max_length=300)
    created_at = models.DateTimeField(_("создана"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Комиссия (глава 6)")
        verbose_name_plural = _("Комиссии (глава 6)")
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIRMAN = "chairman", _("председатель Комиссии")
    MEMBER = "member", _("член Комиссии")
    SECRETARY = "secretary", _("секретарь Комиссии (без права голоса)")


VOTING_ROLES = (MemberRole.CHAIRMAN, MemberRole.MEMBER)


class CommissionMember(models.Model):
    """One place in the composition; `active` is False once replaced (R56), never deleted."""

    commission = models.ForeignKey(Commission, verbose_name=_("Комиссия"), on_delete=models.PROTECT,
                                   related_name="members")
    employee = models.ForeignKey(Employee, verbose_name=_("служащий"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("роль"), max_length=10, choices=MemberRole.choices)
    active = models.BooleanField(_("в составе"), default=True)
    added_at = models.DateTimeField(_("включён"), default=timezone.now)
    removed_at = models.DateTimeField(_("выведен"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("член Комиссии")
        verbose_name_plural = _("состав Комиссии")
        ordering = ["commission", "-active", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "employee"], condition=Q(active=True),
                                    name="legacy_member_once_in_composition"),
            models.UniqueConstraint(fields=["commission"], condition=Q(active=True, role="chairman"),
                                    name="legacy_one_chairman"),
            models.UniqueConstraint(fields=["commission"], condition=Q(active=True, role="secretary"),
                                    name="legacy_one_secretary"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.get_role_display()}"

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES


class CommissionAmendment(models.Model):
    """R56: a change of the composition by the authorised person's decision."""

    commission = models.ForeignKey(Commission, verbose_name=_("Комиссия"), on_delete=models.PROTECT,
                                   related_name="amendments")
    replaced = models.ForeignKey(CommissionMember, verbose_name=_("выведен из состава"), on_delete=models.PROTECT,
                                 related_name="+")
    replacement = models.ForeignKey(CommissionMember, verbose_name=_("введён в состав"), on_delete=models.PROTECT,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("решение уполномоченного лица"),
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("дата решения"))
    basis = models.CharField(_("основание (изменение распоряжения: номер и дата)"), max_length=300)
    recorded_at = models.DateTimeField(_("внесено"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("изменение состава Комиссии")
        verbose_name_plural = _("изменения состава Комиссии")
        ordering = ["commission", "recorded_at", "pk"]

    def __str__(self) -> str:
        return str(_("Изменение состава № %(pk)s") % {"pk": self.pk})


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("назначено")
    OPEN = "open", _("проводится (кворум есть)")
    DECIDED = "decided", _("решения приняты")
    APPROVED = "approved", _("результаты утверждены")


class CommissionMeeting(ConcurrentTransitionMixin, models.Model):
    """R54, R60, R61, R64: one meeting of the Commission and its protocol (appendix 11)."""

    commission = models.ForeignKey(Commission, verbose_name=_("Комиссия"), on_delete=models.PROTECT,
                                   related_name="meetings")
    date = models.DateField(_("дата заседания"))
    place = models.CharField(_("место заседания"), max_length=300)
    # R54: agreed with the Commission's chairman; who that was on the day of scheduling.
    agreed_with = models.ForeignKey(Employee, verbose_name=_("согласовано с председателем Комиссии"),
                                    on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("состояние"), default=MeetingState.SCHEDULED, choices=MeetingState.choices, protected=True)
    scheduled_at = models.DateTimeField(_("назначено"), default=timezone.now)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("назначил"), on_delete=models.PROTECT,
                                     related_name="+")
    opened_at = models.DateTimeField(_("открыто"), null=True, blank=True)
    decided_at = models.DateTimeField(_("решения приняты"), null=True, blank=True)
    approved_at = models.DateTimeField(_("результаты утверждены"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("утвердил"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("заседание Комиссии")
        verbose_name_plural = _("заседания Комиссии")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return str(_("Заседание Комиссии от %(d)s") % {"d": self.date.strftime("%d.%m.%Y")})

    @transition(field=state, source=MeetingState.SCHEDULED, target=MeetingState.OPEN, permission=_meeting_chief,
                custom={"label": _("Открыть заседание (кворум)"), "rule": "R55"})
    def open(self, *, by):
        self.opened_at = timezone.now()

    @transition(field=state, source=MeetingState.OPEN, target=MeetingState.DECIDED, permission=_meeting_chief,
                custom={"label": _("Подвести итоги голосования"), "rule": "R58"})
    def close_voting(self, *, by):
        self.decided_at = timezone.now()

    @transition(field=state, source=MeetingState.DECIDED, target=MeetingState.APPROVED,
                permission=_meeting_authorised, custom={"label": _("Утвердить результаты оценки"), "rule": "R64"})
    def approve(self, *, by):
        self.approved_at, self.approved_by = timezone.now(), by


class MeetingAttendance(models.Model):
    """R55: who of the composition was present (the secretary is recorded, not counted)."""

    meeting = models.ForeignKey(CommissionMeeting, verbose_name=_("заседание"), on_delete=models.CASCADE,
                                related_name="attendance")
    member = models.ForeignKey(CommissionMember, verbose_name=_("член Комиссии"), on_delete=models.PROTECT,
                               related_name="+")
    present = models.BooleanField(_("присутствовал"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("присутствие на заседании")
        verbose_name_plural = _("присутствие на заседании")
        ordering = ["meeting", "member__role", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="legacy_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member.employee}: {'+' if self.present else '—'}"


class ItemDecision(models.TextChoices):
    APPROVE = "approve", _("утвердить результаты оценки")
    REVISE = "revise", _("пересмотреть результаты оценки")


class AgendaItem(models.Model):
    """R61–R64: one submitted sheet on the agenda; one row of the protocol."""

    meeting = models.ForeignKey(CommissionMeeting, verbose_name=_("заседание"), on_delete=models.CASCADE,
                                related_name="items")
    sheet = models.ForeignKey("legacy_commission.LegacySheet", verbose_name=_("лист оценки"),
                              on_delete=models.PROTECT, related_name="agenda_items")
    # R61: the result as the sheet was submitted (the protocol keeps it even if the sheet is
    # later reopened for re-evaluation, R67).
    submitted_gradation = models.CharField(_("результат оценки"), max_length=16, choices=Gradation.choices)
    decision = models.CharField(_("решение Комиссии"), max_length=10, choices=ItemDecision.choices, blank=True)
    # R63: «Корректировка Комиссией результатов оценки (в случае наличия)».
    corrected_gradation = models.CharField(_("корректировка Комиссией результатов оценки"), max_length=16,
                                           choices=Gradation.choices, blank=True)
    decided_by_chairman = models.BooleanField(_("при равенстве голосов решил голос председателя"), default=False)
    result = models.ForeignKey(PeriodResult, verbose_name=_("результат"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("вопрос повестки заседания")
        verbose_name_plural = _("повестка заседания")
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "sheet"], name="legacy_item_once_per_meeting")]

    def __str__(self) -> str:
        return str(_("Вопрос повестки № %(pk)s") % {"pk": self.pk})

    @property
    def entry(self):
        return self.sheet.plan.entry

    @property
    def final_gradation(self) -> str:
        return self.corrected_gradation or self.submitted_gradation


class Vote(models.Model):
    """R57: an open vote of one member present on one item: the result the member votes
    for — the submitted one (approve) or another gradation (revise)."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("вопрос повестки"), on_delete=models.CASCADE,
                             related_name="votes")
    member = models.ForeignKey(CommissionMember, verbose_name=_("член Комиссии"), on_delete=models.PROTECT,
                               related_name="+")
    choice = models.CharField(_("голос"), max_length=10, choices=ItemDecision.choices)
    gradation = models.CharField(_("за результат"), max_length=16, choices=Gradation.choices)
    cast_at = models.DateTimeField(_("время голосования"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("голос члена Комиссии")
        verbose_name_plural = _("голоса членов Комиссии")
        ordering = ["item", "cast_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="legacy_one_vote_per_member")]

    def __str__(self) -> str:
        return str(_("Голос № %(pk)s") % {"pk": self.pk})


class AppealBody(models.TextChoices):
    AGENCY = "agency", _("уполномоченный орган по делам государственной службы")
    TERRITORIAL = "territorial", _("территориальный департамент уполномоченного органа")
    COURT = "court", _("суд (п. 68)")


class AppealOutcome(models.TextChoices):
    PENDING = "", _("на рассмотрении")
    STANDS = "stands", _("оставить без пересмотра результаты оценки")
    REEVALUATE = "reevaluate", _("отменить решение Комиссии и пересмотреть результаты оценки")


class Appeal(models.Model):
    """R67, R68: the employee's appeal of the Commission's decision and its outcome."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("решение Комиссии"), on_delete=models.PROTECT,
                             related_name="appeals")
    body = models.CharField(_("куда подана жалоба"), max_length=12, choices=AppealBody.choices)
    body_name = models.CharField(_("наименование органа (суда)"), max_length=300, blank=True)
    filed_on = models.DateField(_("дата подачи"))
    reference = models.CharField(_("входящий номер / номер дела"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("внесено"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT,
                                    related_name="+")
    outcome = models.CharField(_("итог рассмотрения"), max_length=12, choices=AppealOutcome.choices, blank=True)
    outcome_on = models.DateField(_("дата решения по жалобе"), null=True, blank=True)
    outcome_reference = models.CharField(_("номер и реквизиты решения"), max_length=300, blank=True)
    outcome_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("итог внёс"),
                                            on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("обжалование решения Комиссии")
        verbose_name_plural = _("обжалования решений Комиссии")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Жалоба № %(pk)s") % {"pk": self.pk})
