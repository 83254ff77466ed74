"""R20, R14: the Django admin shows and edits no evaluative content.

A result, a score, a plan's content, an answer or a vote reaches a person only through a page
that asks the R20 selector; a system administrator is not among those R20 names, and R14 keeps
the documents three years. The walk reads `admin.site._registry` when it runs, so a model
registered later (calibration, legacy_commission…) is walked too: as the superuser, the
approval group's member, the chief specialist (given every admin permission, the worst case)
and a plain staff member, it opens the changelist, the change page, the history list, every
history version page and the add page of every model and searches the HTML for the values
seeded into the evaluative records; then it POSTs to the change, version, add and delete
pages of every evaluative model and checks that no row changed.
"""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from appraisal import demo
from appraisal.admin_readonly import EvaluativeAdmin
from appraisal.scoring import Gradation

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
APPS = {"appraisal", "kci", "ranking", "survey360", "calibration", "legacy_commission"}

# Reference data of an edition (tables of the methodology), not anyone's evaluation.
REFERENCE_MODELS = {"appraisal.MethodologyEdition", "appraisal.RuleValidity", "kci.AdmissibleScoreTable",
                    "kci.AdmissibleScoreRow", "ranking.RankingParameter", "survey360.Questionnaire",
                    "survey360.Competency", "survey360.Statement"}
# A field with such a name carries a score, a value, an answer, a vote or what was said about a
# person; a model registered in the admin with one must use EvaluativeAdmin and hide it.
EVALUATIVE_NAME = re.compile(
    r"score|gradation|vote|answer|comment|^(quality|deadlines|initiative|discipline)$|strengths|to_develop"
    r"|training_topics|percent|^actual$|^kcis$|^texts$|^value$|^total$|verdict|opinion|conclusion|argument")

SCORE, ORIGINAL = Decimal("4.37"), Decimal("2.93")
TEXT = "ЦЕННОСТЬ-МАРКЕР-7319"
KCI_TITLE = "КЦИ-МАРКЕР-ЗАГОЛОВОК-5521"
VALUES = ["4.37", "4,37", "2.93", "2,93", TEXT, KCI_TITLE]
GRADATIONS = [str(Gradation.EFFECTIVE.label), str(Gradation.SATISFACTORY.label)]


def _markers(model) -> list[str]:
    # The methodology's own text (an edition's reference data) names the gradations.
    return VALUES if model._meta.label in REFERENCE_MODELS else VALUES + GRADATIONS


def _evaluative_fields(model) -> list[models.Field]:
    if model._meta.label in REFERENCE_MODELS:
        return []
    return [f for f in model._meta.concrete_fields if EVALUATIVE_NAME.search(f.name)]


def _seed_value(field):
    if isinstance(field, models.DecimalField) and field.decimal_places >= 2 and field.max_digits - field.decimal_places >= 1:
        return SCORE
    if isinstance(field, models.JSONField):
        return [{"title": KCI_TITLE, "comment": TEXT}]
    if isinstance(field, (models.TextField, models.CharField)) and not field.choices:
        return TEXT[: field.max_length] if field.max_length else TEXT
    return None


def _seed():
    """Distinctive values in every evaluative record, saved so that the history has them too."""
    from appraisal.models import PeriodResult
    from kci.models import Kci

    seeded = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        fields = [(f, _seed_value(f)) for f in _evaluative_fields(model)]
        fields = [(f, v) for f, v in fields if v is not None]
        if not fields:
            continue
        for obj in model._default_manager.all()[:5]:
            for field, value in fields:
                setattr(obj, field.attname, value)
            obj.save()
            seeded[model._meta.label] = seeded.get(model._meta.label, 0) + 1
    result = PeriodResult.objects.exclude(score=None).first()
    result.score, result.original_score = SCORE, ORIGINAL
    result.original_gradation, result.adjustment_basis = Gradation.SATISFACTORY, TEXT
    result.save()  # gradation follows the score: «эффективно»
    assert result.gradation == Gradation.EFFECTIVE
    for kci in Kci.objects.all():
        kci.title = KCI_TITLE
        kci.save()
    return seeded


def _users():
    User = get_user_model()
    root = User.objects.create_superuser("root-admin", "root@example.kz", "x")
    approver = Group.objects.get(name=demo.APPROVERS_GROUP).user_set.get(username="chairman")
    chief = User.objects.get(username="chief")
    chief.is_staff = True  # the worst case: an administrator gave her every permission
    chief.save()
    chief.user_permissions.set(Permission.objects.all())
    staff = User.objects.get(username="staff2")
    staff.is_staff = True
    staff.save()
    return {"superuser": root, "approver": approver, "chief": chief, "staff": staff}


def _url(model, name, *args):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)
    except NoReverseMatch:
        return None


def _pages(model):
    """Every admin page of a model that shows rows: list, add, and per object change, history and versions."""
    yield _url(model, "changelist")
    yield _url(model, "add")
    for obj in model._default_manager.order_by("-pk")[:3]:
        yield _url(model, "change", obj.pk)
        yield _url(model, "history", obj.pk)
        history = getattr(model, "history", None)
        if history is not None and _url(model, "simple_history", obj.pk, 0):
            for version in history.model.objects.filter(id=obj.pk).order_by("-history_id")[:4]:
                yield _url(model, "simple_history", obj.pk, version.history_id)


def _snapshot(models_):
    return {m._meta.label: sorted(json.dumps(row, sort_keys=True, default=str) for row in m._default_manager.values())
            for m in models_}


