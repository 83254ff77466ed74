"""manage.py installation_admin USERNAME: gives a user the installation-level role (the
group «Администратор установки»): she keeps the national working-day calendar (WD) for
every body of the installation, in the calendar page and the admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appraisal import roles
from appraisal.services.installation import grant_installation_admin


class Command(BaseCommand):
    help = "Назначает пользователя администратором установки (ведёт производственный календарь для всех органов)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Пользователь «{username}» не найден.")
        grant_installation_admin(user)
        user.is_staff = True  # the admin's calendar list as well as the page
        user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"«{username}»: {roles.INSTALLATION_ADMINS_GROUP}."))
