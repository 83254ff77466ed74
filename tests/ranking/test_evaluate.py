"""R29, R31, R32, R20: the evaluator's ranking page."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import PeriodResult
from appraisal.scoring import Gradation
from ranking.models import RankingSheet, SheetState
from tests.conftest import make_org
from tests.factories import AppointmentFactory, EmployeeFactory, PositionFactory, UserFactory, quarter
from tests.ranking.conftest import approve_quarter

CODES = ("quality", "deadlines", "initiative", "discipline")


def page_url(period=None):
    return reverse("ranking:evaluate", args=[(period or quarter(2026, 3)).pk])


def scores_post(sheets, values, **extra):
    data = {}
    for sheet, points in zip(sheets, values):
        for code, value in zip(CODES, points):
            data[f"s{sheet.pk}-{code}"] = value
            data[f"s{sheet.pk}-{code}_comment"] = ""
    data.update(extra)
    return data


def row_html(html: str, sheet) -> str:
    """One sheet's <tr> of the ranking page."""
    match = re.search(rf'<tr[^>]* data-sheet="{sheet.pk}".*?</tr>', html, re.S)
    assert match, f"no row for sheet {sheet.pk}"
    return match.group(0)


def draft_cells(html: str, sheet) -> int:
    """The draft score cells of a row: ranking.js clones a <select name="s<pk>-<code>"> and
    its comment <textarea> into each, in the order of the parameters' <th data-code>, from
    the one <template id="score-control"> (issue 12)."""
    return row_html(html, sheet).count('<td class="score" data-v=')


@pytest.fixture
def sheets(org, opened):
    return list(RankingSheet.objects.order_by("entry__employee__last_name"))


@pytest.fixture
def head_client(client, org):
    client.force_login(org.head.user)
    return client


def test_R29_head_sees_all_quarter_sheets_side_by_side(head_client, org, sheets):
    response = head_client.get(page_url())
    assert response.status_code == 200
    html = response.content.decode()
    for employee in [org.chief, *org.staff]:
        assert employee.full_name in html
    for sheet in sheets:
        assert draft_cells(html, sheet) == len(CODES)
    assert [f'<th data-code="{code}"' in html for code in CODES] == [True] * len(CODES)
    assert '<template id="score-control"><select data-weight=""><option value="">—</option>' in html
    assert "Сохранить черновик" in html and "Отправить" in html


def test_R29_staff_member_has_no_ranking_page(client, org, sheets):
    client.force_login(org.staff[0].user)
    assert client.get(page_url()).status_code == 404


def test_R29_draft_is_saved_and_stays_editable(head_client, sheets):
    response = head_client.post(page_url(), scores_post(sheets[:1], [("5", "4", "", "3")], save="1"))
    assert response.status_code == 302
    sheet = RankingSheet.objects.get(pk=sheets[0].pk)
    assert (sheet.quality, sheet.deadlines, sheet.initiative, sheet.discipline) == (5, 4, None, 3)
    assert sheet.state == SheetState.DRAFT
    assert not PeriodResult.objects.exists()


@pytest.mark.parametrize("bad", ["6", "-1", "пять", "4.5"])
def test_R31_score_outside_0_to_5_is_refused_and_nothing_changes(head_client, sheets, bad):
    head_client.post(page_url(), scores_post(sheets[:1], [("2", "2", "2", "2")], save="1"))
    response = head_client.post(page_url(), scores_post(sheets, [("5", "5", "5", "5"), (bad, "4", "4", "4"),
                                                                 ("3", "3", "3", "3")], save="1"))
    assert response.status_code == 400
    assert "п. 31: оценка от 0 до 5" in response.content.decode()
    saved = {s.pk: s.points() for s in RankingSheet.objects.all()}
    assert saved[sheets[0].pk] == dict.fromkeys(CODES, 2)
    assert saved[sheets[1].pk] == dict.fromkeys(CODES)
    assert saved[sheets[2].pk] == dict.fromkeys(CODES)


def test_R31_submitting_with_a_parameter_missing_is_refused(head_client, sheets):
    head_client.post(page_url(), scores_post(sheets, [("4",) * 4, ("4",) * 4, ("4",) * 4], save="1"))
    response = head_client.post(page_url(), scores_post(sheets, [("5",) * 4, ("5", "5", "", "5"), ("5",) * 4],
                                                        submit="1", confirm="1"))
    assert response.status_code == 400
    assert "п. 31: выставьте оценку по каждому параметру" in response.content.decode()
    assert sheets[1].entry.employee.short_name in response.content.decode()
    assert set(RankingSheet.objects.values_list("state", flat=True)) == {SheetState.DRAFT}
    assert all(s.points() == dict.fromkeys(CODES, 4) for s in RankingSheet.objects.all())
    assert not PeriodResult.objects.exists()


