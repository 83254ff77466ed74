"""Appendix 3: ship the linear default of forms.md for every edition, marked as a default
(«значение по умолчанию — сверьте с утверждённой методикой») until the chief specialist
confirms or replaces it."""

from decimal import Decimal

from django.db import migrations

ROWS = (
    (Decimal("0"), Decimal("20"), "0"),
    (Decimal("20"), Decimal("40"), "1"),
    (Decimal("40"), Decimal("60"), "2"),
    (Decimal("60"), Decimal("80"), "3"),
    (Decimal("80"), Decimal("100"), "4"),
    (Decimal("100"), None, "5"),
)


def seed(apps, schema_editor):
    Edition = apps.get_model("appraisal", "MethodologyEdition")
    Table = apps.get_model("kci", "AdmissibleScoreTable")
    Row = apps.get_model("kci", "AdmissibleScoreRow")
    for edition in Edition.objects.all():
        table, created = Table.objects.get_or_create(edition=edition, defaults={"is_default": True})
        if created:
            for low, high, scores in ROWS:
                Row.objects.create(table=table, percent_from=low, percent_to=high, scores=scores)


class Migration(migrations.Migration):
    dependencies = [("kci", "0001_initial"), ("appraisal", "0002_seed_edition_and_periods")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
