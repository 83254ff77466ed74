from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("электронная почта")
    SMS = "sms", _("SMS")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("ожидает отправки")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("ошибка")


class OutboxMessage(models.Model):
    """A notification waiting to go out. `key` is unique, so queueing the same notice twice
    (a retry, a second beat, two workers) leaves one row, and one row is sent once."""

    key = models.CharField(_("ключ"), max_length=200, unique=True)
    channel = models.CharField(_("канал"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("адресат"), max_length=254)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.SET_NULL,
                             null=True, blank=True)
    subject = models.CharField(_("тема"), max_length=300, blank=True)
    body = models.TextField(_("текст"))
    rule_id = models.CharField(_("пункт"), max_length=10, blank=True)
    due_at = models.DateTimeField(_("отправить не ранее"), default=timezone.now)
    state = models.CharField(_("состояние"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    claimed_at = models.DateTimeField(_("взято в отправку"), null=True, blank=True)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления (исходящие)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"
