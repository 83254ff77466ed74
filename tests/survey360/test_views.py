"""The 360 pages through HTTP: the chief specialist's campaign, the respondent's single
page, refusals shown in Russian, the report, feedback and training-needs exports."""

import datetime as dt
import io

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from appraisal.models import OutboxMessage
from survey360 import services
from survey360.models import AnswerTally, Campaign, CampaignState, Respondent
from tests.conftest import make_org
from tests.survey360.conftest import answer, approved_year_schedule, subject_of, values_for


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post_answers(client, subject, value=4, **extra):
    data = {f"s{k}": v for k, v in values_for(subject, value).items()}
    data.update(extra)
    return client.post(reverse("survey360:assess", args=[subject.pk]), data, follow=True)


def test_R33_chief_creates_and_opens_a_campaign_through_the_pages(db, at_collecting):
    org = make_org(2)
    schedule = approved_year_schedule(org)
    chief = login(org.chief.user)
    page = chief.get(reverse("survey360:campaigns"))
    assert "2025 год" in page.content.decode()
    response = chief.post(reverse("survey360:campaigns"), {"period": schedule.period_id}, follow=True)
    campaign = Campaign.objects.get()
    html = response.content.decode()
    assert "Открыть сбор ответов" in html and "Служащий0" in html
    response = chief.post(reverse("survey360:transition", args=[campaign.pk, "open"]), follow=True)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.COLLECTING
    assert "Ещё не ответили" in response.content.decode()
    # R33 invitations, one per person and channel, queued once
    assert OutboxMessage.objects.filter(key__startswith=f"survey360:{campaign.pk}:invite:").count() == 2 * 5
    assert login(org.head.user).post(reverse("survey360:transition", args=[campaign.pk, "close"])).status_code == 404


def test_R35_1_page_names_who_has_a_circle_of_two(survey):
    staff0 = subject_of(survey.campaign, survey.staff[0])
    chief = login(survey.chief.user)
    respondent = staff0.respondents.get(employee=survey.chief)
    chief.post(reverse("survey360:circle_remove", args=[respondent.pk]))
    response = chief.post(reverse("survey360:transition", args=[survey.campaign.pk, "open"]), follow=True)
    assert "п. 35.1: у Служащий0 А.М. 2 респондента, нужно от 3 до 7" in response.content.decode()
    survey.campaign.refresh_from_db()
    assert survey.campaign.state == CampaignState.DRAFT


