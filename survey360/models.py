"""Chapter 4: the annual 360 survey (R33–R36).

Anonymity is a property of the schema, not of the pages (see docs/conformance/survey360.md):

- `AnswerTally` holds, per (campaign, evaluated person, statement), only the running sum of
  the answers and their number. There are no individual answer rows at all, no respondent
  key, no relation category, no timestamp, and the primary key is a random UUID.
- `Respondent` (the circle of R35.1) says who is asked about whom and whether they have
  answered — and nothing of what they answered. The flag and the tallies are written in one
  transaction (an answer is all or nothing); closing the campaign rewrites the answer tables,
  which erases the xmin they shared and every intermediate row version.
- `AnonymousComment` holds all free-text comments about a person in one row, in random order,
  with the evaluated person only; it is re-shuffled and re-written when the campaign closes.
- `SelfAnswer` is the self-assessment of R35.2: not anonymous and never counted.

None of these four has HistoricalRecords: a history table would keep each version of a tally
with its date and so undo the aggregation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal import roles
from appraisal.choices import cached_choice_display
from appraisal.languages import localized
from appraisal.models import Employee, MethodologyEdition, Organisation, Period, Schedule, ScheduleEntry

SCALE_MIN = 0
SCALE_MAX = 5


class Audience(models.TextChoices):
    HEAD = "head", _("руководитель аппарата (приложение 5)")
    STAFF = "staff", _("служащие корпуса «Б» (приложение 6)")


class Questionnaire(models.Model):
    """Forms 5 and 6 (R33, R34) as editable edition data: each edition (so each body) has its own."""

    edition = models.ForeignKey(MethodologyEdition, verbose_name=_("редакция методики"), on_delete=models.PROTECT,
                                related_name="questionnaires")
    audience = models.CharField(_("для кого"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("наименование"), max_length=300)
    title_kk = models.CharField(_("наименование на казахском языке"), max_length=300, blank=True)
    appendix = models.PositiveSmallIntegerField(_("приложение"))
    scale_min = models.PositiveSmallIntegerField(_("шкала: от"), default=SCALE_MIN)
    scale_max = models.PositiveSmallIntegerField(_("шкала: до"), default=SCALE_MAX)
    least_expressed_count = models.PositiveSmallIntegerField(
        _("число наименее выраженных компетенций в отчёте"), default=3
    )
    is_default = models.BooleanField(
        _("значение по умолчанию"), default=True,
        help_text=_("Снимите отметку, когда тексты сверены с утверждённой методикой."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("анкета 360")
        verbose_name_plural = _("анкеты 360")
        ordering = ["edition", "appendix"]
        constraints = [models.UniqueConstraint(fields=["edition", "audience"], name="questionnaire_unique_per_edition")]

    def __str__(self) -> str:
        return localized(self, "title")


class Competency(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="competencies")
    order = models.PositiveSmallIntegerField(_("№"))
    name = models.CharField(_("компетенция"), max_length=200)
    name_kk = models.CharField(_("компетенция на казахском языке"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("компетенция")
        verbose_name_plural = _("компетенции")
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="competency_order_unique")]

    def __str__(self) -> str:
        return localized(self, "name")


class Statement(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="statements")
    order = models.PositiveSmallIntegerField(_("№"))
    text = models.CharField(_("поведенческое утверждение"), max_length=500)
    text_kk = models.CharField(_("поведенческое утверждение на казахском языке"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("утверждение анкеты")
        verbose_name_plural = _("утверждения анкеты")
        ordering = ["competency", "order"]
        constraints = [models.UniqueConstraint(fields=["competency", "order"], name="statement_order_unique")]

    def __str__(self) -> str:
        return localized(self, "text")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("подготовка")
    COLLECTING = "collecting", _("сбор ответов")
    CLOSED = "closed", _("сбор завершён")
    REPORTED = "reported", _("отчёты сформированы")


def _is_chief(instance, user) -> bool:
    from appraisal.models import Role

    return roles.has_role(user, instance.organisation_id, Role.CHIEF_SPECIALIST)


class Campaign(ConcurrentTransitionMixin, models.Model):
    """R33: once a year per organisation, from the approved year schedule (R10)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="survey360_campaigns")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("состояние"), default=CampaignState.DRAFT, choices=CampaignState.choices, protected=True)
    deadline = models.DateField(_("п. 4: последний день оценки"))
    reminder_working_days = models.CharField(
        _("напоминания за рабочих дней до срока"), max_length=40, default="5,2",
        help_text=_("Через запятую, например 5,2."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("сбор открыт"), null=True, blank=True)
    closed_on = models.DateField(_("сбор завершён"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("опрос 360")
        verbose_name_plural = _("опросы 360")
        ordering = ["-period__year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period"], name="one_survey360_per_org_year"),
        ]

    def __str__(self) -> str:
        return _("Оценка методом 360 за %(period)s") % {"period": self.period}

    @property
    def reminder_days(self) -> list[int]:
        return sorted({int(p) for p in self.reminder_working_days.replace(" ", "").split(",") if p.isdigit()},
                      reverse=True)

    @property
    def results_visible(self) -> bool:
        return self.state in (CampaignState.CLOSED, CampaignState.REPORTED)

    @transition(field=state, source=CampaignState.DRAFT, target=CampaignState.COLLECTING,
                permission=_is_chief, custom={"label": _("Открыть сбор ответов")})
    def open(self, *, by):
        self.opened_on = timezone.localdate()

    @transition(field=state, source=CampaignState.COLLECTING, target=CampaignState.CLOSED,
                permission=_is_chief, custom={"label": _("Завершить сбор ответов")})
    def close(self, *, by):
        self.closed_on = timezone.localdate()

    @transition(field=state, source=CampaignState.CLOSED, target=CampaignState.REPORTED,
                permission=_is_chief, custom={"label": _("Сформировать индивидуальные отчёты")})
    def publish(self, *, by):
        pass


class Subject(models.Model):
    """An evaluated person of the campaign (a 360 line of the approved schedule)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="subjects")
    entry = models.OneToOneField(ScheduleEntry, on_delete=models.PROTECT, related_name="survey360_subject")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="survey360_subjects")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    with_participation = models.BooleanField(_("с участием (самооценка)"), default=True)
    self_submitted = models.BooleanField(_("самооценка заполнена"), default=False)

    class Meta:
        verbose_name = _("оцениваемое лицо (360)")
        verbose_name_plural = _("оцениваемые лица (360)")
        ordering = ["employee__last_name", "employee__first_name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "employee"], name="survey360_subject_unique")]

    def __str__(self) -> str:
        return str(self.employee)


class RespondentSource(models.TextChoices):
    SUPERVISOR = "supervisor", _("непосредственный руководитель")
    SUBORDINATE = "subordinate", _("подчинённый")
    PEER = "peer", _("коллега того же уровня")
    ADDED = "added", _("добавлен главным специалистом")


class Respondent(models.Model):
    """R35.1: one member of a person's circle. `answered` is the only trace of an answer;
    the physical link to the tallies written with it is erased at closing
    (services.submit_answers, services.close_campaign)."""

    _get_FIELD_display = cached_choice_display  # a label per respondent on the campaign page

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="respondents")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="survey360_circles")
    source = models.CharField(_("основание"), max_length=12, choices=RespondentSource.choices)
    answered = models.BooleanField(_("ответил"), default=False)

    class Meta:
        verbose_name = _("респондент")
        verbose_name_plural = _("респонденты")
        # Always by name: on PostgreSQL an unordered list follows the heap, where the row
        # updated by an answer (`answered`) moves to the end, so the order of a circle on a
        # page would tell who answered last.
        ordering = ["employee__last_name", "employee__first_name", "employee__middle_name"]
        constraints = [models.UniqueConstraint(fields=["subject", "employee"], name="respondent_unique")]

    def __str__(self) -> str:
        return f"{self.employee} → {self.subject}"


class AnswerTally(models.Model):
    """The only store of others' answers: a sum and a count per statement. No respondent,
    no relation, no time; a random key; no history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="tallies")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    total = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "statement"], name="tally_unique")]

    def __str__(self) -> str:
        return f"{self.subject}: {self.statement_id}"


class AnonymousComment(models.Model):
    """The free-text comments about one person, all in one row with the evaluated person
    only: a new comment is inserted at a random place of the list (services.submit_answers),
    so the row holds no order of arrival and no per-comment key, exactly like a tally."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="comment_pool")
    texts = models.JSONField(default=list)

    def __str__(self) -> str:
        return str(self.subject)


class SelfAnswer(models.Model):
    """R35.2: the self-assessment, shown beside the result and never counted in it."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="self_answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "statement"], name="self_answer_unique")]

    def __str__(self) -> str:
        return f"{self.subject}: {self.value}"


class FeedbackMeeting(models.Model):
    """R36, appendix 8: the feedback meeting after the individual report."""

    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="feedback")
    held_on = models.DateField(_("дата встречи"))
    participants = models.TextField(_("участники"))
    strengths = models.TextField(_("сильные стороны"))
    to_develop = models.TextField(_("компетенции для развития"))
    training_topics = models.TextField(_("согласованные темы обучения и меры развития"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("встреча обратной связи (360)")
        verbose_name_plural = _("встречи обратной связи (360)")

    def __str__(self) -> str:
        return f"{self.subject}: {self.held_on:%d.%m.%Y}"
