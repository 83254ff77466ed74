"""Chapter 2: the KCI of the head of apparatus (R21–R27).

- `AdmissibleScoreTable` / `AdmissibleScoreRow`: appendix 3 of the Типовая методика as
  data of a methodology edition (forms.md); shipped as a marked default.
- `IndividualPlan` (appendix 1) with its `Kci` rows (R22–R24), amended only through R25,
  each approved version kept as a `PlanVersion` snapshot (plus the history tables).
- `KciScoreSheet` (appendix 2) with one `KciScoreLine` per KCI: the preliminary calculation
  of the chief specialist (R22.6) and the evaluator's scores (R27).

Transitions carry their `permission`; the services in kci/services.py check the rules with
a clear message before running them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal import roles
from appraisal.models import MethodologyEdition, Role, ScheduleEntry
from appraisal.scoring import ScoreField
from appraisal.uploads import get_private_storage

# --- who may do what -------------------------------------------------------------------


def is_evaluator(entry: ScheduleEntry, user) -> bool:
    """The evaluator of the head (the chairman as higher supervisor), from the schedule line."""
    return bool(
        getattr(user, "is_authenticated", False) and entry.evaluator_id and entry.evaluator.user_id == user.pk
    )


def is_chief(entry: ScheduleEntry, user) -> bool:
    return roles.has_role(user, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST)


def _plan_evaluator(plan, user) -> bool:
    return is_evaluator(plan.entry, user)


def _plan_chief(plan, user) -> bool:
    return is_chief(plan.entry, user)


def _plan_evaluator_or_chief(plan, user) -> bool:
    return is_evaluator(plan.entry, user) or is_chief(plan.entry, user)


def _sheet_evaluator(sheet, user) -> bool:
    return is_evaluator(sheet.plan.entry, user)


def _sheet_chief(sheet, user) -> bool:
    return is_chief(sheet.plan.entry, user)


# --- appendix 3: admissible scores by percent of achievement ---------------------------


class AdmissibleScoreTable(models.Model):
    """Appendix 3 of the Типовая методика for one methodology edition (R27)."""

    edition = models.OneToOneField(MethodologyEdition, on_delete=models.PROTECT, related_name="kci_score_table")
    is_default = models.BooleanField(
        _("значение по умолчанию"), default=True,
        help_text=_("Снимается, когда главный специалист сверил таблицу с утверждённой методикой."),
    )
    confirmed_at = models.DateTimeField(_("подтверждено"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("таблица допустимых оценок (приложение 3)")
        verbose_name_plural = _("таблицы допустимых оценок (приложение 3)")

    def __str__(self) -> str:
        return _("Приложение 3: %(edition)s") % {"edition": self.edition.decision_number}


class AdmissibleScoreRow(models.Model):
    """A percent range [percent_from, percent_to) and the score(s) the evaluator may give."""

    table = models.ForeignKey(AdmissibleScoreTable, on_delete=models.CASCADE, related_name="rows")
    percent_from = models.DecimalField(_("процент от (включительно)"), max_digits=7, decimal_places=2)
    percent_to = models.DecimalField(_("процент до (не включая)"), max_digits=7, decimal_places=2, null=True,
                                     blank=True, help_text=_("Пусто — без верхней границы."))
    scores = models.CharField(_("допустимые оценки"), max_length=20, help_text=_("Через запятую, например «4,5»."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("строка таблицы допустимых оценок")
        verbose_name_plural = _("строки таблицы допустимых оценок")
        ordering = ["table", "percent_from"]
        constraints = [
            models.UniqueConstraint(fields=["table", "percent_from"], name="kci_score_row_unique_from"),
        ]

    def __str__(self) -> str:
        upper = f"{self.percent_to}" if self.percent_to is not None else "∞"
        return f"{self.percent_from}–{upper} % → {self.scores}"

    @property
    def score_list(self) -> list[int]:
        return [int(s) for s in self.scores.split(",") if s.strip()]

    def covers(self, percent: Decimal) -> bool:
        return self.percent_from <= percent and (self.percent_to is None or percent < self.percent_to)


# --- appendix 1: the individual work plan ----------------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", _("проект")
    AGREED = "agreed", _("согласован главным специалистом")
    APPROVED = "approved", _("утверждён оценивающим лицом")
    POSTED = "posted", _("размещён в системе")


class AmendmentBasis(models.TextChoices):
    """R25: the only grounds for changing KCIs."""

    FUNCTIONS = "functions", _("изменение функций государственного органа")
    STRUCTURE = "structure", _("изменение структуры государственного органа")


class IndividualPlan(ConcurrentTransitionMixin, models.Model):
    """R22: the head's individual work plan for one period of an approved schedule."""

    entry = models.OneToOneField(ScheduleEntry, on_delete=models.PROTECT, related_name="kci_plan")
    state = FSMField(_("состояние"), default=PlanState.DRAFT, choices=PlanState.choices, protected=True)
    version = models.PositiveSmallIntegerField(_("редакция"), default=1)
    amendment_basis = models.CharField(_("основание изменения (п. 25)"), max_length=12,
                                       choices=AmendmentBasis.choices, blank=True)
    amendment_reason = models.TextField(_("какие изменения функций или структуры и как они влияют на КЦИ"),
                                        blank=True)
    return_reason = models.TextField(_("причина возврата"), blank=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(_("согласован"), null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    # R22.1 / R22.2 are measured on the first approval; an amendment does not make it late.
    first_approved_at = models.DateTimeField(_("впервые утверждён"), null=True, blank=True)
    posted_at = models.DateTimeField(_("размещён"), null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("индивидуальный план работы")
        verbose_name_plural = _("индивидуальные планы работы")
        ordering = ["-entry__schedule__period__end"]

    def __str__(self) -> str:
        return _("Индивидуальный план: %(who)s, %(period)s") % {
            "who": self.entry.employee, "period": self.entry.schedule.period}

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.AGREED, permission=_plan_chief,
                custom={"label": _("Согласовать КЦИ"), "rule": "R22.1"})
    def agree(self, *, by):
        self.agreed_at, self.agreed_by, self.return_reason = timezone.now(), by, ""

    @transition(field=state, source=PlanState.AGREED, target=PlanState.DRAFT, permission=_plan_evaluator_or_chief,
                custom={"label": _("Вернуть на доработку"), "needs_reason": True})
    def return_to_draft(self, *, by, reason: str):
        self.return_reason = reason
        self.agreed_at = self.agreed_by = None

    @transition(field=state, source=PlanState.AGREED, target=PlanState.APPROVED, permission=_plan_evaluator,
                custom={"label": _("Утвердить КЦИ"), "rule": "R22.1"})
    def approve(self, *, by):
        self.approved_at, self.approved_by = timezone.now(), by
        self.first_approved_at = self.first_approved_at or self.approved_at

    @transition(field=state, source=PlanState.APPROVED, target=PlanState.POSTED, permission=_plan_chief,
                custom={"label": _("Разместить в системе"), "rule": "R22.3"})
    def post(self, *, by):
        self.posted_at, self.posted_by = timezone.now(), by

    @transition(field=state, source=[PlanState.APPROVED, PlanState.POSTED], target=PlanState.DRAFT,
                permission=_plan_evaluator, custom={"label": _("Внести изменения (п. 25)"), "amendment": True})
    def amend(self, *, by, basis: str, reason: str):
        self.version += 1
        self.amendment_basis, self.amendment_reason = basis, reason
        self.agreed_at = self.agreed_by = self.approved_at = self.approved_by = None
        self.posted_at = self.posted_by = None
        self.return_reason = ""

    @property
    def is_editable(self) -> bool:
        return self.state == PlanState.DRAFT

    @property
    def period(self):
        return self.entry.schedule.period


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("количественный")
    QUALITATIVE = "qualitative", _("качественный")


class DocumentKind(models.TextChoices):
    """R24: what the KCI is aimed at."""

    NATIONAL_PROJECT = "national_project", _("национальный проект (документ государственного планирования)")
    STRATEGIC_GOAL = "strategic_goal", _("стратегическая цель государственного органа")
    CORPS_A_AGREEMENT = "corps_a_agreement", _("меморандум (соглашение) служащего корпуса «А»")
    EFFICIENCY = "efficiency", _("повышение эффективности деятельности государственного органа")


class Kci(models.Model):
    """R24: one key target indicator with every SMART field of the plan form."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="kcis")
    number = models.PositiveSmallIntegerField(_("№"))
    title = models.CharField(_("КЦИ: конкретный ожидаемый результат"), max_length=500)
    indicator_kind = models.CharField(_("вид показателя"), max_length=14, choices=IndicatorKind.choices)
    unit = models.CharField(_("единица измерения"), max_length=80)
    target = models.DecimalField(_("целевое значение"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("срок достижения"))
    resources = models.TextField(_("достижимость: ресурсы и полномочия"))
    document_kind = models.CharField(_("на что направлен"), max_length=20, choices=DocumentKind.choices)
    document_name = models.CharField(_("документ планирования / цель"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("КЦИ")
        verbose_name_plural = _("КЦИ")
        ordering = ["plan", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanVersion(models.Model):
    """R25: every approved version of a plan, frozen as it was approved."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("редакция"))
    approved_at = models.DateTimeField(_("утверждена"))
    approved_by_name = models.CharField(_("утвердил"), max_length=300)
    amendment_basis = models.CharField(_("основание изменения"), max_length=12, choices=AmendmentBasis.choices,
                                       blank=True)
    amendment_reason = models.TextField(_("причина изменения"), blank=True)
    kcis = models.JSONField(_("КЦИ"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("редакция индивидуального плана")
        verbose_name_plural = _("редакции индивидуальных планов")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="kci_plan_version_unique")]

    def __str__(self) -> str:
        return _("Редакция %(n)s") % {"n": self.number}

    @property
    def kci_rows(self) -> list[dict]:
        """The frozen KCIs with their deadline as a date and target as a Decimal, so that an
        earlier version reads like the current one (dd.mm.yyyy, decimal comma)."""
        import datetime as dt

        rows = []
        for k in self.kcis:
            row = dict(k)
            try:
                row["deadline"] = dt.date.fromisoformat(k["deadline"])
                row["target"] = Decimal(k["target"])
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass
            rows.append(row)
        return rows


# --- appendix 2: the score sheet ---------------------------------------------------------


class SheetState(models.TextChoices):
    PRELIMINARY = "preliminary", _("предварительный расчёт")
    SENT = "sent", _("направлен оценивающему лицу")
    SUBMITTED = "submitted", _("оценка выставлена")


class KciScoreSheet(ConcurrentTransitionMixin, models.Model):
    """R22.6 + R27: the preliminary calculation, then the evaluator's scores."""

    plan = models.OneToOneField(IndividualPlan, on_delete=models.PROTECT, related_name="sheet")
    state = FSMField(_("состояние"), default=SheetState.PRELIMINARY, choices=SheetState.choices, protected=True)
    plan_version = models.PositiveSmallIntegerField(_("редакция плана"), default=1)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    sent_at = models.DateTimeField(_("направлен оценивающему"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    submitted_at = models.DateTimeField(_("оценка выставлена"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    score = ScoreField(_("оценка за квартал"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("оценочный лист КЦИ")
        verbose_name_plural = _("оценочные листы КЦИ")

    def __str__(self) -> str:
        return _("Оценочный лист: %(plan)s") % {"plan": self.plan}

    @transition(field=state, source=SheetState.PRELIMINARY, target=SheetState.SENT, permission=_sheet_chief,
                custom={"label": _("Направить оценивающему лицу"), "rule": "R22.6"})
    def send(self, *, by):
        self.sent_at, self.sent_by = timezone.now(), by

    @transition(field=state, source=SheetState.SENT, target=SheetState.PRELIMINARY, permission=_sheet_evaluator,
                custom={"label": _("Вернуть на уточнение расчёта"), "needs_reason": True})
    def return_calculation(self, *, by, reason: str):
        self.sent_at = self.sent_by = None

    @transition(field=state, source=SheetState.SENT, target=SheetState.SUBMITTED, permission=_sheet_evaluator,
                custom={"label": _("Выставить оценку"), "rule": "R27"})
    def submit(self, *, by, score):
        self.submitted_at, self.submitted_by, self.score = timezone.now(), by, score


def evidence_path(instance, filename: str) -> str:
    return f"kci/evidence/{instance.sheet_id}/{filename}"


class KciScoreLine(models.Model):
    sheet = models.ForeignKey(KciScoreSheet, on_delete=models.CASCADE, related_name="lines")
    kci = models.ForeignKey(Kci, on_delete=models.CASCADE, related_name="score_lines")
    actual = models.DecimalField(_("фактическое значение"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("пояснение / подтверждение"), blank=True)
    # Private storage (no URL): the file is reached only through the R20 view line_evidence.
    evidence = models.FileField(_("подтверждающий документ"), upload_to=evidence_path, blank=True,
                                storage=get_private_storage)
    percent = models.DecimalField(_("процент достижения"), max_digits=9, decimal_places=2, null=True, blank=True)
    admissible = models.CharField(_("допустимые оценки"), max_length=20, blank=True)
    score = ScoreField(_("оценка"), null=True, blank=True)
    comment = models.TextField(_("комментарий оценивающего лица"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("строка оценочного листа КЦИ")
        verbose_name_plural = _("строки оценочного листа КЦИ")
        ordering = ["sheet", "kci__number", "kci__pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "kci"], name="kci_score_line_unique")]

    def __str__(self) -> str:
        return f"{self.kci}: {self.actual} → {self.score}"

    @property
    def admissible_list(self) -> list[int]:
        return [int(s) for s in self.admissible.split(",") if s.strip()]
