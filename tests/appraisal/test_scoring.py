"""R7: the 0–5 scale, its rounding and its four gradations; R4: the annual mean."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from appraisal.models import Method, PeriodResult, ScheduleEntry
from appraisal.scoring import Gradation, clean_score, gradation_for, mean_score, round_score
from appraisal.services.results import annual_result, record_result
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import quarter

G = Gradation


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", G.UNSATISFACTORY),
        ("1.99", G.UNSATISFACTORY),
        ("2.00", G.SATISFACTORY),
        ("2.99", G.SATISFACTORY),
        ("3.00", G.PROPER),
        ("3.99", G.PROPER),
        ("4.00", G.EFFECTIVE),
        ("5.00", G.EFFECTIVE),
    ],
)
def test_R7_band_boundaries(score, expected):
    assert gradation_for(Decimal(score)) == expected
    assert gradation_for(score) == expected


def test_R7_half_up_rounding_closes_the_gap_between_bands():
    assert round_score("3.995") == Decimal("4.00")
    assert gradation_for("3.995") == G.EFFECTIVE
    assert round_score("3.994") == Decimal("3.99")
    assert gradation_for("3.994") == G.PROPER
    assert round_score(2.675) == Decimal("2.68")  # a float keeps what was typed
    assert clean_score("4,5") == Decimal("4.50")


@pytest.mark.parametrize("bad", ["5.01", "-0.01", "abc", "", "NaN", "Infinity", None])
def test_R7_out_of_scale_or_not_a_number_refused(bad):
    with pytest.raises(ValidationError) as info:
        clean_score(bad)
    text = " ".join(info.value.messages)
    assert "п. 7" in text
    assert "от 0 до 5" in text


def test_R4_mean_of_quarters_rounded_once():
    assert mean_score(["4.00", "3.00", "3.50"]) == Decimal("3.50")
    assert mean_score(["4.00", "3.99"]) == Decimal("4.00")  # 3.995 → 4.00
    with pytest.raises(ValidationError):
        mean_score([])


_four_places = st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=4, allow_nan=False,
                           allow_infinity=False)


@given(_four_places)
def test_R7_every_score_in_scale_has_exactly_one_gradation(score):
    gradation = gradation_for(score)
    rounded = round_score(score)
    matching = [
        g for g, (low, high) in {
            G.UNSATISFACTORY: ("0.00", "1.99"), G.SATISFACTORY: ("2.00", "2.99"),
            G.PROPER: ("3.00", "3.99"), G.EFFECTIVE: ("4.00", "5.00"),
        }.items() if Decimal(low) <= rounded <= Decimal(high)
    ]
    assert matching == [gradation]


_ORDER = [G.UNSATISFACTORY, G.SATISFACTORY, G.PROPER, G.EFFECTIVE]


@given(_four_places, _four_places)
def test_R7_gradation_is_monotone_in_the_score(a, b):
    low, high = sorted((a, b))
    assert _ORDER.index(gradation_for(low)) <= _ORDER.index(gradation_for(high))


def _approved_entries(org, year=2024, quarters=(1, 2, 3, 4)):
    entries = {}
    for q in quarters:
        schedule = generate_schedule(organisation=org.organisation, period=quarter(year, q), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
        entries[q] = ScheduleEntry.objects.get(schedule=schedule, employee=org.staff[0])
    return entries


def test_R7_period_result_stores_rounded_score_and_its_gradation(org):
    entry = _approved_entries(org, quarters=(1,))[1]
    result = PeriodResult(entry=entry, score=Decimal("3.994"))
    result.save()
    result.refresh_from_db()
    assert result.score == Decimal("3.99")
    assert result.gradation == G.PROPER
    result = record_result(entry=entry, score="3.995")
    result.refresh_from_db()
    assert (result.score, result.gradation) == (Decimal("4.00"), G.EFFECTIVE)
    assert result.history.count() == 2


def test_R7_record_result_refuses_out_of_scale_and_keeps_the_saved_score(org):
    entry = _approved_entries(org, quarters=(1,))[1]
    record_result(entry=entry, score="4.20")
    with pytest.raises(ValidationError, match=r"п\. 7"):
        record_result(entry=entry, score="5.01")
    assert PeriodResult.objects.get(entry=entry).score == Decimal("4.20")


def test_R5_1_no_result_for_a_person_not_evaluated(org):
    late = org.add_staff(1, start=dt.date(2024, 3, 20))[0]
    schedule = _approved_entries(org, quarters=(1,))[1].schedule
    entry = schedule.entries.get(employee=late)
    assert entry.rule_id == "R5.1"
    with pytest.raises(ValidationError, match=r"п\. 5\.1: за этот период служащий не оценивается"):
        record_result(entry=entry, score="4.00")
    assert not PeriodResult.objects.filter(entry=entry).exists()


def test_R4_annual_result_is_the_mean_of_the_quarters(org):
    entries = _approved_entries(org, quarters=(1, 2, 3))
    for q, score in zip((1, 2, 3), ("4.00", "3.00", "3.50")):
        record_result(entry=entries[q], score=score)
    score, gradation, n = annual_result(employee_id=org.staff[0].pk, year=2024, method=Method.RANKING)
    assert (score, gradation, n) == (Decimal("3.50"), G.PROPER, 3)


def test_R4_annual_result_ignores_unapproved_schedules(org):
    entries = _approved_entries(org, quarters=(1, 2))
    record_result(entry=entries[1], score="4.00")
    record_result(entry=entries[2], score="3.00")
    # A draft schedule for Q3 with a (stray) result must not count.
    draft = generate_schedule(organisation=org.organisation, period=quarter(2024, 3), by=org.chief.user)
    draft_entry = draft.entries.get(employee=org.staff[0])
    with pytest.raises(ValidationError, match=r"п\. 10"):
        record_result(entry=draft_entry, score="0.00")
    PeriodResult.objects.create(entry=draft_entry, score="0.00")  # a stray row, bypassing the service
    score, gradation, n = annual_result(employee_id=org.staff[0].pk, year=2024, method=Method.RANKING)
    assert (score, gradation, n) == (Decimal("3.50"), G.PROPER, 2)
    assert annual_result(employee_id=org.staff[0].pk, year=2025, method=Method.RANKING) is None
    with pytest.raises(ValueError):
        annual_result(employee_id=org.staff[0].pk, year=2024, method=Method.SURVEY360)
