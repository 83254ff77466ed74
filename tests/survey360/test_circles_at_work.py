"""R35.1 with R5.2 and R6: the proposed circle holds only people at work during the
collection window, and the chief specialist's campaign page says who was left out and why;
the page cites the paragraph of each person's own case (п. 5.2 absent, п. 6 dismissed) and
says the reminder days in words."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from appraisal.models import AbsenceKind, Appointment
from survey360 import services
from survey360.circles import absent_whole_window
from survey360.models import Respondent
from tests.conftest import make_org
from tests.factories import AbsenceFactory
from tests.survey360.conftest import approved_year_schedule, subject_of


def _campaign(org):
    schedule = approved_year_schedule(org)
    return services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)


def _page(org, campaign) -> str:
    client = Client()
    client.force_login(org.chief.user)
    return client.get(reverse("survey360:campaign", args=[campaign.pk])).content.decode()


def test_R35_1_person_on_social_leave_for_the_whole_window_is_not_proposed(db, at_collecting):
    org = make_org(3)
    on_leave = org.staff[0]
    AbsenceFactory(employee=on_leave, kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2025, 10, 1),
                   end=dt.date(2026, 3, 31))
    campaign = _campaign(org)
    assert not Respondent.objects.filter(subject__campaign=campaign, employee=on_leave).exists()
    # the others still have the colleagues at work: head, chief, the two other staff
    circle = subject_of(campaign, org.staff[1]).respondents.values_list("employee_id", flat=True)
    assert set(circle) == {org.head.pk, org.chief.pk, org.staff[2].pk}
    html = _page(org, campaign)
    # left out, with the reason, in the circles of the head, the chief and the two others
    assert html.count("не предложен(а): социальный отпуск 01.10.2025–31.03.2026") == 4


def test_R35_1_absence_for_part_of_the_window_does_not_exclude(db, at_collecting):
    org = make_org(2)
    AbsenceFactory(employee=org.staff[0], kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2026, 1, 5),
                   end=dt.date(2026, 1, 8))  # back on 09.01, before the R4 day 10.01.2026
    campaign = _campaign(org)
    assert Respondent.objects.filter(subject__campaign=campaign, employee=org.staff[0]).exists()
    assert "не предложен" not in _page(org, campaign)


def test_R35_1_consecutive_absences_covering_the_window_exclude():
    class A:
        def __init__(self, start, end):
            self.start, self.end = start, end

    labour, social = A(dt.date(2025, 12, 20), dt.date(2026, 1, 6)), A(dt.date(2026, 1, 7), dt.date(2026, 6, 1))
    first, last = dt.date(2026, 1, 5), dt.date(2026, 1, 10)
    assert absent_whole_window([social, labour], first, last) == [labour, social]
    gap = A(dt.date(2026, 1, 8), dt.date(2026, 6, 1))  # at work on 07.01
    assert absent_whole_window([labour, gap], first, last) is None
    assert absent_whole_window([labour], first, last) is None


def test_R6_dismissed_cited_as_paragraph_6_and_absent_as_5_2_on_the_campaign_page(db, at_collecting):
    org = make_org(3)
    dismissed, on_leave = org.staff[0], org.staff[1]
    Appointment.objects.filter(employee=dismissed).update(end=dt.date(2025, 11, 14), dismissed=True)
    AbsenceFactory(employee=on_leave, kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2025, 10, 1),
                   end=dt.date(2026, 3, 31))
    campaign = _campaign(org)
    assert subject_of(campaign, dismissed).entry.rule_id == "R6"
    html = _page(org, campaign)
    row = html[html.index(f'id="subject-{subject_of(campaign, dismissed).pk}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="rule">п. 6</span>' in row and "п. 5.2" not in row
    row = html[html.index(f'id="subject-{subject_of(campaign, on_leave).pk}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="rule">п. 5.2</span>' in row


def test_R33_reminder_days_read_as_words_not_a_decimal(db, at_collecting):
    org = make_org(2)
    campaign = _campaign(org)
    html = _page(org, campaign)
    assert "за 5 и 2 рабочих дня до срока" in html
    assert "5,2" not in html
    campaign.reminder_working_days = "5"
    campaign.save()
    assert "за 5 рабочих дней до срока" in _page(org, campaign)


def test_R33_admin_campaign_page_reads_in_words(db, at_collecting):
    from django.contrib.auth import get_user_model

    org = make_org(2)
    campaign = _campaign(org)
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345"))
    page = client.get(reverse("admin:survey360_campaign_change", args=[campaign.pk])).content.decode()
    assert "Напоминания за рабочих дней до срока" not in page
    assert "за 5 и за 2 рабочих дня до срока" in page
    assert org.chief.short_name in page and "Created by" not in page and "Organisation" not in page
