"""The methodology edition as data (D1–D3).

Everything that a later edition may change by dates or numbers lives here, not in code:
deadline days, working-day counts, the legacy window, which rules expire when. A new
edition is a new row (plus its rule validities), not a code change.
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisal.languages import localized


class MethodologyEditionQuerySet(models.QuerySet):
    def templates(self) -> "MethodologyEditionQuerySet":
        """The installation's template editions: a new body starts from copies of them."""
        return self.filter(organisation__isnull=True)

    def in_force_on(self, day: dt.date, organisation) -> "MethodologyEdition":
        """The edition that governs `day` in `organisation` (appraisal.editions.edition_on,
        the one lookup of the edition in force)."""
        from appraisal.editions import edition_on

        return edition_on(day, organisation)


class MethodologyEdition(models.Model):
    # Each body of an installation has its own methodology decision (its own dates, tables
    # and questionnaires). An edition without a body is a template of the installation: a new
    # body starts from copies of the templates (appraisal.services.editions.start_organisation),
    # and a body with no edition of its own yet is governed by the templates.
    organisation = models.ForeignKey(
        "appraisal.Organisation", verbose_name=_("государственный орган"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="editions",
        help_text=_("Пусто — шаблон установки: новый государственный орган начинает с его копии."),
    )
    code = models.SlugField(_("код"))
    title = models.CharField(_("наименование"), max_length=500)
    # Printed on pages and forms in the interface language (appraisal.languages.localized).
    title_kk = models.CharField(_("наименование на казахском языке"), max_length=500, blank=True)
    decision = models.CharField(_("решение об утверждении"), max_length=500)
    decision_kk = models.CharField(_("решение об утверждении на казахском языке"), max_length=500, blank=True)
    decision_date = models.DateField(_("дата решения"))
    decision_number = models.CharField(_("номер решения"), max_length=20)
    published_on = models.DateField(
        _("дата первого официального опубликования"),
        null=True,
        blank=True,
        help_text=_("п. 3 решения: решение вводится в действие по истечении десяти календарных дней после этой даты."),
    )
    days_to_effect = models.PositiveSmallIntegerField(_("календарных дней до введения в действие"), default=10)
    source_notes = models.TextField(
        _("замечания к тексту"),
        blank=True,
        help_text=_("Расхождения в тексте источника, которые сохранены как есть (D1)."),
    )
    source_notes_kk = models.TextField(_("замечания к тексту, на казахском языке"), blank=True)
    text = models.TextField(_("текст методики"), blank=True)

    # R4: the last day of evaluation is this day of the month after the quarter / year.
    quarter_deadline_day = models.PositiveSmallIntegerField(_("п. 4: число месяца после квартала"), default=10)
    year_deadline_day = models.PositiveSmallIntegerField(_("п. 4: число месяца после года"), default=10)
    # R26 / R30: notices of the coming evaluation.
    head_notice_day = models.PositiveSmallIntegerField(_("п. 26: уведомление руководителя до"), default=5)
    staff_notice_day = models.PositiveSmallIntegerField(_("п. 30: уведомление служащих до"), default=10)
    # R22: the KCI plan and its posting, counted in working days.
    kci_plan_working_days = models.PositiveSmallIntegerField(_("п. 22: рабочих дней на КЦИ"), default=10)
    kci_posting_working_days = models.PositiveSmallIntegerField(_("п. 22: рабочих дней на размещение"), default=5)
    kci_min_months_left = models.PositiveSmallIntegerField(_("п. 22: минимум месяцев до конца периода"), default=3)
    preliminary_working_days_before = models.PositiveSmallIntegerField(
        _("п. 22: предварительный расчёт за рабочих дней до срока"), default=5
    )
    min_tenure_months = models.PositiveSmallIntegerField(_("п. 5: минимальный срок в должности, мес."), default=1)
    acquaintance_working_days = models.PositiveSmallIntegerField(_("п. 11: рабочих дней на ознакомление"), default=2)
    calibration_application_working_days = models.PositiveSmallIntegerField(
        _("п. 12: рабочих дней на заявление о калибровке"), default=5
    )
    retention_years = models.PositiveSmallIntegerField(_("п. 14: лет хранения документов"), default=3)
    # R5.3: the work period evaluated by chapter 6 while that part is in force.
    legacy_window_start = models.DateField(_("п. 5.3: период работы с"), null=True, blank=True)
    legacy_window_end = models.DateField(_("п. 5.3: период работы по"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MethodologyEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("редакция методики")
        verbose_name_plural = _("редакции методики")
        ordering = ["-decision_date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="edition_code_unique_per_organisation"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(organisation__isnull=True),
                                    name="template_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return _("%(title)s (%(number)s от %(day)s)") % {
            "title": localized(self, "title"), "number": self.decision_number, "day": f"{self.decision_date:%d.%m.%Y}"}

    @property
    def effective_from(self) -> dt.date:
        """D3: ten calendar days after the first official publication.

        Until the publication date is entered, the decision date stands in (and the edition
        page says so), so that the application still works on a fresh install.
        """
        if self.published_on:
            return self.published_on + dt.timedelta(days=self.days_to_effect)
        return self.decision_date

    def rule_in_force(self, rule_id: str, day: dt.date) -> bool:
        """D2: False once `day` is past the rule's last day of force; True when no limit is set."""
        for validity in self.rule_validities.all():
            if validity.rule_id == rule_id:
                return validity.valid_until is None or day <= validity.valid_until
        return True

    def rule_valid_until(self, rule_id: str) -> dt.date | None:
        for validity in self.rule_validities.all():
            if validity.rule_id == rule_id:
                return validity.valid_until
        return None


class RuleValidity(models.Model):
    """D2: a rule (or a chapter of rules) with a last day of force."""

    edition = models.ForeignKey(MethodologyEdition, verbose_name=_("редакция"), on_delete=models.CASCADE,
                                related_name="rule_validities")
    rule_id = models.CharField(_("правило"), max_length=20, help_text=_("R5.3, R2.12, CH6 …"))
    description = models.CharField(_("что это"), max_length=300)
    description_kk = models.CharField(_("что это, на казахском языке"), max_length=300, blank=True)
    valid_until = models.DateField(_("действует до (включительно)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("срок действия правила")
        verbose_name_plural = _("сроки действия правил")
        ordering = ["edition", "rule_id"]
        constraints = [models.UniqueConstraint(fields=["edition", "rule_id"], name="rule_validity_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.valid_until or '—'}"
