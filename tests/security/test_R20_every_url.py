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


@pytest.mark.django_db
def test_R20_every_object_page_is_404_for_an_outsider_on_get_and_post():
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", stdout=StringIO())
        outsider = EmployeeFactory(organisation=demo.demo_organisation(), user=UserFactory(username="outsider"))
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
