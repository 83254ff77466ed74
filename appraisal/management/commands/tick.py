"""The periodic tick without Celery beat: run it from cron (e.g. every 10 minutes) on an
installation that has no Redis. Safe to run twice at once: queueing is idempotent by key and
sending claims each row."""

from django.core.management.base import BaseCommand

from appraisal.tasks import tick


class Command(BaseCommand):
    help = "Queue the notifications that deadlines make due and send the outbox (the Celery beat tick)."

    def handle(self, *args, **options):
        sent = tick()
        self.stdout.write(f"Отправлено уведомлений: {sent}")