@pytest.fixture
def demo_admin(db):
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", stdout=StringIO())
        seeded = _seed()
        users = _users()
        yield seeded, users


def test_R20_every_admin_model_with_evaluative_fields_is_an_evaluative_admin():
    for model, model_admin in admin.site._registry.items():
        fields = [f.name for f in _evaluative_fields(model)]
        if not fields:
            continue
        assert isinstance(model_admin, EvaluativeAdmin), f"{model._meta.label}: evaluative fields {fields} in a plain admin"
        assert set(fields) <= set(model_admin.evaluative_fields), (model._meta.label, fields)


def test_R20_no_admin_page_shows_a_score_result_plan_content_or_answer_to_anyone(demo_admin):
    seeded, users = demo_admin
    assert {"appraisal.PeriodResult", "kci.KciScoreSheet", "kci.PlanVersion", "ranking.RankingSheet"} <= set(seeded)
    leaks, opened = [], 0
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for model in list(admin.site._registry):
            for url in filter(None, _pages(model)):
                response = client.get(url)
                if role == "superuser" and "/add/" not in url:
                    assert response.status_code == 200, (url, response.status_code)
                html = response.content.decode(errors="ignore")
                opened += response.status_code == 200
                found = [marker for marker in _markers(model) if marker in html]
                if found:
                    leaks.append((role, url, found))
        # Filtering the list by a hidden value would tell it by the count of rows.
        for query in ("score=4.37", "score__gte=4.3", "gradation=effective"):
            url = _url(apps.get_model("appraisal.PeriodResult"), "changelist") + "?" + query
            assert client.get(url).status_code != 200, (role, query)
    assert opened > 50
    assert not leaks, leaks


def test_R14_R20_no_admin_post_changes_or_deletes_an_evaluative_row(demo_admin):
    _seeded, users = demo_admin
    evaluative = [m for m, a in admin.site._registry.items() if isinstance(a, EvaluativeAdmin)]
    assert {"appraisal.PeriodResult", "kci.IndividualPlan", "kci.KciScoreSheet", "ranking.RankingSheet"} <= {
        m._meta.label for m in evaluative}
    before = _snapshot(evaluative)
    for user in users.values():
        client = Client()
        client.force_login(user)
        for model in evaluative:
            form = {f.name: "5.00" if isinstance(f, models.DecimalField) else "1" for f in model._meta.concrete_fields}
            form.update({"version": "9", "approved_at_0": "01.01.2020", "approved_at_1": "10:00", "post": "yes"})
            assert client.post(_url(model, "add"), form).status_code in (302, 403)
            for obj in model._default_manager.all()[:3]:
                for name in ("change", "delete"):
                    response = client.post(_url(model, name, obj.pk), form)
                    assert response.status_code in (302, 403), (model, name, response.status_code)
                history = getattr(model, "history", None)
                if history is not None:
                    for version in history.model.objects.filter(id=obj.pk)[:2]:
                        client.post(_url(model, "simple_history", obj.pk, version.history_id), form)
            client.post(_url(model, "changelist"), {"action": "delete_selected", "post": "yes",
                                                    "_selected_action": [o.pk for o in model._default_manager.all()]})
    assert _snapshot(evaluative) == before


@pytest.mark.django_db
def test_R20_approval_buttons_stay_and_go_through_the_service(org):
    """The plan's change page is read-only, but its approval button leads to the confirmation
    page, which runs the service; the chairman sees the plan's header, not its KCIs."""
    from kci import services as kci_services
    from kci.models import IndividualPlan, PlanState
    from tests.factories import quarter
    from tests.kci.conftest import approved_schedule, head_entry, plan_with_kcis

    plan = plan_with_kcis(org, head_entry(approved_schedule(org, quarter(2025, 2)), org))
    kci_services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    chairman = org.chairman.user
    chairman.is_staff = True
    chairman.save()
    chairman.user_permissions.set(Permission.objects.filter(codename__in=["view_individualplan", "change_individualplan"]))
    client = Client()
    client.force_login(chairman)
    html = client.get(_url(IndividualPlan, "change", plan.pk)).content.decode()
    assert 'name="_fsm_transition_to"' not in html  # no form submit: the change form is read-only
    assert "КЦИ 1" not in html  # the plan's content stays on the plan page
    approve = reverse("admin:kci_individualplan_transition", kwargs={"object_id": plan.pk, "transition_name": "approve"})
    assert f'href="{approve}"' in html
    assert client.get(approve).status_code == 200
    client.post(approve, {})
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED


@pytest.mark.django_db
def test_R20_a_field_the_admin_hides_cannot_be_searched_through_the_query_string(org):
    """The outbox list hides a notice's text (it may quote a return reason, R51/R20), but the
    admin accepts any lookup on a model's own field: `?body__icontains=…` counted the rows whose
    text holds a guess, letter by letter. Every field an admin excludes is refused as a lookup."""
    from appraisal.models import OutboxMessage

    OutboxMessage.objects.create(key="R52:1", channel="email", recipient="head@example.kz",
                                 body="Основание (п. 51): " + TEXT)
    root = get_user_model().objects.create_superuser("root-admin", "root@example.kz", "x")
    client = Client(raise_request_exception=False)  # a refused lookup is a 400 page, as in the browser
    client.force_login(root)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        request = client.get(_url(model, "changelist")).wsgi_request
        for name in model_admin.get_exclude(request) or ():
            response = client.get(_url(model, "changelist") + f"?{name}__icontains=" + TEXT[:8])
            assert response.status_code != 200 or "?e=1" in response.get("Location", ""), (model, name)
            checked += 1
    assert checked >= 1
