"""R14: the record of a disposal of evaluation documents after their three years.

The documents themselves (rows, files, history) are gone after a disposal; this record is
what remains: what kinds of document and how many, whose evaluation, when it was completed,
when and by whom it was disposed of. It names the person and the period but keeps nothing
evaluative (no score, no gradation). It has no delete in the admin and no history of its
own to dispose of later: it is the register of disposals.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appraisal.models.organisation import Organisation
from appraisal.models.schedule import ScheduleEntry


class Disposal(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.PROTECT,
                                     related_name="disposals")
    # The schedule line is kept (the schedule is an organisational document); the name and
    # period are copied too, so the record reads the same even if the line changes later.
    entry = models.ForeignKey(ScheduleEntry, verbose_name=_("строка графика"), on_delete=models.PROTECT,
                              related_name="disposals")
    person_name = models.CharField(_("служащий"), max_length=310)
    period_label = models.CharField(_("оцениваемый период"), max_length=100)
    completed_at = models.DateTimeField(_("оценка завершена"))
    disposed_at = models.DateTimeField(_("уничтожено"))
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("уничтожил"), on_delete=models.PROTECT,
                                    related_name="+")
    disposed_by_name = models.CharField(_("кем уничтожено"), max_length=310)
    # [[label, count], ...] in the order destroyed, e.g. [["Листы оценки", 1], ...]
    documents = models.JSONField(_("что уничтожено"), default=list)

    class Meta:
        verbose_name = _("акт уничтожения документов оценки")
        verbose_name_plural = _("акты уничтожения документов оценки")
        ordering = ["-disposed_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Уничтожение документов оценки: %(name)s, %(period)s")
                   % {"name": self.person_name, "period": self.period_label})
