"""manage.py load_demo [--reset]: the Akzhar district maslikhat apparatus with one person for
every eligibility case (see appraisal.demo for which quarter shows what)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appraisal import demo
from appraisal.models import Period


class Command(BaseCommand):
    help = "Загружает демонстрационные данные: аппарат Акжарского районного маслихата (пароль всех учётных записей bagalau2026)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Удалить прежние демо-данные и загрузить заново.")

    def handle(self, *args, reset=False, **options):
        with transaction.atomic():
            if demo.demo_organisation() is not None:
                if not reset:
                    self.stdout.write(self.style.WARNING(
                        f"Демо-данные уже загружены ({demo.ORG_SHORT_NAME}); ничего не изменено. "
                        "Чтобы загрузить заново: load_demo --reset"))
                    return
                demo.delete_demo()
                self.stdout.write("Прежние демо-данные удалены.")
            try:
                result = demo.build_demo()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result: demo.DemoResult) -> None:
        out = self.stdout.write
        out(self.style.SUCCESS(f"Создан государственный орган: {result.organisation.name}"))
        out(f"  должностей: {result.organisation.positions.count()}, служащих: {len(result.employees)}")
        for schedule in result.schedules:
            out(f"  {schedule}: {schedule.get_state_display()}, строк: {schedule.entries.count()}")
        out(f"  результатов оценки (п. 7): {result.results}")
        out("")
        out("Где видны случаи п. 5, 6, 22.4:")
        for (year, q), rule, text in demo.CASES:
            period = Period.objects.get(kind="quarter", year=year, quarter=q)
            out(f"  {period} — п. {rule.removeprefix('R')}: {text}")
        out("")
        out(f"Учётные записи (пароль у всех: {demo.PASSWORD}):")
        for person in demo.PEOPLE:
            employee = result.employees[person.key]
            if person.username and employee.user.is_active:
                out(f"  {person.username:<9} {employee.short_name:<22} {person.case}")
        admin_note = "создан" if result.admin_created else "уже существовал, пароль не менялся"
        out(f"  {demo.ADMIN_USERNAME:<9} суперпользователь для /admin/ ({admin_note})")
