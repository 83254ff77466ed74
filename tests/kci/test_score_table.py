"""R27 / appendix 3: the admissible-score table as edition data, shipped as a marked default."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal.editions import edition_on
from kci import services
from kci.models import AdmissibleScoreRow, AdmissibleScoreTable

D = Decimal


@pytest.fixture
def table(org):
    import datetime as dt

    return services.score_table(edition_on(dt.date(2025, 6, 30), org.organisation))  # the body's own table


def test_R27_default_table_seeded_and_marked_default(table):
    assert table.is_default
    rows = [(r.percent_from, r.percent_to, r.scores) for r in table.rows.all()]
    assert rows[0] == (D("0"), D("20"), "0") and rows[-1] == (D("100"), None, "5") and len(rows) == 6


@pytest.mark.parametrize("percent,scores", [
    ("0", [0]), ("19.99", [0]), ("20", [1]), ("59.99", [2]), ("60", [3]), ("99.99", [4]), ("100", [5]),
    ("250", [5]),
])
def test_R27_every_percent_has_exactly_one_row(table, percent, scores):
    assert services.admissible_scores(table.rows.all(), D(percent)) == scores


def test_R27_negative_percent_has_no_row(table):
    with pytest.raises(ValidationError, match=r"п. 27"):
        services.admissible_scores(table.rows.all(), D("-5"))


def test_R27_chief_edits_and_confirms_table_with_history(org, table):
    rows = [{"percent_from": "0", "percent_to": "50", "scores": "0,1"},
            {"percent_from": "50", "percent_to": "100", "scores": "2,3,4"},
            {"percent_from": "100", "percent_to": "", "scores": "5"}]
    with pytest.raises(PermissionDenied):
        services.save_score_table(table=table, rows=rows, confirm=True, by=org.chairman.user)
    services.save_score_table(table=table, rows=rows, confirm=True, by=org.chief.user)
    table = AdmissibleScoreTable.objects.get(pk=table.pk)
    assert not table.is_default and table.confirmed_by == org.chief.user
    assert services.admissible_scores(table.rows.all(), D("75")) == [2, 3, 4]
    assert table.history.first().is_default is False
    # the replaced default rows stay readable in the history
    assert AdmissibleScoreRow.history.filter(history_type="-", table_id=table.pk).count() == 6


@pytest.mark.parametrize("rows", [
    [{"percent_from": "10", "percent_to": "", "scores": "5"}],  # not from 0
    [{"percent_from": "0", "percent_to": "50", "scores": "1"}, {"percent_from": "60", "percent_to": "", "scores": "5"}],
    [{"percent_from": "0", "percent_to": "50", "scores": "1"}],  # last row bounded
    [{"percent_from": "0", "percent_to": "", "scores": "6"}],
])
def test_R27_bad_table_refused_and_old_rows_kept(org, table, rows):
    with pytest.raises(ValidationError, match=r"п. 27"):
        services.save_score_table(table=table, rows=rows, confirm=False, by=org.chief.user)
    assert table.rows.count() == 6