def test_R33_respondent_page_lists_whom_to_assess_and_refuses_a_second_answer(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    head = login(org.head.user)
    html = head.get(reverse("survey360:tasks")).content.decode()
    assert html.count(reverse("survey360:assess", args=[staff0.pk])) == 1
    assert "Служащий1" in html and "Ахметова" in html
    response = post_answers(head, staff0, 4, comment="Всё хорошо")
    assert "анкета принята анонимно" in response.content.decode()
    assert reverse("survey360:assess", args=[staff0.pk]) not in response.content.decode()
    before = list(AnswerTally.objects.filter(subject=staff0).values_list("total", "count"))
    response = post_answers(head, staff0, 0)
    assert "уже заполнена" in response.content.decode() or "вы уже оценили" in response.content.decode()
    assert list(AnswerTally.objects.filter(subject=staff0).values_list("total", "count")) == before


def test_R34_out_of_scale_through_the_page_is_refused_with_the_rule(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    client = login(org.head.user)
    data = {f"s{k}": v for k, v in values_for(staff0, 4).items()}
    data[next(iter(data))] = "9"
    response = client.post(reverse("survey360:assess", args=[staff0.pk]), data)
    assert "п. 34: ответ «9» вне шкалы от 0 до 5" in response.content.decode()
    assert not Respondent.objects.filter(subject=staff0, answered=True).exists()


def test_R35_1_page_for_someone_not_in_ones_list_is_404(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    client = login(open_survey.official.user)
    url = reverse("survey360:assess", args=[staff0.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"s{k}": v for k, v in values_for(staff0).items()}).status_code == 404


def test_R35_2_self_assessment_page(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    client = login(org.staff[0].user)
    assert reverse("survey360:self", args=[staff0.pk]) in client.get(reverse("survey360:tasks")).content.decode()
    data = {f"s{k}": v for k, v in values_for(staff0, 5).items()}
    response = client.post(reverse("survey360:self", args=[staff0.pk]), data, follow=True)
    assert "Самооценка сохранена" in response.content.decode()
    assert login(org.staff[1].user).get(reverse("survey360:self", args=[staff0.pk])).status_code == 404


def _finished(org):
    staff0 = subject_of(org.campaign, org.staff[0])
    services.submit_self_assessment(subject=staff0, by=org.staff[0].user, values=values_for(staff0, 5))
    for value, r in zip([2, 3, 4], staff0.respondents.select_related("employee")):
        answer(staff0, r.employee, value, comment=f"мнение {value}")
    services.close_campaign(campaign=org.campaign, by=org.chief.user)
    return staff0


def test_R36_report_page_and_pdf_with_chart(open_survey):
    staff0 = _finished(open_survey)
    client = login(open_survey.staff[0].user)
    html = client.get(reverse("survey360:report", args=[staff0.pk])).content.decode()
    assert "<svg" in html and "3,00" in html and "5,00" in html
    assert "Выполняет функциональные обязанности надлежащим образом" in html
    assert all(f"мнение {v}" in html for v in (2, 3, 4))
    pdf = client.get(reverse("survey360:report_pdf", args=[staff0.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Приложение 7" in text and "Служащий0" in text and "3,00" in text and "Среднее других" in text


def test_R36_feedback_form_and_pdf(open_survey):
    staff0 = _finished(open_survey)
    chief = login(open_survey.chief.user)
    url = reverse("survey360:feedback", args=[staff0.pk])
    assert login(open_survey.head.user).get(url).status_code == 404
    response = chief.post(url, {"held_on": "2026-01-20", "participants": "Служащий0 А.М.; Серикбаева Г.М.",
                                "strengths": "Этика", "to_develop": "Оперативность",
                                "training_topics": "Семинар по управлению временем"}, follow=True)
    assert "Встреча обратной связи записана" in response.content.decode()
    pdf = chief.get(reverse("survey360:feedback_pdf", args=[staff0.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Приложение 8" in text and "20.01.2026" in text and "Семинар по управлению временем" in text


def test_R9_training_needs_xlsx_and_pdf(open_survey):
    _finished(open_survey)
    chief = login(open_survey.chief.user)
    campaign = open_survey.campaign
    html = chief.get(reverse("survey360:training", args=[campaign.pk])).content.decode()
    assert "недостаточно ответов" in html and "Служащий0" in html
    xlsx = chief.get(reverse("survey360:training_xlsx", args=[campaign.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["По служащим"].iter_rows(values_only=True))
    assert any(r[0] and r[0].startswith("Служащий0") and r[2] == 3.0 for r in rows)
    assert wb["Итого по компетенциям"].max_row >= 1
    pdf = chief.get(reverse("survey360:training_pdf", args=[campaign.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert login(open_survey.head.user).get(reverse("survey360:training", args=[campaign.pk])).status_code == 404


def test_R4_reminders_at_5_and_2_working_days_before_each_once(open_survey):
    from appraisal import hooks
    assert services.send_reminders in hooks._tick  # registered by Survey360Config.ready
    org = open_survey
    campaign = org.campaign
    staff0 = subject_of(campaign, org.staff[0])
    answer(staff0, org.staff[1], 4)
    # 10.01.2026 is a Saturday; 5 working days before: 31.12.2025? count on the calendar
    from appraisal.workdays import WorkingCalendar
    cal = WorkingCalendar.load()
    five, two = cal.working_days_before(campaign.deadline, 5), cal.working_days_before(campaign.deadline, 2)
    with time_machine.travel(dt.datetime.combine(five - dt.timedelta(days=1), dt.time(9)), tick=False):
        assert services.send_reminders(dt.datetime.combine(five - dt.timedelta(days=1), dt.time(9))) == 0
    for day in (five, five, two, two):
        services.send_reminders(dt.datetime.combine(day, dt.time(9)))
    keys = set(OutboxMessage.objects.filter(key__contains=":remind:").values_list("key", flat=True))
    pending_people = {r.employee_id for r in Respondent.objects.filter(subject__campaign=campaign, answered=False)}
    pending_people |= {s.employee_id for s in campaign.subjects.filter(self_submitted=False)}
    assert keys == {f"survey360:{campaign.pk}:remind:{n}:{e}:{ch}" for n in (5, 2) for e in pending_people
                    for ch in ("email", "sms")}


def test_home_panel_constant_queries(open_survey):
    org = open_survey
    client = login(org.staff[0].user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    org.add_staff(4)
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("home")).content.decode()
    assert len(large) == len(small)
    assert "Мои анкеты 360" in html


def test_R35_1_chief_adds_a_respondent_through_the_page_up_to_seven(survey):
    chief = login(survey.chief.user)
    staff0 = subject_of(survey.campaign, survey.staff[0])
    response = chief.post(reverse("survey360:circle_add"), {"subject": staff0.pk, "employee": survey.official.pk},
                          follow=True)
    assert staff0.respondents.filter(employee=survey.official, source="added").exists()
    response = chief.post(reverse("survey360:circle_add"), {"subject": staff0.pk, "employee": survey.staff[0].pk},
                          follow=True)
    assert "п. 35.2" in response.content.decode()
    assert login(survey.head.user).post(reverse("survey360:circle_add"),
                                        {"subject": staff0.pk, "employee": survey.chairman.pk}).status_code == 404
    assert staff0.respondents.count() == 4


def test_R34_questionnaire_page_explains_scale_required_answers_and_anonymity(open_survey):
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    page = login(open_survey.head.user).get(reverse("survey360:assess", args=[subject.pk])).content.decode()
    assert "по шкале от 0 до 5: 0 — не проявляется никогда, 5 — проявляется всегда" in page
    assert "Ответ обязателен на каждое утверждение (п. 34)" in page
    assert "После отправки анкету нельзя изменить или отправить повторно (п. 33)" in page
    assert "только после завершения опроса, если ответили не менее трёх человек" in page
    assert "Главный специалист видит лишь, заполнили ли вы анкету" in page
    own = subject_of(open_survey.campaign, open_survey.head)
    self_page = login(open_survey.head.user).get(reverse("survey360:self", args=[own.pk])).content.decode()
    assert "Ответ обязателен на каждое утверждение (п. 34)" in self_page
    assert 'id="survey360-anonymity"' not in self_page  # the self-assessment is not anonymous (п. 35.2)


def test_R4_answer_after_the_deadline_through_the_page_refused(open_survey):
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    head = login(open_survey.head.user)
    with time_machine.travel(dt.datetime(2026, 1, 11, 9, 0), tick=False):
        page = head.get(reverse("survey360:assess", args=[subject.pk])).content.decode()
        assert "п. 4: срок оценки методом 360 истёк 10.01.2026; ответы не принимаются." in page
        assert 'id="survey360-form"' not in page
        response = post_answers(head, subject, 5)
    assert "п. 4: срок оценки методом 360 истёк 10.01.2026; ответы не принимаются." in response.content.decode()
    assert not Respondent.objects.filter(subject=subject, answered=True).exists()
    assert set(AnswerTally.objects.filter(subject=subject).values_list("total", "count")) == {(0, 0)}


def test_R36_chart_legend_follows_the_interface_language(open_survey):
    from django.utils import translation

    from survey360 import selectors
    from survey360.svg import report_chart

    _finished(open_survey)
    report = selectors.report_for(subject_of(open_survey.campaign, open_survey.staff[0]))
    with translation.override("kk"):
        chart = str(report_chart(report))
    assert "Басқалардың орташасы" in chart and "Өзін-өзі бағалау" in chart
    assert "среднее других" not in chart.lower()


def test_R9_training_needs_xlsx_writes_means_with_a_decimal_comma(open_survey):
    from survey360.models import Competency

    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    weakest = Competency.objects.get(questionnaire=subject.questionnaire, order=7)  # «Оперативность»
    for r in subject.respondents.select_related("employee"):
        values = values_for(subject, 4)
        values.update({str(st.pk): 1 for st in weakest.statements.all()})
        services.submit_answers(subject=subject, by=r.employee.user, values=values)
    services.close_campaign(campaign=open_survey.campaign, by=open_survey.chief.user)
    xlsx = login(open_survey.chief.user).get(reverse("survey360:training_xlsx", args=[open_survey.campaign.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content))["По служащим"].iter_rows(values_only=True))
    assert any(r[0].startswith("Служащий0") and r[3] == "Оперативность (1,00)" for r in rows if r[0])
