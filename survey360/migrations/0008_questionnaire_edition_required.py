"""Many bodies (issue 12.6): every questionnaire now has its edition (0007); one per edition
and audience. A migration of its own: PostgreSQL does not alter a table whose rows were just
updated in the same transaction (pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("survey360", "0007_questionnaire_edition")]

    operations = [
        migrations.AlterField(
            model_name="questionnaire",
            name="edition",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="questionnaires",
                                    to="appraisal.methodologyedition", verbose_name="редакция методики"),
        ),
        migrations.AddConstraint(
            model_name="questionnaire",
            constraint=models.UniqueConstraint(fields=("edition", "audience"), name="questionnaire_unique_per_edition"),
        ),
    ]