def test_R31_R32_submit_records_the_mean_with_its_gradation(head_client, sheets):
    response = head_client.post(page_url(), scores_post(
        sheets, [("5", "4", "4", "4"), ("3", "3", "4", "3"), ("0", "1", "2", "4")], submit="1", confirm="1"))
    assert response.status_code == 302
    assert set(RankingSheet.objects.values_list("state", flat=True)) == {SheetState.SUBMITTED}
    results = {r.entry_id: r for r in PeriodResult.objects.all()}
    assert results[sheets[0].entry_id].score == Decimal("4.25")
    assert results[sheets[0].entry_id].gradation == Gradation.EFFECTIVE
    assert results[sheets[1].entry_id].score == Decimal("3.25")
    assert results[sheets[1].entry_id].gradation == Gradation.PROPER
    assert results[sheets[2].entry_id].score == Decimal("1.75")
    assert results[sheets[2].entry_id].gradation == Gradation.UNSATISFACTORY
    sheet = RankingSheet.objects.get(pk=sheets[0].pk)
    assert sheet.submitted_by == sheets[0].entry.evaluator.user
    assert sheet.history.filter(state=SheetState.SUBMITTED).exists()


def test_R32_edition_weights_change_the_mean(head_client, sheets):
    from ranking.models import RankingParameter

    RankingParameter.objects.filter(code="quality").update(weight=Decimal("2"))
    head_client.post(page_url(), scores_post(sheets, [("5", "2", "2", "2")] * 3, submit="1", confirm="1"))
    # (5·2 + 2 + 2 + 2) / 5 = 3.2
    assert set(PeriodResult.objects.values_list("score", flat=True)) == {Decimal("3.20")}


def test_R29_submitted_sheet_is_read_only(head_client, sheets):
    head_client.post(page_url(), scores_post(sheets, [("4",) * 4] * 3, submit="1", confirm="1"))
    html = head_client.get(page_url()).content.decode()
    assert not draft_cells(html, sheets[0]) and '<span class="points">4</span>' in row_html(html, sheets[0])
    response = head_client.post(page_url(), scores_post(sheets[:1], [("1",) * 4], save="1"))
    assert response.status_code == 400
    assert "п. 29" in response.content.decode() and "калибровочной сессии" in response.content.decode()
    assert RankingSheet.objects.get(pk=sheets[0].pk).points() == dict.fromkeys(CODES, 4)
    assert PeriodResult.objects.get(entry=sheets[0].entry).score == Decimal("4.00")


def test_R29_sending_an_all_sent_page_again_is_refused_naming_the_rule(head_client, sheets):
    head_client.post(page_url(), scores_post(sheets, [("4",) * 4] * 3, submit="1", confirm="1"))
    response = head_client.post(page_url(), {"submit": "1"})
    assert response.status_code == 400
    assert "п. 29: все оценочные листы этой страницы уже отправлены" in response.content.decode()
    assert all(s.points() == dict.fromkeys(CODES, 4) for s in RankingSheet.objects.all())


def test_R7_page_marks_each_rows_gradation_without_javascript(head_client, sheets):
    head_client.post(page_url(), scores_post(sheets, [("5",) * 4, ("1",) * 4, ("", "", "", "")], save="1"))
    html = head_client.get(page_url()).content.decode()
    assert f'<tr class="g-effective" data-sheet="{sheets[0].pk}"' in html
    assert f'<tr class="g-unsatisfactory" data-sheet="{sheets[1].pk}"' in html
    assert f'<tr data-sheet="{sheets[2].pk}"' in html


def test_R29_fsm_protects_the_submitted_state(sheets):
    sheet = sheets[0]
    with pytest.raises(AttributeError):
        sheet.state = SheetState.DRAFT


