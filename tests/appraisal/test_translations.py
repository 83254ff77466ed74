"""The Kazakh catalogue: every translation keeps its source's placeholders, so a message
never fails (KeyError) or loses a value in the Kazakh interface."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_kazakh_translations_keep_every_placeholder():
    with (Path(settings.BASE_DIR) / "locale/kk/LC_MESSAGES/django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = {k: v for k, v in catalogue._catalog.items() if k and isinstance(k, str)}
    assert len(entries) > 900  # the whole interface, not a stub
    broken = [k for k, v in entries.items() if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))]
    assert broken == []
