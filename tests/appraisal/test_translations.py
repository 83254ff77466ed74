"""The Kazakh catalogue: every translation keeps its source's placeholders, so a message
never fails (KeyError) or loses a value in the Kazakh interface."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from appraisal.languages import localized, rule_citation

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_kazakh_translations_keep_every_placeholder():
    with (Path(settings.BASE_DIR) / "locale/kk/LC_MESSAGES/django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = {k: v for k, v in catalogue._catalog.items() if k and isinstance(k, str)}
    assert len(entries) > 900  # the whole interface, not a stub
    broken = [k for k, v in entries.items() if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))]
    assert broken == []


# --- issue 11.8: what the catalogue cannot translate -------------------------------------

def test_rule_citations_read_as_each_language_writes_them():
    with translation.override("ru"):
        assert [rule_citation("22.1"), rule_citation("67, 68"), rule_citation("62–64")] == [
            "п. 22.1", "пп. 67, 68", "пп. 62–64"]
    with translation.override("kk"):
        assert [rule_citation("22.1"), rule_citation("67, 68"), rule_citation("62–64")] == [
            "22.1-т.", "67, 68-тт.", "62–64-тт."]
        page = Template('{% load bilingual %}<span class="rule">{% rule "22.1" %}</span> {% date_blank %}').render(
            Context())
        assert page == '<span class="rule">22.1-т.</span> 20__ ж. «___» __________'


@pytest.mark.django_db
def test_edition_data_is_printed_in_the_interface_language_with_the_russian_as_fallback():
    from ranking.models import RankingParameter
    from survey360.models import Competency, Statement

    competency = Competency.objects.get(name="Саморазвитие", questionnaire__audience="staff")
    statement = Statement.objects.filter(competency=competency).first()
    parameter = RankingParameter.objects.filter(code="discipline").first()
    with translation.override("kk"):
        assert localized(competency, "name") == "Өзін-өзі дамыту"
        assert localized(statement, "text").startswith("Өзінің кәсіби біліктілігін")
        assert localized(parameter, "title") == "Еңбек тәртібі"
        competency.name_kk = ""  # an edited row without its Kazakh text shows the Russian one
        assert localized(competency, "name") == "Саморазвитие"
        assert Template('{% load bilingual %}{{ c|localized:"name" }}').render(Context({"c": None})) == ""
    with translation.override("ru"):
        assert localized(parameter, "title") == "Трудовая дисциплина"


@pytest.mark.django_db
def test_staff_import_accepts_the_kazakh_column_names(org):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from appraisal.services.staff_import import COLUMNS_KK, column_title, parse_staff_file
    from tests.factories import PositionFactory

    PositionFactory(organisation=org.organisation, title="Бас маман", reports_to=org.head_position)
    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS_KK.values()))
    workbook.active.append(["Нұрланов", "Данияр", "Ержанұлы", "1001", "d.n@example.kz", "+77011234567",
                            "Бас маман", "01.02.2024", "", "жоқ", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = parse_staff_file(organisation=org.organisation,
                               uploaded_file=SimpleUploadedFile("штат.xlsx", buffer.getvalue()))
    assert preview.file_errors == [] and preview.is_valid, preview.all_errors()
    assert preview.rows[0].values["last_name"] == "Нұрланов"
    with translation.override("kk"):
        assert column_title("start") == "Тағайындалған күні"
    with translation.override("ru"):
        assert column_title("start") == "Дата назначения"
