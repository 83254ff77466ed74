"""Evidence uploaded before 0003 lies under MEDIA_ROOT; the field now reads private storage
(PRIVATE_MEDIA_ROOT, no URL). Move each existing file there, keeping its name, so the R20
view still finds it. Files already moved or missing are left alone; nothing is deleted."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move_files(apps, schema_editor):
    KciScoreLine = apps.get_model("kci", "KciScoreLine")
    names = KciScoreLine.objects.exclude(evidence="").values_list("evidence", flat=True)
    for name in names:
        source = Path(settings.MEDIA_ROOT) / name
        target = Path(settings.PRIVATE_MEDIA_ROOT) / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [("kci", "0003_evidence_private_storage")]
    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
