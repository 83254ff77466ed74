"""The delivery channels, one interface: deliver(message) raises on failure. Each delivery
carries the outbox row's unique key as its idempotency key (outbox.py explains why)."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMessage

from appraisal import hooks
from appraisal.models import Channel, OutboxMessage
from appraisal.notifications.sms import send_sms


def message_id(key: str) -> str:
    """The e-mail Message-ID made from the outbox row's unique key: a message sent again
    after a crash carries the same one, so the relay and the mail clients can drop the repeat."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<outbox.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def _deliver_email(message: OutboxMessage) -> None:
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient],
                         headers={"Message-ID": message_id(message.key), "X-Bagalau-Key": message.key})
    for filename, content, mimetype in hooks.email_attachments(message):  # e.g. a session's .ics
        email.attach(filename, content, mimetype)
    email.send(fail_silently=False)


def _deliver_sms(message: OutboxMessage) -> None:
    send_sms(message.recipient, message.body, key=message.key)


DELIVER = {Channel.EMAIL: _deliver_email, Channel.SMS: _deliver_sms}


def deliver(message: OutboxMessage) -> None:
    DELIVER[message.channel](message)
