"""Issue 11.4: the admin's Russian put a model's name, a nominative, where Russian needs
another case («Выберите редакция методики», «Добавить таблица …», «Выберите анкета 360»).
The project catalogue (locale/ru) words these titles and buttons so that the name stands
after a colon and needs no case. Crawl every registered model's list and add page."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
OBJECT_TOOLS = re.compile(r'<ul class="object-tools">(.*?)</ul>', re.S)
ADD_BUTTON = re.compile(r'class="addlink"[^>]*>\s*(.*?)\s*</a>', re.S)
# The words of Django's Russian that govern a case: the name must not follow them directly.
GOVERNING = ("Выберите", "Добавить", "Изменить", "Просмотреть", "Удалить выбранные", "ещё один", "еще один")
INLINE_FORMSET = re.compile(r'data-inline-formset="([^"]*)"')


def in_case_slot(text: str, name: str) -> bool:
    """Whether the model's name (a nominative) stands right after a word governing a case."""
    text, name = text.lower(), name.lower()
    return any(f"{word.lower()} {name}" in text for word in GOVERNING)


def _reverse(model, view):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
    except NoReverseMatch:
        return None


@pytest.fixture
def root(client, org):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345"))
    return client


def _title(page) -> str:
    return TITLE.search(page.content.decode())[1].split("|")[0].strip()


def test_every_admin_list_and_add_page_needs_no_case(root):
    translation.activate("ru")
    seen = 0
    for model, model_admin in admin.site._registry.items():
        name = str(model._meta.verbose_name)
        page = root.get(_reverse(model, "changelist"))
        assert page.status_code == 200, model
        title = _title(page)
        assert not in_case_slot(title, name), title
        assert title in (f"Выберите запись для изменения: {name}", f"Выберите запись для просмотра: {name}"), title
        tools = "".join(OBJECT_TOOLS.findall(page.content.decode()))  # not the sidebar's «+ Добавить»
        for button in ADD_BUTTON.findall(tools):
            assert button.strip() == f"Добавить запись: {name}", button
        add = root.get(_reverse(model, "add"))
        if add.status_code == 200:
            assert _title(add) == f"Новая запись: {name}", _title(add)
            assert not in_case_slot(H1.search(add.content.decode())[1], name)
            seen += 1
    assert seen >= 5  # the crawl did reach the add pages


def test_the_examples_of_the_issue_read_correctly(root):
    from appraisal.models import MethodologyEdition
    from kci.models import AdmissibleScoreTable
    from survey360.models import Questionnaire

    assert "Выберите редакция" not in root.get(_reverse(MethodologyEdition, "changelist")).content.decode()
    assert "Добавить таблица" not in root.get(_reverse(AdmissibleScoreTable, "changelist")).content.decode()
    assert "Выберите анкета" not in root.get(_reverse(Questionnaire, "changelist")).content.decode()
    edition = MethodologyEdition.objects.first()
    change = root.get(reverse("admin:appraisal_methodologyedition_change", args=[edition.pk])).content.decode()
    assert "Изменение записи: редакция методики" in change and "Изменить редакция" not in change
    assert not in_case_slot(change, str(MethodologyEdition._meta.verbose_name))
    # the inline's «add another» button: its text travels in the formset's data attribute
    from appraisal.models import RuleValidity

    formsets = [json.loads(html.unescape(data)) for data in INLINE_FORMSET.findall(change)]
    assert [f["options"]["addText"].lower() for f in formsets] == [f"добавить ещё: {RuleValidity._meta.verbose_name}"]
