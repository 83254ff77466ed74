"""The delivery channels, one interface: deliver(message) raises on failure."""

from django.conf import settings
from django.core.mail import send_mail

from appraisal.models import Channel, OutboxMessage
from appraisal.notifications.sms import send_sms


def _deliver_email(message: OutboxMessage) -> None:
    send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient], fail_silently=False)


def _deliver_sms(message: OutboxMessage) -> None:
    send_sms(message.recipient, message.body)


DELIVER = {Channel.EMAIL: _deliver_email, Channel.SMS: _deliver_sms}


def deliver(message: OutboxMessage) -> None:
    DELIVER[message.channel](message)
