"""R4: a quarter is evaluated after it ends — sending a ranking sheet on the quarter's last
day is refused and nothing is locked; the day after it is accepted. Drafts stay free."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appraisal.models import PeriodResult
from ranking.models import RankingSheet
from ranking.services import save_ranking
from tests.factories import quarter
from tests.ranking.conftest import approve_quarter

FULL = {"quality": "4", "deadlines": "4", "initiative": "3", "discipline": "5"}


def _sheets(org, on):
    with time_machine.travel(on, tick=False):
        approve_quarter(org, quarter(2026, 4))
    return list(RankingSheet.objects.order_by("pk"))


def test_R4_ranking_sheet_is_not_sent_on_the_quarters_last_day(org):
    last_day = dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC)
    sheets = _sheets(org, last_day)
    raw = {s.pk: dict(FULL) for s in sheets}
    with time_machine.travel(last_day, tick=False):
        with pytest.raises(ValidationError, match=r"п. 4: оценка за период проводится после его окончания — "
                                                  r"не ранее 01\.01\.2027"):
            save_ranking(sheets=sheets, raw=raw, by=org.head.user, submit=True)
        assert not any(s.is_submitted for s in RankingSheet.objects.all())
        assert all(s.points()["quality"] is None for s in RankingSheet.objects.all())
        assert not PeriodResult.objects.exists()
        # a draft may still be saved before the quarter ends
        save_ranking(sheets=sheets, raw=raw, by=org.head.user)
    assert all(s.points()["quality"] == 4 and not s.is_submitted for s in RankingSheet.objects.all())


def test_R4_ranking_sheet_is_sent_the_day_after_the_quarter(org):
    sheets = _sheets(org, dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2027, 1, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        sent = save_ranking(sheets=sheets, raw={s.pk: dict(FULL) for s in sheets}, by=org.head.user, submit=True)
    assert len(sent) == len(sheets) and all(s.is_submitted for s in RankingSheet.objects.all())
