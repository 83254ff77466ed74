"""manage.py create_organisation NAME [--short-name …] [--name-kk …]: a new body of the
installation, started from copies of the template methodology editions (with their rule
validities, ranking parameters, KCI table and 360 questionnaires)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appraisal.models import Organisation
from appraisal.services.editions import start_organisation


class Command(BaseCommand):
    help = "Создаёт государственный орган с копиями шаблонных редакций методики."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Полное наименование государственного органа.")
        parser.add_argument("--short-name", default="", help="Краткое наименование.")
        parser.add_argument("--name-kk", default="", help="Наименование на казахском языке.")

    def handle(self, *args, name, short_name, name_kk, **options):
        name = name.strip()
        if not name:
            raise CommandError("Укажите наименование государственного органа.")
        if Organisation.objects.filter(name=name).exists():
            raise CommandError(f"Государственный орган «{name}» уже есть.")
        with transaction.atomic():
            organisation = Organisation.objects.create(name=name, short_name=short_name.strip(),
                                                       name_kk=name_kk.strip())
            editions = start_organisation(organisation)
        self.stdout.write(self.style.SUCCESS(
            f"Создан государственный орган «{organisation}» (id {organisation.pk}); "
            f"редакций методики скопировано: {len(editions)}."))
