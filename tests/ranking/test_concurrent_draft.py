"""R29, issue 10 point 7: two saves of the same ranking draft from two copies of the page.

The page carries a version token per sheet; a save made from a copy older than the sheet is
refused with «Лист изменён другим пользователем … обновите страницу», and nothing of it is
written. (Real simultaneous writers: tests/appraisal/test_sqlite_concurrency.py.)"""

import re

import pytest
from django.core.exceptions import ValidationError

from ranking.models import RankingSheet
from ranking.selectors import sheets_to_evaluate
from ranking.services import save_ranking, sheet_version
from tests.factories import quarter
from tests.ranking.test_evaluate import CODES, page_url, scores_post

STALE = "Лист изменён другим пользователем"


@pytest.fixture
def sheets(org, opened):
    return list(RankingSheet.objects.order_by("entry__employee__last_name"))


def _tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(s\d+-version)" value="([^"]+)"', html))


def _points(sheet) -> tuple:
    sheet.refresh_from_db()
    return tuple(getattr(sheet, code) for code in CODES)


def test_R29_second_save_from_an_older_copy_of_the_page_is_refused(client, org, sheets):
    client.force_login(org.head.user)
    first_copy = _tokens(client.get(page_url()).content.decode())
    second_copy = _tokens(client.get(page_url()).content.decode())
    assert set(first_copy) == {f"s{s.pk}-version" for s in sheets}, "every sheet's token is in the form"
    assert first_copy == second_copy

    saved = client.post(page_url(), {**scores_post(sheets[:1], [("5", "5", "5", "5")]), **first_copy, "save": "1"},
                        follow=True)
    assert "Черновик сохранён" in saved.content.decode()
    assert _points(sheets[0]) == (5, 5, 5, 5)

    stale = client.post(page_url(), {**scores_post(sheets[:1], [("1", "1", "1", "1")]), **second_copy, "save": "1"})
    html = stale.content.decode()
    assert stale.status_code == 400
    assert STALE in html and "обновите страницу" in html and "Черновик сохранён" not in html
    assert sheets[0].entry.employee.short_name in html.split(STALE, 1)[1].split("</", 1)[0], "names the sheet"
    assert _points(sheets[0]) == (5, 5, 5, 5), "nothing overwritten"

    # the refused page keeps the old token: saving the typed values again is refused again …
    again = client.post(page_url(), {**scores_post(sheets[:1], [("1", "1", "1", "1")]),
                                      **_tokens(html), "save": "1"})
    assert again.status_code == 400 and _points(sheets[0]) == (5, 5, 5, 5)
    # … and a fresh page saves
    fresh = _tokens(client.get(page_url()).content.decode())
    client.post(page_url(), {**scores_post(sheets[:1], [("1", "1", "1", "1")]), **fresh, "save": "1"})
    assert _points(sheets[0]) == (1, 1, 1, 1)


def test_R29_sending_from_an_older_copy_is_refused_and_nothing_is_sent(client, org, sheets):
    client.force_login(org.head.user)
    old_copy = _tokens(client.get(page_url()).content.decode())
    client.post(page_url(), {**scores_post(sheets[1:2], [("4", "4", "4", "4")]), **old_copy, "save": "1"})
    response = client.post(page_url(), {**scores_post(sheets, [("3",) * 4] * 3), **old_copy, "submit": "1", "confirm": "1"})
    assert response.status_code == 400 and STALE in response.content.decode()
    assert not RankingSheet.objects.filter(state="submitted").exists()
    assert _points(sheets[1]) == (4, 4, 4, 4)


def test_R29_service_checks_the_token_inside_its_transaction(org, sheets):
    page = list(sheets_to_evaluate(org.head.user, quarter(2026, 3)))
    tokens = {s.pk: sheet_version(s) for s in page}
    save_ranking(sheets=page, raw={page[0].pk: dict.fromkeys(CODES, "2")}, by=org.head.user, versions=tokens)
    # the other window still holds the sheets as they were before that save
    with pytest.raises(ValidationError) as refused:
        save_ranking(sheets=page, raw={page[0].pk: dict.fromkeys(CODES, "3")}, by=org.head.user, versions=tokens)
    assert refused.value.error_list[0].code == "stale"
    assert _points(page[0]) == (2, 2, 2, 2)
    # a token that matches the sheet as it is now is accepted
    current = list(sheets_to_evaluate(org.head.user, quarter(2026, 3)))
    save_ranking(sheets=current, raw={page[0].pk: dict.fromkeys(CODES, "3")}, by=org.head.user,
                 versions={s.pk: sheet_version(s) for s in current})
    assert _points(page[0]) == (3, 3, 3, 3)
