"""The delivery channels, one interface: deliver(message) raises on failure."""

from django.conf import settings
from django.core.mail import EmailMessage

from appraisal import hooks
from appraisal.models import Channel, OutboxMessage
from appraisal.notifications.sms import send_sms


def _deliver_email(message: OutboxMessage) -> None:
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    for filename, content, mimetype in hooks.email_attachments(message):  # e.g. a session's .ics
        email.attach(filename, content, mimetype)
    email.send(fail_silently=False)


def _deliver_sms(message: OutboxMessage) -> None:
    send_sms(message.recipient, message.body)


DELIVER = {Channel.EMAIL: _deliver_email, Channel.SMS: _deliver_sms}


def deliver(message: OutboxMessage) -> None:
    DELIVER[message.channel](message)
