"""R4: an annual mean reads as the year's result («Итог 2026 года») only once the year is
over and its four quarters are scored; before that it is labelled as partial."""

import datetime as dt
import io

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.services.results import annual_title
from tests.factories import quarter, year_period
from tests.ranking.conftest import approve_quarter
from tests.ranking.test_pdf_and_report import rank

POINTS = [(4, 4, 4, 4), (3, 3, 3, 3), (5, 5, 5, 5)]


def test_R4_annual_title_is_final_only_after_the_year_with_four_quarters():
    assert annual_title(year=2026, quarters=4, today=dt.date(2026, 12, 31)) == (
        "Среднее за 2026 год (за 4 из 4 кварталов, год не завершён)")
    assert annual_title(year=2026, quarters=4, today=dt.date(2027, 1, 1)) == "Итог 2026 года"
    assert annual_title(year=2026, quarters=3, today=dt.date(2027, 1, 1)) == "Среднее за 2026 год (за 3 из 4 кварталов)"


def test_R4_running_year_is_labelled_partial_on_home_and_in_the_year_report(client, org):
    with time_machine.travel(dt.datetime(2026, 10, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        for q in (2, 3):
            approve_quarter(org, quarter(2026, q))
            rank(org, quarter(2026, q), POINTS)
        client.force_login(org.staff[0].user)
        home = client.get("/").content.decode()
        assert "за 2 из 4 кварталов, год не завершён" in home and "Итог 2026 года" not in home
        client.force_login(org.chief.user)
        url = reverse("ranking:report", args=[year_period(2026).pk])
        report = client.get(url).content.decode()
        assert "Результаты оценки за 2026 год — промежуточные: за 2 из 4 кварталов, год не завершён" in report
        xlsx = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
        assert xlsx["A2"].value == "Результаты оценки за 2026 год — промежуточные: за 2 из 4 кварталов, год не завершён"


def test_R4_finished_year_with_four_quarters_is_the_years_result(client, org):
    for q, day in ((1, dt.date(2025, 4, 2)), (2, dt.date(2025, 7, 2)), (3, dt.date(2025, 10, 2)),
                   (4, dt.date(2026, 1, 5))):
        with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False):
            approve_quarter(org, quarter(2025, q))
            rank(org, quarter(2025, q), POINTS)
    with time_machine.travel(dt.datetime(2026, 1, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(org.staff[0].user)
        home = client.get("/").content.decode()
        assert "Итог 2025 года — среднее квартальных оценок (п. 4)" in home
        assert "из 4 кварталов" not in home
        client.force_login(org.chief.user)
        report = client.get(reverse("ranking:report", args=[year_period(2025).pk])).content.decode()
        assert "Результаты оценки за 2025 год" in report and "промежуточные" not in report
