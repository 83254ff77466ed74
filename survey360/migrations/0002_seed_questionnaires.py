from django.db import migrations


def forwards(apps, schema_editor):
    from survey360.data.questionnaires import seed

    seed(apps.get_model("survey360", "Questionnaire"), apps.get_model("survey360", "Competency"),
         apps.get_model("survey360", "Statement"))


class Migration(migrations.Migration):
    dependencies = [("survey360", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
