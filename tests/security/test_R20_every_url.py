"""R20, R15: every page of the application that names an object (a schedule, a plan, a sheet,
a person's 360 report…) is a 404 for someone who has nothing to do with it — on GET and on
POST alike — and nothing changes in the database. The URL list is read from the URL
configuration, so a page added later is covered without editing this test."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appraisal import demo
from tests.factories import EmployeeFactory, UserFactory

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))

# Which model an id in the URL refers to, by parameter name (and namespace where it differs).
PARAMETER_MODELS = {
    "period_id": "appraisal.Period", "schedule_id": "appraisal.Schedule", "entry_id": "appraisal.ScheduleEntry",
    "plan_id": "kci.IndividualPlan", "kci_id": "kci.Kci", "line_id": "kci.KciScoreLine",
    "kci:sheet_id": "kci.KciScoreSheet", "ranking:sheet_id": "ranking.RankingSheet",
    "subject_id": "survey360.Subject", "campaign_id": "survey360.Campaign", "respondent_id": "survey360.Respondent",
    "dispute_id": "appraisal.Dispute",
    "result_id": "appraisal.PeriodResult",
    "legacy_plan_id": "legacy_commission.LegacyPlan", "legacy_kci_id": "legacy_commission.LegacyKci",
    "legacy_sheet_id": "legacy_commission.LegacySheet", "legacy_line_id": "legacy_commission.LegacySheetLine",
    "legacy_file_id": "legacy_commission.LegacyEvidence",
    "case_id": "calibration.CalibrationCase",
    "commission_id": "legacy_commission.Commission", "meeting_id": "legacy_commission.CommissionMeeting",
    "appeal_id": "legacy_commission.Appeal",
    "job_id": "appraisal.BackgroundJob",
}
TRANSITIONS = {"transition": "approve", "name": "approve"}
# Pages that name a period but list only what the user may see (empty for an outsider).
LIST_BY_PERIOD = {"ranking:evaluate", "ranking:quarter_pdf"}


def _routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if "admin" in str(pattern.pattern):
                continue  # the admin has its own permission system (tests/appraisal/test_admin.py)
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), dict(pattern.pattern.converters)


def _object_urls():
    for name, route, converters in _routes(get_resolver().url_patterns):
        namespace = name.split(":")[0] if ":" in name else ""
        values = {}
        for param in converters:
            if param in TRANSITIONS:
                values[param] = TRANSITIONS[param]
                continue
            model = apps.get_model(PARAMETER_MODELS.get(f"{namespace}:{param}") or PARAMETER_MODELS[param])
            obj = model.objects.order_by("pk").last()
            assert obj is not None, f"the demo has no {model.__name__} for {name}"
            values[param] = obj.pk
        yield name, reverse(name, kwargs=values)


def _snapshot():
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in {"appraisal", "kci", "ranking", "survey360", "legacy_commission",
                                           "calibration"}}


def _chief_s_background_job():
    """A finished job of the chief specialist, so that the job pages have an object (the demo
    starts none): its page, status and file are hers alone."""
    organisation = demo.demo_organisation()
    period = apps.get_model("appraisal.Period").objects.get(kind="quarter", year=2026, quarter=2)
    apps.get_model("appraisal.BackgroundJob").objects.create(
        kind="ranking.decision_report_pdf", requested_by=organisation.role_assignments.get(role="chief_specialist").user,
        organisation=organisation, params={"period_id": period.pk}, state="done", done=1, total=1)


@pytest.mark.django_db
def test_R20_every_object_page_is_404_for_an_outsider_on_get_and_post():
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", stdout=StringIO())
        outsider = EmployeeFactory(organisation=demo.demo_organisation(), user=UserFactory(username="outsider"))
        _chief_s_background_job()
        client = Client()
        client.force_login(outsider.user)
        colleagues = [p.last_name for p in demo.PEOPLE]
        before = _snapshot()
        checked = []
        for name, path in _object_urls():
            get, post = client.get(path), client.post(path, {"reason": "x", "basis": "x"})
            if name in LIST_BY_PERIOD:
                assert get.status_code in (200, 404), (name, path, get.status_code)
                page = get.content.decode(errors="ignore")
                assert not [n for n in colleagues if n in page], (name, path)
                assert post.status_code in (200, 404, 405), (name, path, post.status_code)
            else:
                assert (get.status_code, post.status_code) in {(404, 404), (404, 405), (405, 404)}, (
                    name, path, get.status_code, post.status_code)
            checked.append(name)
        assert _snapshot() == before  # nothing changed
    assert len(checked) >= 35  # the URL walk really found the pages


# --- issue 12.6: two bodies in one installation ------------------------------------------------

OTHER_BODY = "КГУ «Аппарат Другого районного маслихата»"
OTHER_PREFIX = "Иной"  # body B's surnames: «ИнойАхметова» on a page of body A would give B away


def _build_other_body():
    """Body B: the demo built once, then renamed (its organisation, its people's surnames and
    log-ins), so that the demo can be loaded again as body A. B has every kind of record the
    URL walk needs, its own editions, schedules, sheets, surveys, sessions and Commission."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat

    from appraisal.models import Employee

    call_command("load_demo", stdout=StringIO())
    _chief_s_background_job()  # the job pages' object (H5, issue 12.5)
    body = demo.demo_organisation()
    body.name = body.short_name = OTHER_BODY
    body.save()
    Employee.objects.filter(organisation=body).update(last_name=Concat(Value(OTHER_PREFIX), "last_name"))
    get_user_model().objects.filter(username__in=demo.demo_usernames()).update(
        username=Concat(Value("b-"), "username"), last_name=Concat(Value(OTHER_PREFIX), "last_name"))
    return body


