"""Seed the 2023 edition of the Akzhar methodology (D1–D3) and the periods 2023–2027."""

import datetime as dt
from pathlib import Path

from django.db import migrations

TEXT = Path(__file__).resolve().parent.parent / "methodology" / "akzhar-2023-5-2.ru.md"
UNTIL = dt.date(2023, 8, 31)


def seed(apps, schema_editor):
    Edition = apps.get_model("appraisal", "MethodologyEdition")
    RuleValidity = apps.get_model("appraisal", "RuleValidity")
    Period = apps.get_model("appraisal", "Period")
    edition, _ = Edition.objects.get_or_create(
        code="akzhar-2023-5-2",
        defaults={
            "title": "Методика оценки деятельности административных государственных служащих корпуса «Б» "
                     "КГУ «Аппарат Акжарского районного маслихата Северо-Казахстанской области»",
            "decision": "Решение Акжарского районного маслихата Северо-Казахстанской области "
                        "от 5 июля 2023 года № 5-2",
            "decision_date": dt.date(2023, 7, 5),
            "decision_number": "№ 5-2",
            "source_notes": (
                "D1: в заголовке решения изменяемое решение указано как «№ 1-6», а в тексте и в приложении — "
                "«№ 8-6». Текст источника сохранён без исправлений."
            ),
            "text": TEXT.read_text(encoding="utf-8") if TEXT.exists() else "",
            "legacy_window_start": dt.date(2021, 7, 1),
            "legacy_window_end": dt.date(2022, 12, 31),
        },
    )
    for rule_id, description in (
        ("R2.12", "подпункт 12) пункта 2: определение индивидуального плана работы"),
        ("R5.3", "абзац второй пункта 5: оценка по главе 6 за период работы 01.07.2021–31.12.2022"),
        ("CH6", "глава 6: порядок оценки с Комиссией (п. 43–68)"),
    ):
        RuleValidity.objects.get_or_create(
            edition=edition, rule_id=rule_id, defaults={"description": description, "valid_until": UNTIL}
        )
    for year in range(2023, 2028):
        Period.objects.get_or_create(kind="year", year=year, quarter=None,
                                     defaults={"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)})
        for quarter in range(1, 5):
            first_month = 3 * (quarter - 1) + 1
            start = dt.date(year, first_month, 1)
            next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, first_month + 3, 1)
            Period.objects.get_or_create(kind="quarter", year=year, quarter=quarter,
                                         defaults={"start": start, "end": next_start - dt.timedelta(days=1)})


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
