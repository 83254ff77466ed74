"""The organisation whose corps-B staff is evaluated, its positions, people and role holders.

Who supervises whom is never typed twice: it follows from `Position.reports_to` and from
who holds each position on a given date (see appraisal.selectors.org_chart).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    name = models.CharField(_("наименование"), max_length=300)
    name_kk = models.CharField(_("наименование на казахском"), max_length=300, blank=True)
    short_name = models.CharField(_("краткое наименование"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("государственный орган")
        verbose_name_plural = _("государственные органы")

    def __str__(self) -> str:
        return self.short_name or self.name


class PositionKind(models.TextChoices):
    HEAD = "head", _("руководитель аппарата (оценка по КЦИ)")
    STAFF = "staff", _("служащий корпуса «Б» (метод ранжирования)")
    # The chairman and other elected officials: they supervise and evaluate, but the
    # Методика does not evaluate them (R1).
    OTHER = "other", _("не оценивается по Методике")


class Position(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="positions")
    title = models.CharField(_("должность"), max_length=300)
    kind = models.CharField(_("вид"), max_length=10, choices=PositionKind.choices)
    category = models.CharField(_("категория"), max_length=10, blank=True, help_text=_("Е-2, Е-3, …"))
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("подчиняется должности"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("должность")
        verbose_name_plural = _("должности")
        ordering = ["organisation", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="position_title_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.category})" if self.category else self.title

    def clean(self):
        if self.reports_to_id and self.reports_to_id == self.pk:
            raise ValidationError({"reports_to": _("Должность не может подчиняться самой себе.")})
        if self.reports_to_id and self.reports_to.organisation_id != self.organisation_id:
            raise ValidationError({"reports_to": _("Вышестоящая должность из другого государственного органа.")})


class Employee(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="employees")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("учётная запись"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employee",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    personnel_number = models.CharField(_("табельный номер"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("мобильный телефон"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("служащий")
        verbose_name_plural = _("служащие")
        ordering = ["last_name", "first_name", "middle_name"]
        # The staff import matches people by табельный номер: two employees with one number
        # would make it ambiguous, and two simultaneous imports would create both.
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"], condition=~models.Q(personnel_number=""),
                name="employee_unique_personnel_number",
                violation_error_message=_("Служащий с этим табельным номером уже есть в государственном органе."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()


class Appointment(models.Model):
    """An employee holding a position from `start` to `end` (inclusive; open when empty)."""

    employee = models.ForeignKey(Employee, verbose_name=_("служащий"), on_delete=models.PROTECT, related_name="appointments")
    position = models.ForeignKey(Position, verbose_name=_("должность"), on_delete=models.PROTECT, related_name="appointments")
    start = models.DateField(_("дата назначения"))
    end = models.DateField(_("дата освобождения"), null=True, blank=True)
    dismissed = models.BooleanField(
        _("уволен из государственного органа"),
        default=False,
        help_text=_("Отметьте, если должность освобождена увольнением (п. 6), а не переводом."),
    )
    order_number = models.CharField(_("номер приказа"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("назначение на должность")
        verbose_name_plural = _("назначения на должности")
        ordering = ["employee", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(dismissed=False) | Q(end__isnull=False),
                name="appointment_dismissal_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.position} ({self.start:%d.%m.%Y}–{self.end or '…'})"

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("Дата освобождения раньше даты назначения.")})
        if self.dismissed and not self.end:
            raise ValidationError({"end": _("Для увольнения (п. 6) укажите дату освобождения.")})

    def covers(self, day) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class AbsenceKind(models.TextChoices):
    """The absences of R5.2, in the order the Методика names them."""

    LABOUR_LEAVE = "labour_leave", _("трудовой отпуск")
    SOCIAL_LEAVE = "social_leave", _("социальный отпуск")
    DISABILITY = "disability", _("временная нетрудоспособность")
    BUSINESS_TRIP = "business_trip", _("командировка")
    INTERNSHIP = "internship", _("стажировка")
    RETRAINING = "retraining", _("переподготовка")
    TRAINING = "training", _("повышение квалификации")


class Absence(models.Model):
    employee = models.ForeignKey(Employee, verbose_name=_("служащий"), on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(_("вид"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("с"))
    end = models.DateField(_("по"))
    note = models.CharField(_("основание"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("отсутствие")
        verbose_name_plural = _("отсутствия")
        ordering = ["employee", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="absence_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.get_kind_display()} {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Дата окончания раньше даты начала.")})

    def overlaps(self, start, end) -> bool:
        return self.start <= end and start <= self.end


class Role(models.TextChoices):
    CHAIRMAN = "chairman", _("председатель маслихата")
    CHIEF_SPECIALIST = "chief_specialist", _("главный специалист по делопроизводству и кадровым вопросам")
    APPOINTING_OFFICIAL = "appointing_official", _("должностное лицо, имеющее право назначения")


class RoleAssignment(models.Model):
    """Who holds an organisational role of the Методика (R10, R19) in an organisation."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="role_assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.PROTECT,
                             related_name="role_assignments")
    role = models.CharField(_("роль"), max_length=30, choices=Role.choices)
    start = models.DateField(_("с"), null=True, blank=True)
    end = models.DateField(_("по"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("роль в процессе оценки")
        verbose_name_plural = _("роли в процессе оценки")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"
