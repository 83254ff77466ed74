"""Issue 12.6: many bodies in one installation. Each body has its own methodology editions
(dates, tables, questionnaires), copied from the installation's templates; every lookup of
the edition in force is per body; the national working-day calendar is kept by the
installation-level role; the admin shows a body's people only their body's rows."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from appraisal.deadlines import evaluation_deadline
from appraisal.editions import edition_for_period, edition_on, load_editions
from appraisal.models import MethodologyEdition, Organisation, Schedule, WorkingDayOverride
from appraisal.services.calendar import add_override, delete_override
from appraisal.services.editions import copy_edition, set_publication_date, start_organisation
from appraisal.services.periods import periods_in_progress
from appraisal.services.schedules import generate_schedule
from kci.models import AdmissibleScoreTable
from ranking.models import RankingParameter
from survey360.models import Questionnaire
from tests.conftest import make_org
from tests.factories import OrganisationFactory, installation_admin, quarter

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def two_bodies(db):
    """Body A (the fixture org) and body B with its own people and roles."""
    a = make_org()
    b = make_org(usernames="b-")
    b.organisation.name, b.organisation.short_name = "КГУ «Аппарат другого маслихата»", "Другой аппарат"
    b.organisation.save()
    return a, b


def _template():
    return MethodologyEdition.objects.templates().get()


# --- copy_edition ------------------------------------------------------------------------------

def _questionnaire_texts(edition):
    return [(q.audience, q.title, q.title_kk, q.is_default,
             [(c.order, c.name, c.name_kk, [(s.order, s.text, s.text_kk) for s in c.statements.order_by("order")])
              for c in q.competencies.order_by("order")])
            for q in Questionnaire.objects.filter(edition=edition).order_by("appendix")]


def test_copy_edition_copies_the_edition_and_all_its_dependent_data():
    template = _template()
    RankingParameter.objects.filter(edition=template, code="quality").update(weight="2.50", confirmed=True)
    body = OrganisationFactory()
    copy = copy_edition(template, body)

    assert copy.pk != template.pk and copy.organisation == body and copy.code == template.code
    for name in ("title", "decision", "decision_date", "quarter_deadline_day", "legacy_window_start", "text"):
        assert getattr(copy, name) == getattr(template, name)
    assert sorted(copy.rule_validities.values_list("rule_id", "description", "valid_until")) == sorted(
        template.rule_validities.values_list("rule_id", "description", "valid_until"))
    fields = ("code", "title", "title_kk", "weight", "order", "confirmed")
    assert list(RankingParameter.objects.filter(edition=copy).order_by("order").values_list(*fields)) == list(
        RankingParameter.objects.filter(edition=template).order_by("order").values_list(*fields))
    assert RankingParameter.objects.get(edition=copy, code="quality").weight == 2.5
    table, table_copy = AdmissibleScoreTable.objects.get(edition=template), AdmissibleScoreTable.objects.get(edition=copy)
    rows = ("percent_from", "percent_to", "scores")
    assert list(table_copy.rows.order_by("percent_from").values_list(*rows)) == list(
        table.rows.order_by("percent_from").values_list(*rows))
    assert table_copy.is_default == table.is_default and table_copy.rows.count() == 6
    copied = _questionnaire_texts(copy)
    assert copied == _questionnaire_texts(template)
    assert [len(q[4]) for q in copied] == [12, 8]  # forms 5 and 6 with their competencies and statements

    # The copy is the body's own: changing it leaves the template alone.
    RankingParameter.objects.filter(edition=copy).update(weight="3.00")
    Questionnaire.objects.filter(edition=copy).update(title="Своя анкета")
    assert not RankingParameter.objects.filter(edition=template, weight="3.00").exists()
    assert not Questionnaire.objects.filter(edition=template, title="Своя анкета").exists()


def test_copy_edition_twice_into_one_body_refused():
    body = OrganisationFactory()
    start_organisation(body)
    with pytest.raises(Exception, match="уже есть редакция"):
        copy_edition(_template(), body)
    assert start_organisation(body) == []  # nothing copied twice
    assert MethodologyEdition.objects.filter(organisation=body).count() == 1


def test_create_organisation_command_starts_the_body_from_the_templates():
    out = StringIO()
    call_command("create_organisation", "КГУ «Аппарат маслихата района Б»", "--short-name", "Аппарат Б", stdout=out)
    body = Organisation.objects.get(short_name="Аппарат Б")
    edition = MethodologyEdition.objects.get(organisation=body)
    assert edition.code == _template().code
    assert AdmissibleScoreTable.objects.filter(edition=edition).exists()
    assert Questionnaire.objects.filter(edition=edition).count() == 2
    assert "скопировано: 1" in out.getvalue()


def test_a_body_added_in_the_admin_starts_from_the_templates(client):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:appraisal_organisation_add"),
                           {"name": "КГУ «Аппарат маслихата района В»", "short_name": "Аппарат В", "name_kk": ""})
    assert response.status_code == 302
    body = Organisation.objects.get(short_name="Аппарат В")
    assert MethodologyEdition.objects.filter(organisation=body).count() == 1


def test_migration_gives_the_editions_to_the_one_existing_organisation():
    from importlib import import_module

    migration = import_module("appraisal.migrations.0011_edition_per_organisation")
    only = Organisation.objects.create(name="Единственный орган")
    migration.editions_to_the_organisation(django_apps, None)
    assert list(MethodologyEdition.objects.values_list("organisation_id", flat=True)) == [only.pk]
    # With two bodies nothing is guessed: the editions stay where they are.
    MethodologyEdition.objects.update(organisation=None)
    Organisation.objects.create(name="Второй орган")
    migration.editions_to_the_organisation(django_apps, None)
    assert list(MethodologyEdition.objects.values_list("organisation_id", flat=True)) == [None]


# --- the edition in force is per body --------------------------------------------------------------

def test_R4_each_body_deadlines_follow_its_own_edition(two_bodies):
    a, b = two_bodies
    MethodologyEdition.objects.filter(organisation=b.organisation).update(quarter_deadline_day=20)
    q3 = quarter(2026, 3)
    assert edition_for_period(q3, a.organisation).organisation == a.organisation
    assert evaluation_deadline(q3, edition_for_period(q3, a.organisation)) == D(2026, 10, 10)
    assert evaluation_deadline(q3, edition_for_period(q3, b.organisation)) == D(2026, 10, 20)
    assert evaluation_deadline(q3, edition_for_period(q3, None)) == D(2026, 10, 10)  # the template is untouched
    # On B's last day Q3 is still in progress in B, not in A; the day after, in neither.
    assert q3 in [p for p, _d in periods_in_progress(D(2026, 10, 20), b.organisation)]
    assert q3 not in [p for p, _d in periods_in_progress(D(2026, 10, 20), a.organisation)]
    assert q3 not in [p for p, _d in periods_in_progress(D(2026, 10, 21), b.organisation)]


@time_machine.travel(dt.datetime(2026, 10, 15, 10, 0), tick=False)
def test_R4_each_chief_specialist_sees_her_own_bodys_deadline(client, two_bodies):
    a, b = two_bodies
    MethodologyEdition.objects.filter(organisation=b.organisation).update(quarter_deadline_day=20)
    q3 = quarter(2026, 3)
    client.force_login(b.chief.user)
    assert "20.10.2026" in client.get(reverse("period_detail", args=[q3.pk])).content.decode()
    client.force_login(a.chief.user)
    page = client.get(reverse("period_detail", args=[q3.pk])).content.decode()
    assert "10.10.2026" in page and "20.10.2026" not in page


def test_D3_a_chief_specialist_sets_the_publication_date_of_her_body_only(client, two_bodies):
    a, b = two_bodies
    b_edition = MethodologyEdition.objects.get(organisation=b.organisation)
    client.force_login(a.chief.user)
    page = client.get(reverse("edition")).content.decode()
    assert f'publication-form-{b_edition.pk}"' not in page
    response = client.post(reverse("edition"), {"edition": b_edition.pk, "published_on": "2023-07-12"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        set_publication_date(edition=b_edition, published_on=D(2023, 7, 12), by=a.chief.user)
    with pytest.raises(PermissionDenied, match="шаблон"):
        set_publication_date(edition=_template(), published_on=D(2023, 7, 12), by=a.chief.user)
    b_edition.refresh_from_db()
    assert b_edition.published_on is None and _template().published_on is None
    set_publication_date(edition=b_edition, published_on=D(2023, 7, 12), by=b.chief.user)
    assert edition_on(D(2023, 7, 20), b.organisation).effective_from == D(2023, 7, 22)
    assert edition_on(D(2023, 7, 20), a.organisation).effective_from == D(2023, 7, 5)


def test_R27_the_kci_table_a_chief_specialist_edits_is_her_bodys(two_bodies):
    from kci import services as kci_services

    a, b = two_bodies
    a_table = kci_services.score_table(edition_on(D(2026, 1, 1), a.organisation))
    b_table = kci_services.score_table(edition_on(D(2026, 1, 1), b.organisation))
    rows = [{"percent_from": "0", "percent_to": "", "scores": "5"}]
    with pytest.raises(PermissionDenied):
        kci_services.save_score_table(table=b_table, rows=rows, confirm=True, by=a.chief.user)
    kci_services.save_score_table(table=a_table, rows=rows, confirm=True, by=a.chief.user)
    assert a_table.rows.count() == 1 and b_table.rows.count() == 6


def test_a_body_without_editions_of_its_own_follows_the_templates():
    body = OrganisationFactory()
    assert [e.pk for e in load_editions(body)] == [_template().pk]
    start_organisation(body)
    assert [e.organisation_id for e in load_editions(body)] == [body.pk]


@time_machine.travel(dt.datetime(2026, 4, 2, 10, 0), tick=False)
def test_R10_a_schedule_of_body_b_is_judged_by_bs_edition(two_bodies):
    """The eligibility of a schedule line reads the body's own edition (R5.1's minimum tenure)."""
    a, b = two_bodies
    MethodologyEdition.objects.filter(organisation=b.organisation).update(min_tenure_months=6)
    newcomer_a = a.add_staff(1, start=D(2026, 1, 5), prefix="Новый")[0]
    newcomer_b = b.add_staff(1, start=D(2026, 1, 5), prefix="Новый")[0]
    q1 = quarter(2026, 1)
    line_a = generate_schedule(organisation=a.organisation, period=q1, by=a.chief.user).entries.get(
        employee=newcomer_a)
    line_b = generate_schedule(organisation=b.organisation, period=q1, by=b.chief.user).entries.get(
        employee=newcomer_b)
    assert line_a.participation != "not_evaluated"
    assert line_b.participation == "not_evaluated" and line_b.rule_id.startswith("R5")


# --- WD: the national calendar ---------------------------------------------------------------------

def test_WD_calendar_override_refused_to_a_chief_specialist(client, two_bodies):
    a, _b = two_bodies
    with pytest.raises(PermissionDenied, match="администратор установки"):
        add_override(day=D(2026, 12, 30), is_working=False, reason="Постановление № 1", by=a.chief.user)
    client.force_login(a.chief.user)
    page = client.get(reverse("calendar_overrides")).content.decode()
    assert 'id="calendar-read-only"' in page and 'name="reason"' not in page
    assert client.post(reverse("calendar_overrides"),
                       {"date": "2026-12-30", "reason": "Постановление № 1"}).status_code == 404
    assert not WorkingDayOverride.objects.exists()

    keeper = installation_admin()
    override = add_override(day=D(2026, 12, 30), is_working=False, reason="Постановление № 1", by=keeper)
    with pytest.raises(PermissionDenied):
        delete_override(pk=override.pk, by=a.chief.user)
    client.force_login(keeper)
    page = client.get(reverse("calendar_overrides")).content.decode()
    assert 'name="reason"' in page and "Постановление № 1" in page
    assert 'id="calendar-deadlines"' not in page  # deadlines are a body's: the installation account has none
    delete_override(pk=override.pk, by=keeper)
    assert not WorkingDayOverride.objects.exists()


def test_WD_the_installation_admin_command_gives_the_role():
    from django.contrib.auth import get_user_model

    from appraisal import roles
    from tests.factories import UserFactory

    UserFactory(username="region")
    call_command("installation_admin", "region", stdout=StringIO())
    user = get_user_model().objects.get(username="region")
    assert roles.is_installation_admin(user) and user.is_staff


# --- the admin: each body's people see only their body -----------------------------------------------

def test_R20_admin_lists_and_pages_are_scoped_to_the_users_body(client, two_bodies):
    a, b = two_bodies
    schedules = {org.organisation.pk: generate_schedule(organisation=org.organisation, period=quarter(2026, 1),
                                                        by=org.chief.user) for org in (a, b)}
    official = a.official.user
    official.is_staff = True
    official.save()
    official.user_permissions.add(*Permission.objects.filter(codename__in=(
        "view_schedule", "view_employee", "view_methodologyedition", "view_organisation", "view_position")))
    client.force_login(official)
    b_names = [e.last_name for e in (b.chairman, b.head, b.chief, b.official, *b.staff)]
    for name in ("schedule", "employee", "methodologyedition", "organisation", "position"):
        page = client.get(reverse(f"admin:appraisal_{name}_changelist")).content.decode()
        assert "Другой аппарат" not in page, name
    page = client.get(reverse("admin:appraisal_employee_changelist")).content.decode()
    assert a.chief.last_name in page  # the same surname in both bodies is shown once, for A
    b_schedule = schedules[b.organisation.pk]
    for url in (reverse("admin:appraisal_schedule_change", args=[b_schedule.pk]),
                reverse("admin:appraisal_schedule_history", args=[b_schedule.pk]),
                reverse("admin:appraisal_employee_change", args=[b.chief.pk]),
                reverse("admin:appraisal_methodologyedition_change",
                        args=[MethodologyEdition.objects.get(organisation=b.organisation).pk])):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404) and "Другой аппарат" not in response.content.decode(), url
        assert response.redirect_chain or response.status_code == 404, url  # «не существует»: back to the index
    assert Schedule.objects.count() == 2 and b_names  # B's rows are still there, only not shown
    # Templates are the installation's: a body's user does not see them.
    page = client.get(reverse("admin:appraisal_methodologyedition_changelist")).content.decode()
    assert f"/{_template().pk}/change/" not in page
