"""D1–D3: the methodology edition as data, its date of force and the rules that expire."""

import datetime as dt

import pytest

from appraisal.editions import edition_for_period, edition_on
from appraisal.models import MethodologyEdition, RuleValidity
from tests.factories import quarter

pytestmark = pytest.mark.django_db
D = dt.date


def test_D2_rule_in_force_boundaries():
    edition = edition_on(D(2024, 1, 1), None)
    for rule_id in ("R5.3", "R2.12", "CH6"):
        assert edition.rule_in_force(rule_id, D(2023, 8, 31))
        assert not edition.rule_in_force(rule_id, D(2023, 9, 1))
        assert edition.rule_valid_until(rule_id) == D(2023, 8, 31)
    assert edition.rule_in_force("R22.1", D(2030, 1, 1))  # no limit recorded
    assert edition.rule_valid_until("R22.1") is None


def test_D3_effective_from_is_publication_plus_ten_days():
    edition = edition_on(D(2024, 1, 1), None)
    assert edition.effective_from == edition.decision_date  # publication not entered yet
    edition.published_on = D(2023, 7, 12)
    assert edition.effective_from == D(2023, 7, 22)


def test_D3_a_later_edition_is_data_and_governs_periods_ending_after_it(org):
    body = org.organisation
    first = edition_on(D(2024, 1, 1), body)
    later = MethodologyEdition.objects.create(
        organisation=body, code="later", title="Новая редакция", decision="решение", decision_date=D(2024, 5, 1),
        decision_number="9-9", published_on=D(2024, 5, 10), quarter_deadline_day=15,
    )
    RuleValidity.objects.create(edition=later, rule_id="R5.3", description="x", valid_until=D(2024, 12, 31))
    assert later.effective_from == D(2024, 5, 20)
    assert edition_on(D(2024, 5, 19), body) == first
    assert edition_on(D(2024, 5, 20), body) == later
    # A period is evaluated under the edition in force on its last day.
    assert edition_for_period(quarter(2024, 1), body) == first
    assert edition_for_period(quarter(2024, 2), body) == later
    assert edition_on(D(2024, 6, 1), body).rule_in_force("R5.3", D(2024, 9, 1))
    assert edition_on(D(2024, 6, 1), None) != later  # another body's (or the templates') is untouched


def test_D3_period_before_the_first_edition_uses_the_first_edition():
    assert edition_for_period(quarter(2022, 4), None).code == "akzhar-2023-5-2"


def test_D1_source_discrepancy_recorded_not_fixed():
    edition = edition_on(D(2024, 1, 1), None)
    assert "1-6" in edition.source_notes and "8-6" in edition.source_notes
