"""The anonymity suite (R33, R15, R20): tries to link a respondent to what they answered —
through the schema, the rows a database reader sees, the transactions, the pages of every
role before and after one more answer, the PDFs, the logs and the admin."""

import io
import logging
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from survey360 import services
from survey360.models import AnonymousComment, AnswerTally, Respondent, SelfAnswer, Subject
from tests.factories import UserFactory
from tests.survey360.conftest import answer, subject_of

ANSWER_MODELS = [AnswerTally, AnonymousComment]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def main_html(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


# --- the schema -------------------------------------------------------------------------

def test_anonymity_answer_tables_have_no_respondent_relation_or_time_columns(db):
    from appraisal.models import Employee

    for model in ANSWER_MODELS:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        expected = {AnswerTally: {"id", "campaign_id", "subject_id", "statement_id", "total", "count"},
                    AnonymousComment: {"id", "subject_id", "texts"}}[model]
        assert columns == expected, table
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
            if field.is_relation:
                assert field.related_model is not Employee and field.related_model._meta.label != "auth.User"
        assert isinstance(model._meta.pk, models.UUIDField), "keys must not reveal insertion order"
    # the only way from an answer table to a person is the evaluated person (Subject)
    assert {f.related_model for f in AnswerTally._meta.concrete_fields if f.is_relation} == {
        apps.get_model("survey360", "Campaign"), Subject, apps.get_model("survey360", "Statement")}


def test_anonymity_respondent_table_holds_no_answer(db):
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Respondent._meta.db_table)}
    assert columns == {"id", "subject_id", "employee_id", "source", "answered"}
    assert not [f for f in Respondent._meta.get_fields() if f.is_relation and f.related_model in ANSWER_MODELS]


def test_anonymity_no_history_tables_for_answers_or_circles(db):
    tables = set(connection.introspection.table_names())
    for model in [*ANSWER_MODELS, Respondent, SelfAnswer, Subject]:
        assert not hasattr(model, "history"), model
        assert f"survey360_historical{model._meta.model_name}" not in tables
    assert not any(m._meta.label.startswith("survey360.Historical") and "tally" in m._meta.model_name.lower()
                   for m in apps.get_models())


def test_anonymity_admin_has_no_page_for_answers(db):
    for model in [*ANSWER_MODELS, Respondent, SelfAnswer]:
        assert not admin.site.is_registered(model)
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client_for(superuser).get("/admin/survey360/answertally/").status_code == 404


# --- the rows a database reader sees ------------------------------------------------------

def _dump(table, where="1=1", params=()):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {where}", list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_anonymity_rows_as_a_database_reader(open_survey):
    """Two respondents answer 5 and 1: a reader of the tables finds only their sum and
    number per statement, a comment without author, and the flags — nothing joins them."""
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    answer(staff0, org.head, 5, comment="Уважительно общается")
    answer(staff0, org.chief, 1)
    tallies = _dump(AnswerTally._meta.db_table, "subject_id = %s", [staff0.pk])
    assert tallies and {(r["total"], r["count"]) for r in tallies} == {(6, 2)}
    assert all(set(r) == {"id", "campaign_id", "subject_id", "statement_id", "total", "count"} for r in tallies)
    comments = _dump(AnonymousComment._meta.db_table, "subject_id = %s", [staff0.pk])
    assert [set(r) for r in comments] == [{"id", "subject_id", "texts"}]
    assert AnonymousComment.objects.get(subject=staff0).texts == ["Уважительно общается"]
    flags = _dump(Respondent._meta.db_table, "subject_id = %s", [staff0.pk])
    assert {r["employee_id"]: bool(r["answered"]) for r in flags} == {
        org.head.pk: True, org.chief.pk: True, org.staff[1].pk: False}
    # neither 5 nor 1 is stored anywhere: the tallies hold 6 / 2, no table holds one answer
    assert not {5, 1} & {r["total"] for r in tallies}


