"""R11.1, R11.2 (and R65–R66 of chapter 6): how and when a person was acquainted with a result.

One row per PeriodResult, written once: by the person's own click on the result page
(R11.1, the moment recorded), or by the chief specialist's record of a notice sent by another
channel to someone evaluated without participation (R11.2: a registered letter, a
telephonogram, …, with its reference or a scan). SMS and e-mail sent by the system's outbox
are their own proof: the row links the outbox messages of the result notice.

The row holds no score, so it may appear in admin lists; the result itself stays behind the
R20 selector. The due date is not stored: it follows from the result's completion and the
working-day calendar (appraisal.services.acknowledgement.acknowledgement_due), so a
working-day override entered later moves it as it should.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisal.models.notifications import OutboxMessage
from appraisal.models.results import PeriodResult
from appraisal.uploads import get_private_storage


class AcknowledgementChannel(models.TextChoices):
    IN_APP = "in_app", _("в системе («Ознакомлен(а)»)")
    REGISTERED_LETTER = "registered_letter", _("заказное письмо с уведомлением о вручении")
    TELEPHONOGRAM = "telephonogram", _("телефонограмма")
    TELEGRAM = "telegram", _("телеграмма")
    SMS = "sms", _("SMS-сообщение на мобильный номер")
    EMAIL = "email", _("электронная почта")
    OTHER = "other", _("иное средство связи, фиксирующее извещение")


# The channels of R11.2 (everything but the person's own click).
NOTICE_CHANNELS = tuple(c for c in AcknowledgementChannel.values if c != AcknowledgementChannel.IN_APP)


def _scan_path(instance: "Acknowledgement", filename: str) -> str:
    # The name the user gave is not kept in the path: the service names the file by its
    # detected kind, so a path never carries a person's name into logs or backups' indexes.
    return f"acknowledgements/{instance.result_id}/{filename}"


class Acknowledgement(models.Model):
    result = models.OneToOneField(PeriodResult, verbose_name=_("результат оценки"), on_delete=models.CASCADE,
                                  related_name="acknowledgement")
    channel = models.CharField(_("способ ознакомления"), max_length=20, choices=AcknowledgementChannel.choices)
    # The day the person was acquainted (R11.1: the day of the click; R11.2: the day of the
    # notice as its proof shows it), compared with the due date.
    acknowledged_on = models.DateField(_("дата ознакомления"))
    # R11.1: the moment of the click; empty for a notice by another channel.
    acknowledged_at = models.DateTimeField(_("момент ознакомления"), null=True, blank=True)
    reference = models.CharField(_("реквизиты подтверждения"), max_length=200, blank=True,
                                 help_text=_("номер почтового уведомления, телефонограммы, телеграммы и т. п."))
    scan = models.FileField(_("скан подтверждения"), storage=get_private_storage, upload_to=_scan_path,
                            max_length=255, blank=True)
    scan_kind = models.CharField(_("тип файла"), max_length=8, blank=True, editable=False)
    notices = models.ManyToManyField(OutboxMessage, verbose_name=_("уведомления системы"), blank=True,
                                     related_name="acknowledgements")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("записал"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("записано"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ознакомление с результатом")
        verbose_name_plural = _("ознакомления с результатами")

    def __str__(self) -> str:
        return str(_("Ознакомление: %(employee)s, %(day)s") % {
            "employee": self.result.entry.employee, "day": self.acknowledged_on.strftime("%d.%m.%Y")})

    @property
    def is_in_app(self) -> bool:
        return self.channel == AcknowledgementChannel.IN_APP
