"""Chapter 6, paragraph 1 (R43–R53): the legacy individual work plan and its score sheet.

For a person whom the schedule sends to chapter 6 (R5.3, Method.LEGACY):

- `LegacyPlan` (appendix 9): the direct supervisor sets exactly five SMART KCIs (R43, R45,
  R46), the higher supervisor approves them (R44). One plan per schedule line.
- `LegacyKci`: one KCI of the plan; achievement is yes/no, so the measure is a criterion
  in words, not a number.
- `LegacySheet` (appendix 10) with one `LegacySheetLine` per KCI: achieved (fully met) or
  not, with the evidence in words and `LegacyEvidence` files (R47). The result is the
  gradation of R48 from the count achieved, never a 0–5 score.
- `ReviewRound`: every time the sheet goes to the higher supervisor and what was decided
  (agreed or returned with an R51 reason), kept as rows; simple-history keeps the rest.

The schema guarantees: one plan per schedule line, one sheet per plan, one line per KCI
of the sheet, KCI numbers unique in a plan, round numbers unique in a sheet. Who may run a
transition is its `permission`; the rules (exactly five, D2, deadlines) are checked with a
clear message by legacy_commission/services before a transition runs.

No __str__ here names a result, an achievement or a KCI's content: __str__ ends up in admin
lists and logs, and the plan's content is evaluative (R20).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal import roles
from appraisal.models import Employee, Role, ScheduleEntry
from appraisal.scoring import Gradation

KCI_COUNT = 5  # R46

# R48: count of KCIs achieved → gradation. Fewer than three is unsatisfactory.
GRADATION_BY_COUNT = {5: Gradation.EFFECTIVE, 4: Gradation.PROPER, 3: Gradation.SATISFACTORY}


def gradation_for_count(achieved: int) -> Gradation:
    """R48: 5 of 5 → effective, 4 → proper, 3 → satisfactory, fewer → unsatisfactory."""
    return GRADATION_BY_COUNT.get(achieved, Gradation.UNSATISFACTORY)


# --- who may do what (from the schedule line and the plan, never typed) ------------------


def is_supervisor(plan: "LegacyPlan", user) -> bool:
    """R43, R47: the direct supervisor, the evaluator of the schedule line."""
    return bool(getattr(user, "is_authenticated", False) and plan.entry.evaluator_id
                and plan.entry.evaluator.user_id == user.pk)


def is_higher_supervisor(plan: "LegacyPlan", user) -> bool:
    """R44, R50: the higher supervisor recorded on the plan (derived from the positions)."""
    return bool(getattr(user, "is_authenticated", False) and plan.higher_supervisor_id
                and plan.higher_supervisor.user_id == user.pk)


def is_chief(plan: "LegacyPlan", user) -> bool:
    return roles.has_role(user, plan.entry.schedule.organisation_id, Role.CHIEF_SPECIALIST)


def _plan_supervisor(plan, user) -> bool:
    return is_supervisor(plan, user)


def _plan_higher(plan, user) -> bool:
    return is_higher_supervisor(plan, user)


def _sheet_supervisor(sheet, user) -> bool:
    return is_supervisor(sheet.plan, user)


def _sheet_higher(sheet, user) -> bool:
    return is_higher_supervisor(sheet.plan, user)


def _sheet_chief(sheet, user) -> bool:
    return is_chief(sheet.plan, user)


def _reevaluation_recommended(sheet) -> bool:
    """R67: the latest Commission decision on the sheet was appealed and the agency
    recommended cancelling it and re-evaluating. A reopened sheet goes through a new
    meeting, whose item has no such appeal, so one recommendation reopens once."""
    from legacy_commission.models.commission import AppealOutcome

    latest = sheet.agenda_items.order_by("-meeting__date", "-pk").first()
    return latest is not None and latest.appeals.filter(outcome=AppealOutcome.REEVALUATE).exists()


# --- appendix 9: the individual work plan ------------------------------------------------


class LegacyPlanState(models.TextChoices):
    DRAFT = "draft", _("проект")
    ON_APPROVAL = "on_approval", _("на утверждении у вышестоящего руководителя")
    APPROVED = "approved", _("утверждён")


class LegacyPlan(ConcurrentTransitionMixin, models.Model):
    """R43–R46: the individual work plan of chapter 6 for one schedule line."""

    entry = models.OneToOneField(ScheduleEntry, verbose_name=_("строка графика"), on_delete=models.PROTECT,
                                 related_name="legacy_plan")
    state = FSMField(_("состояние"), default=LegacyPlanState.DRAFT, choices=LegacyPlanState.choices, protected=True)
    # R44: who approves, derived from the positions when the plan is started (the person who
    # holds the position the direct supervisor reports to), kept so the approver is stable.
    higher_supervisor = models.ForeignKey(Employee, verbose_name=_("вышестоящий руководитель"),
                                          on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    return_reason = models.TextField(_("причина возврата"), blank=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.PROTECT,
                                   related_name="+")
    # R43 is measured on the first submission for approval: the plan was drawn up then.
    first_submitted_at = models.DateTimeField(_("впервые направлен на утверждение"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("направлен на утверждение"), null=True, blank=True)
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("утвердил"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("индивидуальный план работы (глава 6)")
        verbose_name_plural = _("индивидуальные планы работы (глава 6)")
        ordering = ["-entry__schedule__period__end", "pk"]

    def __str__(self) -> str:
        return str(_("Индивидуальный план (глава 6) № %(pk)s") % {"pk": self.pk})

    @transition(field=state, source=LegacyPlanState.DRAFT, target=LegacyPlanState.ON_APPROVAL,
                permission=_plan_supervisor, custom={"label": _("Направить на утверждение"), "rule": "R43"})
    def submit(self, *, by):
        self.submitted_at = timezone.now()
        self.first_submitted_at = self.first_submitted_at or self.submitted_at
        self.return_reason = ""

    @transition(field=state, source=LegacyPlanState.ON_APPROVAL, target=LegacyPlanState.APPROVED,
                permission=_plan_higher, custom={"label": _("Утвердить план"), "rule": "R44"})
    def approve(self, *, by):
        self.approved_at, self.approved_by = timezone.now(), by

    @transition(field=state, source=LegacyPlanState.ON_APPROVAL, target=LegacyPlanState.DRAFT,
                permission=_plan_higher, custom={"label": _("Вернуть на доработку"), "needs_reason": True,
                                                 "rule": "R44"})
    def return_to_draft(self, *, by, reason: str):
        self.return_reason = reason

    @property
    def is_editable(self) -> bool:
        return self.state == LegacyPlanState.DRAFT

    @property
    def period(self):
        return self.entry.schedule.period


class LegacyAim(models.TextChoices):
    """R45.5: what a KCI serves."""

    STRATEGIC_GOAL = "strategic_goal", _("стратегическая цель государственного органа")
    CORPS_A_AGREEMENT = "corps_a_agreement", _("соглашение служащего корпуса «А»")


class LegacyKci(models.Model):
    """R45: one SMART KCI — specific, measurable, achievable, time-bound, aimed at a goal."""

    plan = models.ForeignKey(LegacyPlan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="kcis")
    number = models.PositiveSmallIntegerField(_("№"))
    title = models.CharField(_("КЦИ: конкретный ожидаемый результат"), max_length=500)
    criterion = models.CharField(_("критерий измерения достижения"), max_length=500)
    resources = models.CharField(_("достижимость: ресурсы, полномочия, ограничения"), max_length=500)
    deadline = models.DateField(_("срок достижения"))
    aim_kind = models.CharField(_("на что направлен"), max_length=20, choices=LegacyAim.choices)
    aim_name = models.CharField(_("стратегическая цель / соглашение"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("КЦИ (глава 6)")
        verbose_name_plural = _("КЦИ (глава 6)")
        ordering = ["plan", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="legacy_kci_unique_number")]

    def __str__(self) -> str:
        return str(_("КЦИ № %(n)s") % {"n": self.number})


# --- appendix 10: the score sheet -------------------------------------------------------


class LegacySheetState(models.TextChoices):
    DRAFT = "draft", _("заполняется непосредственным руководителем")
    ON_REVIEW = "on_review", _("на рассмотрении вышестоящего руководителя")
    RETURNED = "returned", _("направлен на доработку")
    SIGNED = "signed", _("подписан вышестоящим руководителем")
    SUBMITTED = "submitted", _("вынесен на рассмотрение Комиссии")


class ReturnReason(models.TextChoices):
    """R51: the only grounds for returning a sheet for rework."""

    INSUFFICIENT = "insufficient", _("недостаточность фактов, подтверждающих достижение КЦИ")
    UNRELIABLE = "unreliable", _("недостоверность фактов, подтверждающих достижение КЦИ")


class LegacySheet(ConcurrentTransitionMixin, models.Model):
    """R47–R53: the KCI score sheet of chapter 6."""

    plan = models.OneToOneField(LegacyPlan, verbose_name=_("план"), on_delete=models.PROTECT, related_name="sheet")
    state = FSMField(_("состояние"), default=LegacySheetState.DRAFT, choices=LegacySheetState.choices,
                     protected=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.PROTECT,
                                   related_name="+")
    # R47, R49: signed by the direct supervisor and sent to the higher supervisor (last time).
    sent_at = models.DateTimeField(_("подписан и внесён вышестоящему руководителю"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    # R51, R52: the latest return for rework; the rounds keep every one.
    returned_at = models.DateTimeField(_("направлен на доработку"), null=True, blank=True)
    return_reason_kind = models.CharField(_("основание возврата (п. 51)"), max_length=12,
                                          choices=ReturnReason.choices, blank=True)
    return_reason = models.TextField(_("что доработать"), blank=True)
    # R50: agreed and signed by the higher supervisor.
    signed_at = models.DateTimeField(_("подписан вышестоящим руководителем"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("подписал"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    # R53: submitted to the Commission by the chief specialist.
    submitted_at = models.DateTimeField(_("вынесен на рассмотрение Комиссии"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("вынес"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("лист оценки по КЦИ (глава 6)")
        verbose_name_plural = _("листы оценки по КЦИ (глава 6)")
        ordering = ["-plan__entry__schedule__period__end", "pk"]

    def __str__(self) -> str:
        return str(_("Лист оценки (глава 6) № %(pk)s") % {"pk": self.pk})

    @transition(field=state, source=[LegacySheetState.DRAFT, LegacySheetState.RETURNED],
                target=LegacySheetState.ON_REVIEW, permission=_sheet_supervisor,
                custom={"label": _("Подписать и внести вышестоящему руководителю"), "rule": "R49"})
    def send(self, *, by):
        self.sent_at, self.sent_by = timezone.now(), by

    @transition(field=state, source=LegacySheetState.ON_REVIEW, target=LegacySheetState.SIGNED,
                permission=_sheet_higher, custom={"label": _("Согласиться с оценкой и подписать"), "rule": "R50"})
    def sign(self, *, by):
        self.signed_at, self.signed_by = timezone.now(), by

    @transition(field=state, source=LegacySheetState.ON_REVIEW, target=LegacySheetState.RETURNED,
                permission=_sheet_higher,
                custom={"label": _("Направить на доработку"), "needs_reason": True, "rule": "R51"})
    def return_for_rework(self, *, by, reason_kind: str, reason: str):
        self.returned_at = timezone.now()
        self.return_reason_kind, self.return_reason = reason_kind, reason

    @transition(field=state, source=LegacySheetState.SIGNED, target=LegacySheetState.SUBMITTED,
                permission=_sheet_chief, custom={"label": _("Вынести на рассмотрение Комиссии"), "rule": "R53"})
    def submit_to_commission(self, *, by):
        self.submitted_at, self.submitted_by = timezone.now(), by

    @transition(field=state, source=LegacySheetState.SUBMITTED, target=LegacySheetState.RETURNED,
                permission=_sheet_chief, conditions=[_reevaluation_recommended],
                custom={"label": _("Вернуть на повторную оценку"), "needs_reason": True, "rule": "R67"})
    def reopen(self, *, by, reason: str):
        """R67: a new round for the direct supervisor; the earlier rounds, the agenda item
        with its votes, the protocol and the result stay as they were until the new
        decision is approved (history keeps the sheet as it was)."""
        self.returned_at, self.return_reason_kind, self.return_reason = timezone.now(), "", reason
        self.signed_at = self.signed_by = self.submitted_at = self.submitted_by = None

    @property
    def is_editable(self) -> bool:
        return self.state in (LegacySheetState.DRAFT, LegacySheetState.RETURNED)

    @property
    def is_draft(self) -> bool:
        """Not yet agreed by the higher supervisor: a working document of the evaluators."""
        return self.state not in (LegacySheetState.SIGNED, LegacySheetState.SUBMITTED)

    @property
    def achieved_count(self) -> int:
        return sum(1 for line in self.lines.all() if line.achieved)

    @property
    def is_complete(self) -> bool:
        lines = list(self.lines.all())
        return len(lines) == KCI_COUNT and all(line.achieved is not None for line in lines)

    @property
    def gradation(self) -> Gradation | None:
        """R48: the gradation from the count achieved; None until every KCI is decided."""
        return gradation_for_count(self.achieved_count) if self.is_complete else None


class LegacySheetLine(models.Model):
    """R47, R48: one KCI achieved (fully met) or not, with the evidence."""

    sheet = models.ForeignKey(LegacySheet, verbose_name=_("лист оценки"), on_delete=models.CASCADE,
                              related_name="lines")
    kci = models.ForeignKey(LegacyKci, verbose_name=_("КЦИ"), on_delete=models.PROTECT, related_name="sheet_lines")
    # None until the direct supervisor decides; R48: achieved means fully met.
    achieved = models.BooleanField(_("достигнут (выполнен полностью)"), null=True, blank=True)
    evidence = models.TextField(_("факты, подтверждающие достижение"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("строка листа оценки (глава 6)")
        verbose_name_plural = _("строки листа оценки (глава 6)")
        ordering = ["sheet", "kci__number", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "kci"], name="legacy_sheet_line_unique")]

    def __str__(self) -> str:
        return str(_("Строка листа оценки № %(pk)s") % {"pk": self.pk})


def evidence_storage():
    """Private storage (no URL): evidence is served only through a view that asks R20."""
    from appraisal.uploads import private_storage

    return private_storage


def evidence_path(instance: "LegacyEvidence", filename: str) -> str:
    return f"legacy_commission/evidence/{instance.line.sheet_id}/{instance.line_id}/{filename}"


class LegacyEvidence(models.Model):
    """R47, R51: a file that proves a KCI achieved (checked by its bytes on upload)."""

    line = models.ForeignKey(LegacySheetLine, verbose_name=_("строка листа"), on_delete=models.CASCADE,
                             related_name="files")
    file = models.FileField(_("файл"), upload_to=evidence_path, storage=evidence_storage, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=200)
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("подтверждающий файл (глава 6)")
        verbose_name_plural = _("подтверждающие файлы (глава 6)")
        ordering = ["line", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(_("Файл № %(pk)s") % {"pk": self.pk})


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("на рассмотрении")
    AGREED = "agreed", _("согласовано")
    RETURNED = "returned", _("направлено на доработку")


class ReviewRound(models.Model):
    """R49–R52: one submission of the sheet to the higher supervisor and its outcome. Every
    round is kept, with the lines as they were sent (the sheet's lines change in rework)."""

    sheet = models.ForeignKey(LegacySheet, verbose_name=_("лист оценки"), on_delete=models.CASCADE,
                              related_name="rounds")
    number = models.PositiveSmallIntegerField(_("№ рассмотрения"))
    sent_at = models.DateTimeField(_("внесён"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT,
                                related_name="+")
    # R52: for a resubmission, the last day it was due and whether it came later.
    due_on = models.DateField(_("срок повторного внесения"), null=True, blank=True)
    late = models.BooleanField(_("внесён с нарушением срока"), default=False)
    lines = models.JSONField(_("строки листа при внесении"), default=list)
    achieved_count = models.PositiveSmallIntegerField(_("достигнуто КЦИ"), default=0)
    decision = models.CharField(_("решение"), max_length=10, choices=ReviewDecision.choices,
                                default=ReviewDecision.PENDING)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("принял решение"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason_kind = models.CharField(_("основание возврата (п. 51)"), max_length=12, choices=ReturnReason.choices,
                                   blank=True)
    reason = models.TextField(_("что доработать"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("рассмотрение листа оценки (глава 6)")
        verbose_name_plural = _("рассмотрения листов оценки (глава 6)")
        ordering = ["sheet", "number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="legacy_review_round_unique")]

    def __str__(self) -> str:
        return str(_("Рассмотрение № %(n)s") % {"n": self.number})