# serialized_rollback: the flush after a transactional test must restore the seeded
# edition and questionnaires for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymity_answered_flag_and_answers_commit_together(monkeypatch):
    """All or nothing (issue 10 point 4): the flag, the tallies and the comment are one
    commit, so a crash cannot leave a person «answered» with nothing counted. The xmin that
    this shares is erased at closing (test_anonymity_postgres_xmin_does_not_link_flag_to_tallies,
    test_pageinspect.py)."""
    import time_machine

    from tests.conftest import make_org
    from tests.survey360.conftest import IN_COLLECTING, approved_year_schedule

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
        staff0 = subject_of(campaign, org.staff[0])

        commits = []
        real_commit = connection.commit
        monkeypatch.setattr(connection, "commit", lambda: (commits.append(1), real_commit())[1])
        seen = []

        def spy(execute, sql, params, many, context):
            seen.append((sql, len(commits), connection.in_atomic_block))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(spy):
            answer(staff0, org.head, 4, comment="Коротко")
    flag = [n for sql, n, atomic in seen if sql.startswith("UPDATE") and Respondent._meta.db_table in sql]
    tally = [n for sql, n, atomic in seen if sql.startswith("UPDATE") and AnswerTally._meta.db_table in sql]
    comment = [n for sql, n, atomic in seen if sql.startswith("UPDATE") and AnonymousComment._meta.db_table in sql]
    assert len(flag) == 1 and len(tally) == 1 and len(comment) == 1
    assert all(atomic for sql, n, atomic in seen if sql.startswith(("UPDATE", "INSERT")))
    assert flag[0] == tally[0] == comment[0], "flag and answers in one transaction"
    assert len(commits) == flag[0] + 1, "and that transaction is committed once"
    assert Respondent.objects.get(subject=staff0, employee=org.head).answered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is a PostgreSQL system column")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymity_postgres_xmin_does_not_link_flag_to_tallies():
    import time_machine

    from tests.conftest import make_org
    from tests.survey360.conftest import IN_COLLECTING, approved_year_schedule

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
        staff0 = subject_of(campaign, org.staff[0])
        for r in staff0.respondents.select_related("employee"):
            answer(staff0, r.employee, 3)

        def xmins(table, where, params):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE {where}", params)
                return {row[0] for row in cursor.fetchall()}

        flags = xmins(Respondent._meta.db_table, "subject_id = %s", [staff0.pk])
        services.close_campaign(campaign=campaign, by=org.chief.user)
        assert not flags & xmins(AnswerTally._meta.db_table, "subject_id = %s", [staff0.pk])
        # after closing, every tally and comment row of the campaign carries the closing
        # transaction only: nothing tells whose answer came last
        closing = xmins(AnswerTally._meta.db_table, "campaign_id = %s", [campaign.pk])
        assert len(closing) == 1
        subject_ids = list(campaign.subjects.values_list("pk", flat=True))
        placeholders = ", ".join(["%s"] * len(subject_ids))
        assert xmins(AnonymousComment._meta.db_table, f"subject_id IN ({placeholders})", subject_ids) == closing


# --- what each role sees before and after one more answer ------------------------------------

def _views(org, staff0):
    report = reverse("survey360:report", args=[staff0.pk])
    campaign = reverse("survey360:campaign", args=[org.campaign.pk])
    return {
        "person": main_html(client_for(org.staff[0].user).get(report)),
        "evaluator": main_html(client_for(org.head.user).get(report)),
        "chief_report": main_html(client_for(org.chief.user).get(report)),
        "chief_campaign": re.sub(r'<section class="card" id="not-answered">.*?</section>', "",
                                 main_html(client_for(org.chief.user).get(campaign)), flags=re.S),
    }