def _plain_routes(patterns, prefix="", namespace=None):
    """Named pages without a parameter (home, lists, the calendar, the methodology…)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if "admin" in str(pattern.pattern):
                continue
            yield from _plain_routes(pattern.url_patterns, prefix + str(pattern.pattern),
                                     pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _other_body_urls(body):
    """Every object page, each naming body B's latest record of its kind; (name, path, scoped):
    `scoped` is False where the parameter is not a body's record (a period)."""
    from appraisal.admin_scoping import organisation_path

    for name, _route, converters in _routes(get_resolver().url_patterns):
        namespace = name.split(":")[0] if ":" in name else ""
        values, scoped = {}, False
        for param in converters:
            if param in TRANSITIONS:
                values[param] = TRANSITIONS[param]
                continue
            model = apps.get_model(PARAMETER_MODELS.get(f"{namespace}:{param}") or PARAMETER_MODELS[param])
            path = organisation_path(model)
            rows = model.objects.filter(**{path: body}) if path else model.objects.all()
            obj = rows.order_by("pk").last()
            assert obj is not None, f"body B has no {model.__name__} for {name}"
            values[param] = obj.pk
            scoped = scoped or path is not None
        yield name, reverse(name, kwargs=values), scoped


@pytest.mark.django_db
def test_R20_a_chief_specialist_sees_nothing_of_another_body_on_any_page():
    """Two bodies in one installation: body A's chief specialist gets a 404 for every object
    page of body B, on GET and POST alike, nothing changes, and no page she can open (lists,
    home, calendar, methodology, exports) names body B or any of its people."""
    from appraisal.models import Employee

    with time_machine.travel(NOW, tick=False):
        other = _build_other_body()
        call_command("load_demo", stdout=StringIO())
        body_a = demo.demo_organisation()
        assert body_a is not None and body_a.pk != other.pk
        client = Client()
        client.force_login(Employee.objects.get(organisation=body_a, user__username="chief").user)
        secrets = [OTHER_BODY, *Employee.objects.filter(organisation=other).values_list("last_name", flat=True)]
        before = _snapshot()
        checked = []
        for name, path, scoped in _other_body_urls(other):
            get = client.get(path)
            if scoped and name not in LIST_BY_PERIOD:
                post = client.post(path, {"reason": "x", "basis": "x"})
                assert (get.status_code, post.status_code) in {(404, 404), (404, 405), (405, 404)}, (
                    name, path, get.status_code, post.status_code)
            else:  # a period's page: hers, with her body's rows only (a POST there would act on her body)
                assert get.status_code in (200, 302, 404, 405), (name, path, get.status_code)
                page = get.content.decode(errors="ignore")
                assert not [s for s in secrets if s in page], (name, path)
            checked.append(name)
        assert _snapshot() == before  # nothing of B (or A) changed
        for name in _plain_routes(get_resolver().url_patterns):
            if name in ("logout", "set_language", "javascript-catalog"):
                continue
            response = client.get(reverse(name))
            page = response.content.decode(errors="ignore")
            assert not [s for s in secrets if s in page], (name, response.status_code)
            checked.append(name)
    assert len(checked) >= 45  # the URL walk really found the pages
