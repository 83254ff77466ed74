"""R16: disputes about the evaluation procedure, considered by the chief specialist.

A simple register: who raised the dispute (an employee of the organisation, or free text
for someone without a record, e.g. a former employee), when, about what, and how and when
it was resolved. The register is an organisational document, not an evaluative one: it
keeps no score. Every change is kept in its history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisal.models.organisation import Employee, Organisation

SUBJECT_MAX = 2000
RESOLUTION_MAX = 2000
RAISED_BY_TEXT_MAX = 300


class DisputeState(models.TextChoices):
    OPEN = "open", _("на рассмотрении")
    RESOLVED = "resolved", _("рассмотрен")


class Dispute(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="disputes")
    raised_by = models.ForeignKey(Employee, verbose_name=_("заявитель (служащий)"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="disputes_raised")
    raised_by_text = models.CharField(_("заявитель (иное лицо)"), max_length=RAISED_BY_TEXT_MAX, blank=True)
    raised_on = models.DateField(_("дата обращения"))
    subject = models.TextField(_("предмет спора"), max_length=SUBJECT_MAX)
    state = models.CharField(_("состояние"), max_length=10, choices=DisputeState.choices, default=DisputeState.OPEN)
    resolution = models.TextField(_("решение"), max_length=RESOLUTION_MAX, blank=True)
    resolved_on = models.DateField(_("дата решения"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.PROTECT,
                                    related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("рассмотрел"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("спор по процедуре оценки")
        verbose_name_plural = _("споры по процедуре оценки")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Спор № %(n)s от %(d)s") % {"n": self.pk, "d": f"{self.raised_on:%d.%m.%Y}"})

    @property
    def raised_by_name(self) -> str:
        return self.raised_by.full_name if self.raised_by_id else self.raised_by_text

    @property
    def is_open(self) -> bool:
        return self.state == DisputeState.OPEN
