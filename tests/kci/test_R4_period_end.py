"""R4: the KCI score sheet of a quarter is submitted only after the quarter ends."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisal.models import PeriodResult
from kci import services
from kci.models import SheetState
from tests.factories import quarter
from tests.kci.conftest import approved_schedule, head_entry, posted_plan, sent_sheet


def _scores(sheet):
    return {line.pk: ("5", "") for line in sheet.lines.all()}


@pytest.fixture
def q4_sheet(org):
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        schedule = approved_schedule(org, quarter(2026, 4))
        return sent_sheet(org, posted_plan(org, head_entry(schedule, org)), ["100", "100", "100"])


def test_R4_kci_sheet_is_not_submitted_on_the_quarters_last_day(org, q4_sheet):
    with time_machine.travel(dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError, match=r"п. 4: оценка за период проводится после его окончания — "
                                                  r"не ранее 01\.01\.2027"):
            services.submit_sheet(sheet=q4_sheet, by=org.chairman.user, scores=_scores(q4_sheet))
    q4_sheet.refresh_from_db()
    assert q4_sheet.state == SheetState.SENT
    assert not PeriodResult.objects.exists()
    assert list(q4_sheet.lines.values_list("score", flat=True)) == [None, None, None]


def test_R4_kci_sheet_is_submitted_the_day_after_the_quarter(org, q4_sheet):
    with time_machine.travel(dt.datetime(2027, 1, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        services.submit_sheet(sheet=q4_sheet, by=org.chairman.user, scores=_scores(q4_sheet))
    q4_sheet.refresh_from_db()
    assert q4_sheet.state == SheetState.SUBMITTED


def test_R4_kci_annual_mean_of_an_unfinished_year_is_labelled_partial(client, org, q4_sheet):
    with time_machine.travel(dt.datetime(2027, 1, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        services.submit_sheet(sheet=q4_sheet, by=org.chairman.user, scores=_scores(q4_sheet))
        client.force_login(org.head.user)
        page = client.get(reverse("kci:my")).content.decode()
    # the year is over but only one of its quarters is scored: not the year's result
    assert "Среднее за 2026 год (за 1 из 4 кварталов)" in page
    assert "Итог 2026 года" not in page
