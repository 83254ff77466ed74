"""Form 4 data for every methodology edition: the four R32 parameters with equal weights.

Equal weights are the default of forms.md (the Типовая методика's appendix 4 is not at hand):
they stay marked unconfirmed until the chief specialist confirms them.
"""

from django.db import migrations

DEFAULTS = [
    ("quality", "Качество выполнения функциональных обязанностей"),
    ("deadlines", "Соблюдение сроков исполнения"),
    ("initiative", "Самостоятельность и инициативность"),
    ("discipline", "Трудовая дисциплина"),
]


def seed(apps, schema_editor):
    Edition = apps.get_model("appraisal", "MethodologyEdition")
    Parameter = apps.get_model("ranking", "RankingParameter")
    for edition in Edition.objects.all():
        for order, (code, title) in enumerate(DEFAULTS, start=1):
            Parameter.objects.get_or_create(edition=edition, code=code,
                                            defaults={"title": title, "weight": 1, "order": order})


class Migration(migrations.Migration):
    dependencies = [("ranking", "0001_initial"), ("appraisal", "0002_seed_edition_and_periods")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
