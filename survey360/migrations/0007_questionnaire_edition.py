"""Many bodies (issue 12.6): forms 5 and 6 are edition data, so each questionnaire belongs to
a methodology edition. The existing questionnaires go to the first edition; every other
edition gets copies of them (with their competencies and statements)."""

import django.db.models.deletion
from django.db import migrations, models


def questionnaires_to_editions(apps, schema_editor):
    Edition = apps.get_model("appraisal", "MethodologyEdition")
    Questionnaire = apps.get_model("survey360", "Questionnaire")
    Competency = apps.get_model("survey360", "Competency")
    Statement = apps.get_model("survey360", "Statement")
    editions = list(Edition.objects.order_by("pk"))
    existing = list(Questionnaire.objects.filter(edition__isnull=True).order_by("pk"))
    if not editions or not existing:
        return
    Questionnaire.objects.filter(pk__in=[q.pk for q in existing]).update(edition=editions[0])
    for edition in editions[1:]:
        for questionnaire in existing:
            copy = Questionnaire.objects.create(
                edition=edition, audience=questionnaire.audience, title=questionnaire.title,
                title_kk=questionnaire.title_kk, appendix=questionnaire.appendix,
                scale_min=questionnaire.scale_min, scale_max=questionnaire.scale_max,
                least_expressed_count=questionnaire.least_expressed_count, is_default=questionnaire.is_default)
            for competency in Competency.objects.filter(questionnaire=questionnaire).order_by("order"):
                competency_copy = Competency.objects.create(
                    questionnaire=copy, order=competency.order, name=competency.name, name_kk=competency.name_kk)
                Statement.objects.bulk_create(
                    Statement(competency=competency_copy, order=s.order, text=s.text, text_kk=s.text_kk)
                    for s in Statement.objects.filter(competency=competency).order_by("order"))


class Migration(migrations.Migration):

    dependencies = [
        ("appraisal", "0011_edition_per_organisation"),
        ("survey360", "0006_kazakh_texts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="questionnaire",
            options={"ordering": ["edition", "appendix"], "verbose_name": "анкета 360",
                     "verbose_name_plural": "анкеты 360"},
        ),
        migrations.AddField(
            model_name="historicalquestionnaire",
            name="edition",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="appraisal.methodologyedition", verbose_name="редакция методики"),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="edition",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="questionnaires", to="appraisal.methodologyedition",
                                    verbose_name="редакция методики"),
        ),
        migrations.AlterField(
            model_name="historicalquestionnaire",
            name="audience",
            field=models.CharField(choices=[("head", "руководитель аппарата (приложение 5)"),
                                            ("staff", "служащие корпуса «Б» (приложение 6)")],
                                   max_length=10, verbose_name="для кого"),
        ),
        migrations.AlterField(
            model_name="questionnaire",
            name="audience",
            field=models.CharField(choices=[("head", "руководитель аппарата (приложение 5)"),
                                            ("staff", "служащие корпуса «Б» (приложение 6)")],
                                   max_length=10, verbose_name="для кого"),
        ),
        migrations.RunPython(questionnaires_to_editions, migrations.RunPython.noop),
    ]
