"""manage.py load_bench_org [--organisations 1] [--staff 300] [--tag bench]: large organisations
for the benchmarks (see appraisal.bench_org). Meant for throwaway benchmark databases."""

import time

from django.core.management.base import BaseCommand, CommandError

from appraisal import bench_org


class Command(BaseCommand):
    help = "Создаёт государственные органы для замеров: N органов по M служащих (базы для бенчмарков)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=1)
        parser.add_argument("--staff", type=int, default=300)
        parser.add_argument("--tag", default="bench", help="Префикс имён пользователей: <tag>1-chief, <tag>1-s00001 …")

    def handle(self, *args, organisations, staff, tag, **options):
        if organisations < 1 or staff < 1:
            raise CommandError("--organisations и --staff должны быть не меньше 1.")
        started = time.perf_counter()
        built = bench_org.build(organisations=organisations, staff=staff, tag=tag)
        for one in built:
            self.stdout.write(f"{one.organisation.short_name}: {staff} служащих, "
                              f"вход: {', '.join(u.username for u in one.users.values())}")
        self.stdout.write(f"Готово за {time.perf_counter() - started:.1f} с.")
