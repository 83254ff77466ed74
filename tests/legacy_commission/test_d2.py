"""D2: chapter 6 was in force until 31.08.2023 (the edition's validity of "CH6", not a date
in the code). From 01.09.2023 no new chapter-6 plan is started; a plan started before is
finished; everything stays readable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from appraisal.editions import edition_for_period
from appraisal.models import AbsenceKind, RuleValidity
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from legacy_commission.models import LegacyPlan, LegacySheetState
from legacy_commission.services import plans, sheets
from tests.factories import AbsenceFactory, quarter
from tests.legacy_commission.legacy_setup import fresh, kci_data, on

pytestmark = pytest.mark.django_db
D = dt.date
LAST_DAY, FIRST_DAY_AFTER = D(2023, 8, 31), D(2023, 9, 1)


@pytest.fixture
def entries(org):
    """Two chapter-6 lines of a IV quarter 2022 schedule generated on 01.08.2023, while
    chapter 6 was still in force."""
    for person in org.staff[:2]:
        AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=D(2022, 9, 1), end=D(2022, 12, 20))
    with on(D(2023, 8, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    found = [schedule.entries.get(employee=person) for person in org.staff[:2]]
    assert [e.method for e in found] == ["legacy", "legacy"]
    return found


def test_D2_a_plan_is_started_on_31_08_2023_and_refused_from_01_09_2023(org, entries):
    with on(LAST_DAY, hour=23):
        assert plans.create_plan(entry=entries[0], by=org.head.user).pk
    with on(FIRST_DAY_AFTER, hour=0), pytest.raises(ValidationError, match=r"п\. 2 решения .* по 31\.08\.2023"):
        plans.create_plan(entry=entries[1], by=org.head.user)
    assert list(LegacyPlan.objects.values_list("entry_id", flat=True)) == [entries[0].pk]


def test_D2_the_date_comes_from_the_edition_not_the_code(org, entries):
    validity = RuleValidity.objects.get(edition=edition_for_period(entries[0].schedule.period, org.organisation), rule_id="CH6")
    validity.valid_until = D(2023, 9, 30)
    validity.save()
    with on(FIRST_DAY_AFTER):
        assert plans.create_plan(entry=entries[0], by=org.head.user).pk
    with on(D(2023, 10, 1)), pytest.raises(ValidationError, match=r"по 30\.09\.2023"):
        plans.create_plan(entry=entries[1], by=org.head.user)


def test_D2_a_plan_started_before_is_finished_after_and_stays_readable(org, entries):
    entry = entries[0]
    with on(LAST_DAY):
        plan = plans.create_plan(entry=entry, by=org.head.user)
    with on(FIRST_DAY_AFTER):
        assert plans.create_plan(entry=entry, by=org.head.user) == plan  # the started one, not a new one
        for n in range(1, 6):
            plans.save_kci(plan=plan, by=org.head.user, data=kci_data(n))
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        plans.plan_transition(plan=fresh(plan), name="approve", by=org.chairman.user)
        sheet = sheets.open_sheet(plan=fresh(plan), by=org.head.user)
        for line in sheet.lines.all():
            sheets.save_line(line=line, by=org.head.user, achieved="yes", evidence="отчёт")
        sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
    with on(D(2023, 9, 4)):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
        sheets.submit_to_commission(sheet=fresh(sheet), by=org.chief.user)
    assert fresh(sheet).state == LegacySheetState.SUBMITTED
    client = Client()
    with on(D(2026, 11, 25)):
        for user in (org.head.user, org.chairman.user, org.chief.user, entry.employee.user):
            client.force_login(user)
            for url in (reverse("legacy_commission:plan_detail", kwargs={"legacy_plan_id": plan.pk}),
                        reverse("legacy_commission:sheet_detail", kwargs={"legacy_sheet_id": sheet.pk}),
                        reverse("legacy_commission:sheet_pdf", kwargs={"legacy_sheet_id": sheet.pk})):
                assert client.get(url).status_code == 200, (user, url)


def test_D2_the_overview_offers_no_new_plan_after_31_08_2023(org, entries):
    client = Client()
    with on(LAST_DAY):
        client.force_login(org.head.user)
        before = client.get(reverse("legacy_commission:index")).content.decode()
    with on(FIRST_DAY_AFTER):
        client.force_login(org.head.user)  # a new session: sessions expire after a working day
        after = client.get(reverse("legacy_commission:index")).content.decode()
        refused = client.post(reverse("legacy_commission:plan_create", kwargs={"entry_id": entries[0].pk}),
                              follow=True).content.decode()
    assert "Составить план" in before
    assert "Составить план" not in after and "утратила силу" in after
    assert "п. 2 решения" in refused and not LegacyPlan.objects.exists()
