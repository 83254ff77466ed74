from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from appraisal.models import Channel, OutboxMessage, OutboxState
from appraisal.notifications.outbox import enqueue


@pytest.mark.django_db
def test_tick_command_sends_the_outbox_once():
    enqueue(key="R30:cron", channel=Channel.EMAIL, recipient="a@example.kz", subject="Оценка", body="текст")
    out = StringIO()
    call_command("tick", stdout=out)
    call_command("tick", stdout=StringIO())
    assert "Отправлено уведомлений: 1" in out.getvalue()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().state == OutboxState.SENT