def test_anonymity_no_role_sees_a_difference_after_one_more_answer_while_collecting(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    answer(staff0, org.head, 4)
    before = _views(org, staff0)
    answer(staff0, org.chief, 0)
    after = _views(org, staff0)
    assert before == after
    assert "Опрос ещё идёт" in after["person"]


def test_anonymity_chief_sees_only_who_has_not_answered(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    page = client_for(org.chief.user).get(reverse("survey360:campaign", args=[org.campaign.pk])).content.decode()
    assert "Серикбаева Гульнара" in page.split('id="not-answered"')[1].split("</section>")[0]
    answer(staff0, org.head, 4)
    page = client_for(org.chief.user).get(reverse("survey360:campaign", args=[org.campaign.pk])).content.decode()
    section = page.split('id="not-answered"')[1].split("</section>")[0]
    # the head still has the chief's own questionnaire to fill, one fewer than before
    assert "Серикбаева Гульнара" in section
    assert ">4<" not in section and "4,00" not in page


def test_anonymity_below_threshold_nobody_sees_means_or_comments(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    answer(staff0, org.head, 5, comment="Секретный комментарий")
    answer(staff0, org.chief, 5)
    services.close_campaign(campaign=org.campaign, by=org.chief.user)
    views = _views(org, staff0)
    for role, html in views.items():
        if role != "chief_campaign":
            assert "недостаточно ответов" in html, role
        assert "5,00" not in html and "5.00" not in html and "Секретный комментарий" not in html, role
    url = reverse("survey360:report_pdf", args=[staff0.pk])
    assert client_for(org.chief.user).get(url).status_code == 404


def test_anonymity_pages_pdfs_and_logs_never_put_a_respondent_next_to_values(open_survey, caplog):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    respondents = [r.employee for r in staff0.respondents.select_related("employee")]
    caplog.set_level(logging.DEBUG)
    for value, employee in enumerate(respondents, start=2):
        answer(staff0, employee, value, comment=f"комментарий {value}")
    services.close_campaign(campaign=org.campaign, by=org.chief.user)
    for record in caplog.records:
        text = record.getMessage()
        assert not any(e.last_name in text for e in respondents), text
    pages, pdfs = [], []
    for user in (org.staff[0].user, org.head.user, org.chief.user):
        c = client_for(user)
        pages.append(main_html(c.get(reverse("survey360:report", args=[staff0.pk]))))
        pdfs.append(pdf_text(c.get(reverse("survey360:report_pdf", args=[staff0.pk]))))
    # The printed report is signed by the chief specialist (issue 11.6: every signature line
    # names its signer), on every report whether or not she was in the circle: her name on
    # the signature line tells nothing. Every other respondent stays unnamed.
    signer = org.chief.last_name
    for text in pages + pdfs:
        assert "3,00" in text  # the mean of 2, 3, 4 is shown …
        for employee in respondents:  # … and no respondent's name anywhere near it
            if employee.last_name != signer or text in pages:
                assert employee.last_name not in text, employee.last_name
        assert "Служащий0" in text  # the evaluated person is named
    for text in pdfs:
        assert text.count(signer) <= 1  # the signature line only


def test_anonymity_comments_are_one_unordered_row_per_person(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    for i, r in enumerate(staff0.respondents.select_related("employee")):
        answer(staff0, r.employee, 3, comment=f"текст {i}")
    assert AnonymousComment.objects.filter(subject=staff0).count() == 1
    before = AnonymousComment.objects.get(subject=staff0)
    services.close_campaign(campaign=org.campaign, by=org.chief.user)
    after = AnonymousComment.objects.get(subject=staff0)
    assert sorted(after.texts) == sorted(before.texts) == ["текст 0", "текст 1", "текст 2"]


# --- R20: who may open a report -------------------------------------------------------------------

def test_anonymity_R20_report_is_404_for_colleagues_officials_and_administrators(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    for r in staff0.respondents.select_related("employee"):
        answer(staff0, r.employee, 3)
    services.close_campaign(campaign=org.campaign, by=org.chief.user)
    url = reverse("survey360:report", args=[staff0.pk])
    superuser = UserFactory(username="admin360", is_superuser=True, is_staff=True)
    for user in (org.staff[1].user, org.official.user, org.chairman.user, superuser):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(url + "pdf/").status_code == 404
    for user in (org.staff[0].user, org.head.user, org.chief.user):
        assert client_for(user).get(url).status_code == 200


def test_anonymity_a_circle_is_listed_by_name_whatever_row_an_answer_updated(open_survey):
    """On PostgreSQL an updated row moves to the end of the heap: a circle listed without an
    order would put the last respondent to answer last on the chief's campaign page."""
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    circle = list(staff0.respondents.all())
    assert len(circle) >= 2
    by_name = sorted(circle, key=lambda r: (r.employee.last_name, r.employee.first_name, r.employee.middle_name))
    assert circle == by_name
    first = by_name[0]
    answer(staff0, first.employee, 3)  # updates the first row: the heap now holds it last
    response = client_for(org.chief.user).get(reverse("survey360:campaign", args=[org.campaign.pk]))
    listed = next(s for s in response.context["subjects"] if s.pk == staff0.pk).respondents.all()
    assert [r.pk for r in listed] == [r.pk for r in by_name]
