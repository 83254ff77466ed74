"""Issue 10, point 2 in the core: the one validation helper (appraisal/validation.py) and the
core services that take user input (working-calendar overrides, the D3 publication date, the
schedule's return reason), driven with arbitrary values: no server error, nothing stored when
refused, every refusal a Russian message naming the rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from appraisal.models import MethodologyEdition, Schedule, ScheduleState, WorkingDayOverride
from appraisal.services.calendar import add_override
from appraisal.services.editions import set_publication_date
from appraisal.services.schedules import RETURN_REASON_LIMIT, generate_schedule, return_schedule, submit_schedule
from appraisal.validation import clean_date, clean_decimal_for, clean_int, clean_text_for
from kci.models import Kci
from tests.factories import installation_admin, quarter
from tests.input_strategies import any_date, any_text, any_value, limits_settings, numbers_as_text

TARGET = Kci._meta.get_field("target")  # max_digits=14, decimal_places=2


# --- the helper --------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("100", Decimal("100.00")), ("1,5", Decimal("1.50")), (" 1 000,25 ", Decimal("1000.25")),
    (Decimal("999999999999.99"), Decimal("999999999999.99")), (7, Decimal("7.00")), (2.5, Decimal("2.50")),
    ("1.500", Decimal("1.50")),
])
def test_clean_decimal_for_accepts_what_the_column_stores_exactly(value, expected):
    assert clean_decimal_for(TARGET, value, rule="п. 24", label="целевое значение") == expected


@pytest.mark.parametrize("value, code", [
    ("1e20", "too_large"), ("1000000000000", "too_large"), ("-1000000000000", "too_large"),
    ("0.000000001", "too_many_decimals"), ("0.001", "too_many_decimals"), ("NaN", "not_a_number"),
    ("Infinity", "not_a_number"), ("10^12", "not_a_number"), ("", "not_a_number"), (None, "not_a_number"),
    ("1e-1000000", "too_many_decimals"), ("9" * 400, "too_large"),
])
def test_clean_decimal_for_refuses_overflow_and_silent_rounding(value, code):
    with pytest.raises(ValidationError) as refused:
        clean_decimal_for(TARGET, value, rule="п. 24", label="целевое значение")
    assert refused.value.code == code and refused.value.messages[0].startswith("п. 24: целевое значение")


def test_clean_decimal_for_positive_refuses_zero_and_below():
    for value in ("0", "0.00", "-5"):
        with pytest.raises(ValidationError, match="больше нуля"):
            clean_decimal_for(TARGET, value, rule="п. 24", label="целевое значение", positive=True)


@limits_settings
@given(value=st.one_of(numbers_as_text(), any_value(), st.decimals(), st.floats()))
def test_clean_decimal_for_either_refuses_or_returns_a_value_the_column_holds(value):
    try:
        number = clean_decimal_for(TARGET, value, rule="п. 24", label="целевое значение")
    except ValidationError as exc:
        assert exc.messages[0].startswith("п. 24: ")
        return
    assert number.is_finite() and abs(number) < Decimal(10) ** 12 and number == number.quantize(Decimal("0.01"))


def test_clean_text_for_refuses_too_long_and_nul_never_cuts():
    field = WorkingDayOverride._meta.get_field("reason")  # max_length=300
    assert clean_text_for(field, "  а" * 1 + "б" * 297 + "  ", rule="WD", label="основание") == "а" + "б" * 297
    with pytest.raises(ValidationError, match="не длиннее 300 символов"):
        clean_text_for(field, "x" * 301, rule="WD", label="основание")
    with pytest.raises(ValidationError, match="NUL"):
        clean_text_for(field, "a\x00", rule="WD", label="основание")
    with pytest.raises(ValueError):
        clean_text_for(Kci._meta.get_field("resources"), "x", rule="п. 24", label="ресурсы")  # a TextField: give a limit
    assert clean_text_for(5, None, rule="п. 1", label="x") == ""


def test_clean_date_bounds_and_text():
    assert clean_date("2025-03-01", rule="п. 36", label="дата") == dt.date(2025, 3, 1)
    for bad, message in (("9999-12-31", "не позже 31.12.2099"), (dt.date(1, 1, 1), "не раньше 01.01.2000"),
                         ("31.02.2025", "укажите дату"), (None, "укажите дату")):
        with pytest.raises(ValidationError, match=message):
            clean_date(bad, rule="п. 36", label="дата")
    with pytest.raises(ValidationError, match=r"не позже 10\.01\.2026"):
        clean_date(dt.date(2026, 1, 11), rule="п. 4", label="дата", not_after=dt.date(2026, 1, 10))


def test_clean_int_refuses_text_and_huge_numbers_without_converting_them():
    assert clean_int(" 12 ", rule="п. 27", label="число строк", min_value=0, max_value=100) == 12
    for bad in ("abc", "2000000", "-1", "1" * 10_000, None, "1.5"):
        with pytest.raises(ValidationError, match=r"п\. 27: число строк"):
            clean_int(bad, rule="п. 27", label="число строк", min_value=0, max_value=100)


# --- the core services ------------------------------------------------------------------------------


def test_WD_override_year_9999_and_a_reason_too_long_refused(org):
    for day, reason, message in ((dt.date(9999, 12, 31), "Постановление", "не позже 31.12.2099"),
                                 (dt.date(2025, 3, 10), "п" * 301, "не длиннее 300 символов")):
        with pytest.raises(ValidationError, match=message):
            add_override(day=day, is_working=False, reason=reason, by=installation_admin())
    assert not WorkingDayOverride.objects.exists()


@limits_settings
@given(day=st.one_of(any_date(), any_value()), is_working=st.one_of(st.booleans(), any_value()),
       reason=st.one_of(any_text(), any_value()))
def test_WD_add_override_with_arbitrary_values_never_fails_and_refusal_saves_nothing(org, day, is_working, reason):
    before = list(WorkingDayOverride.objects.values_list("date", "is_working", "reason"))
    try:
        override = add_override(day=day, is_working=is_working, reason=reason, by=installation_admin())
    except ValidationError as exc:
        assert all(m.startswith("рабочие дни: ") for m in exc.messages), exc.messages
        assert list(WorkingDayOverride.objects.values_list("date", "is_working", "reason")) == before
        return
    override.refresh_from_db()
    assert dt.date(2000, 1, 1) <= override.date <= dt.date(2099, 12, 31) and 0 < len(override.reason) <= 300
    override.delete()


@limits_settings
@given(published_on=st.one_of(any_date(), any_value(), st.none()))
def test_D3_publication_date_with_arbitrary_values_never_fails(org, published_on):
    from appraisal.editions import load_editions

    edition = MethodologyEdition.objects.filter(organisation=org.organisation).order_by("pk").first()
    before = MethodologyEdition.objects.filter(pk=edition.pk).values_list("published_on", flat=True).get()
    try:
        set_publication_date(edition=edition, published_on=published_on, by=org.chief.user)
    except ValidationError as exc:
        assert all(m.startswith("п. 3 решения: ") for m in exc.messages), exc.messages
        assert MethodologyEdition.objects.filter(pk=edition.pk).values_list("published_on", flat=True).get() == before
        return
    load_editions(org.organisation)  # every page computes the date of effect from it
    MethodologyEdition.objects.get(pk=edition.pk).effective_from


@limits_settings
@given(reason=st.one_of(any_text(), any_value()))
def test_R10_return_reason_with_arbitrary_values_never_fails(org, reason):
    schedule = Schedule.objects.filter(organisation=org.organisation).first()
    if schedule is None:
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2026, 3), by=org.chief.user)
    if schedule.state != ScheduleState.ON_APPROVAL:
        submit_schedule(schedule=schedule, by=org.chief.user)
        schedule.refresh_from_db()
    try:
        return_schedule(schedule=schedule, by=org.official.user, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        assert all(m.startswith("п. ") for m in getattr(exc, "messages", [str(exc)])), exc
        assert Schedule.objects.get(pk=schedule.pk).state == ScheduleState.ON_APPROVAL
        return
    stored = Schedule.objects.get(pk=schedule.pk)
    assert stored.state == ScheduleState.DRAFT and 0 < len(stored.return_reason) <= RETURN_REASON_LIMIT


@limits_settings
@given(values=st.dictionaries(st.sampled_from(["date", "is_working", "reason", "published_on"]), any_value()))
def test_core_forms_with_arbitrary_values_never_fail(values):
    from appraisal.views.calendar import OverrideForm
    from appraisal.views.edition import PublicationForm

    posted = {k: str(v) for k, v in values.items() if v is not None}  # a POST carries text only
    OverrideForm(posted).is_valid()
    PublicationForm(posted).is_valid()