def test_R20_another_evaluator_cannot_open_or_post_this_evaluators_staff(client, org, sheets):
    # A second organisation with its own head: its head may not touch our sheets.
    other_head = EmployeeFactory(last_name="Чужой", user=UserFactory(username="otherhead"))
    other_position = PositionFactory(title="Руководитель аппарата другого органа", kind="head")
    AppointmentFactory(employee=other_head, position=other_position)
    client.force_login(other_head.user)
    assert client.get(page_url()).status_code == 404
    assert client.post(page_url(), scores_post(sheets, [("0",) * 4] * 3, submit="1", confirm="1")).status_code == 404
    assert client.get(reverse("ranking:sheet", args=[sheets[0].pk])).status_code == 404
    assert client.get(reverse("ranking:sheet_pdf", args=[sheets[0].pk])).status_code == 404
    assert all(s.points() == dict.fromkeys(CODES) for s in RankingSheet.objects.all())


def test_R20_a_colleague_cannot_see_anothers_sheet(client, org, sheets):
    mine = RankingSheet.objects.get(entry__employee=org.staff[0])
    theirs = RankingSheet.objects.get(entry__employee=org.staff[1])
    client.force_login(org.staff[0].user)
    assert client.get(reverse("ranking:sheet", args=[mine.pk])).status_code == 200
    assert client.get(reverse("ranking:sheet", args=[theirs.pk])).status_code == 404


def test_R20_posting_a_foreign_sheet_id_is_a_404(head_client, org, sheets):
    data = scores_post(sheets[:1], [("4",) * 4], save="1")
    data["s999999-quality"] = "3"
    assert head_client.post(page_url(), data).status_code == 404
    assert RankingSheet.objects.get(pk=sheets[0].pk).quality is None


def _page_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ranking:evaluate", args=[period.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _overview_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ranking:overview", args=[period.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_R29_page_and_overview_take_the_same_queries_for_3_and_300_staff(db, client, after_q3):
    org = make_org(3)
    small_period, large_period = quarter(2026, 2), quarter(2026, 3)
    approve_quarter(org, small_period)
    org.add_staff(297)
    approve_quarter(org, large_period)
    assert RankingSheet.objects.filter(entry__schedule__period=large_period).count() == 301
    client.force_login(org.head.user)
    _page_queries(client, small_period)  # warm the session
    assert _page_queries(client, small_period) == _page_queries(client, large_period)
    client.force_login(org.chief.user)
    _overview_queries(client, small_period)
    assert _overview_queries(client, small_period) == _overview_queries(client, large_period)


def test_R4_overview_shows_submitted_pending_and_overdue_against_the_deadline(client, org, sheets, after_q3):
    client.force_login(org.head.user)
    client.post(page_url(), scores_post(sheets[:1], [("4",) * 4], save="1"))
    from ranking.selectors import sheets_to_evaluate
    from ranking.services import save_ranking

    first = [s for s in sheets_to_evaluate(org.head.user, quarter(2026, 3)) if s.pk == sheets[0].pk]
    # only one sheet on this call: the service sends the drafts it is given
    save_ranking(sheets=first, raw={}, by=org.head.user, submit=True)
    client.force_login(org.chief.user)
    url = reverse("ranking:overview", args=[quarter(2026, 3).pk])
    html = client.get(url).content.decode()
    assert "отправлено: 1" in html and "ожидается: 2" in html and "просрочено: 0" in html
    after_q3.move_to("2026-10-11 09:00+05:00")
    html = client.get(url).content.decode()
    assert "отправлено: 1" in html and "ожидается: 0" in html and "просрочено: 2" in html


def test_R20_overview_is_for_the_chief_specialist_only(client, org, sheets):
    for employee in (org.head, org.staff[0]):
        client.force_login(employee.user)
        assert client.get(reverse("ranking:overview", args=[quarter(2026, 3).pk])).status_code == 404


def test_R29_send_without_confirmation_locks_nothing_and_asks_how_many(head_client, sheets):
    data = scores_post(sheets, [("4",) * 4] * 3, submit="1")
    response = head_client.post(page_url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="confirm-send"' in page and "Отправить 3 оценочных листа" in page
    assert 'name="confirm"' in page
    assert not RankingSheet.objects.filter(state=SheetState.SUBMITTED).exists()
    assert not PeriodResult.objects.exists()
    assert all(s.points()["quality"] is None for s in RankingSheet.objects.all())  # nothing saved either
    # the typed scores come back in the page, so the confirmation posts them again
    assert page.count('data-v="4"') == 12
    head_client.post(page_url(), {**data, "confirm": "1"})
    assert RankingSheet.objects.filter(state=SheetState.SUBMITTED).count() == 3
