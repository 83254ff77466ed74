"""R43–R46 (chapter 6): the individual work plan of appendix 9 — who sets it, when, who
approves it, SMART KCIs, exactly five."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from appraisal.models import Method, OutboxMessage
from appraisal.services.schedules import generate_schedule
from legacy_commission import selectors
from legacy_commission.models import LegacyKci, LegacyPlan, LegacyPlanState
from legacy_commission.services import plans
from tests.factories import EmployeeFactory, UserFactory, quarter
from tests.legacy_commission.legacy_setup import (
    PLAN_DAY,
    approved_plan,
    fresh,
    kci_data,
    legacy_entry,
    on,
    plan_with_kcis,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def entry(org):
    return legacy_entry(org)


def test_R5_3_plan_only_for_a_chapter_6_line(org, entry):
    other = entry.schedule.entries.get(employee=org.staff[1])
    assert other.method == Method.RANKING
    with on(PLAN_DAY), pytest.raises(ValidationError, match=r"п\. 5\.3"):
        plans.create_plan(entry=other, by=org.head.user)
    assert not LegacyPlan.objects.exists()


def test_R10_no_plan_without_an_approved_schedule(org):
    from appraisal.models import AbsenceKind
    from tests.factories import AbsenceFactory

    AbsenceFactory(employee=org.staff[0], kind=AbsenceKind.SOCIAL_LEAVE, start=D(2022, 6, 1), end=D(2022, 11, 30))
    with on(D(2022, 10, 3)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
    with on(PLAN_DAY), pytest.raises(ValidationError, match=r"п\. 10"):
        plans.create_plan(entry=schedule.entries.get(employee=org.staff[0]), by=org.head.user)
    assert not LegacyPlan.objects.exists()


def test_R43_only_the_direct_supervisor_sets_the_kcis(org, entry):
    for user in (org.chairman.user, org.chief.user, org.staff[0].user, org.official.user):
        with on(PLAN_DAY), pytest.raises(PermissionDenied, match=r"п\. 43"):
            plans.create_plan(entry=entry, by=user)
    assert not LegacyPlan.objects.exists()
    plan = plan_with_kcis(org, entry, n=1)
    assert plan.state == LegacyPlanState.DRAFT and plan.kcis.count() == 1
    with on(PLAN_DAY), pytest.raises(PermissionDenied, match=r"п\. 43"):
        plans.save_kci(plan=plan, by=org.chairman.user, data=kci_data(2))
    assert plan.kcis.count() == 1


def test_R43_plan_due_ten_working_days_after_the_period_starts_flagged_not_refused(org, entry):
    plan = plan_with_kcis(org, entry)
    due = selectors.deadlines(plan, D(2022, 10, 14))[0]
    # 01.10.2022 is a Saturday: working days 3–7 and 10–14 October; the tenth is 14.10.2022.
    assert (due.rule_id, due.date) == ("R43", D(2022, 10, 14))
    assert not due.late
    assert selectors.deadlines(plan, D(2022, 10, 17))[0].overdue
    with on(D(2022, 10, 14)):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
    on_time = selectors.deadlines(fresh(plan), D(2022, 11, 1))[0]
    assert on_time.done_on == D(2022, 10, 14) and not on_time.late


def test_R43_a_plan_submitted_the_day_after_is_late_but_kept(org, entry):
    plan = plan_with_kcis(org, entry)
    with on(D(2022, 10, 17)):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
    plan = fresh(plan)
    assert plan.state == LegacyPlanState.ON_APPROVAL
    status = selectors.deadlines(plan, D(2022, 11, 1))[0]
    assert status.done_on == D(2022, 10, 17) and status.late and not status.overdue


def test_R44_the_higher_supervisor_approves_or_returns(org, entry):
    plan = plan_with_kcis(org, entry)
    assert plan.higher_supervisor == org.chairman  # derived from the positions: head → chairman
    with on(PLAN_DAY):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        for user in (org.head.user, org.chief.user, org.staff[0].user):
            with pytest.raises(PermissionDenied, match=r"п\. 44"):
                plans.plan_transition(plan=fresh(plan), name="approve", by=user)
        with pytest.raises(ValidationError, match=r"п\. 44"):
            plans.plan_transition(plan=fresh(plan), name="return_to_draft", by=org.chairman.user, reason="  ")
        assert fresh(plan).state == LegacyPlanState.ON_APPROVAL
        plans.plan_transition(plan=fresh(plan), name="return_to_draft", by=org.chairman.user,
                              reason="Уточните критерий КЦИ 2")
        assert fresh(plan).state == LegacyPlanState.DRAFT and fresh(plan).return_reason
        plans.plan_transition(plan=fresh(plan), name="submit", by=org.head.user)
        plans.plan_transition(plan=fresh(plan), name="approve", by=org.chairman.user)
    plan = fresh(plan)
    assert plan.state == LegacyPlanState.APPROVED and plan.approved_by == org.chairman.user
    assert OutboxMessage.objects.filter(rule_id="R44", recipient=org.chairman.email).count() == 2  # two submissions
    assert plan.history.count() >= 5
    with on(PLAN_DAY), pytest.raises(ValidationError, match=r"п\. 44"):
        plans.save_kci(plan=plan, by=org.head.user, data=kci_data(6))


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("title", "  ", r"п\. 45.*конкретн"),
    ("criterion", "", r"п\. 45.*измеримость"),
    ("resources", "", r"п\. 45.*достижимость"),
    ("deadline", "", r"п\. 45.*ограниченность"),
    ("deadline", "2023-01-10", r"п\. 45.*в течение оцениваемого периода"),
    ("aim_kind", "national_project", r"п\. 45.*стратегическая цель"),
    ("aim_name", "", r"п\. 45.*соглашение"),
    ("title", "я" * 501, r"п\. 45: КЦИ — не длиннее 500 символов"),
])
def test_R45_kcis_are_smart_and_aimed_at_a_strategic_goal(org, entry, field, value, rule):
    plan = plan_with_kcis(org, entry, n=0)
    with on(PLAN_DAY), pytest.raises(ValidationError) as refused:
        plans.save_kci(plan=plan, by=org.head.user, data=kci_data(1, **{field: value}))
    assert field in refused.value.message_dict
    import re
    assert re.search(rule, " ".join(refused.value.message_dict[field]))
    assert not LegacyKci.objects.exists()


@pytest.mark.parametrize("count", [4, 6])
def test_R46_exactly_five_kcis_four_or_six_refused(org, entry, count):
    plan = plan_with_kcis(org, entry, n=min(count, 5))
    with on(PLAN_DAY):
        if count == 6:
            with pytest.raises(ValidationError, match=r"п\. 46: количество КЦИ составляет пять; в плане уже 5"):
                plans.save_kci(plan=plan, by=org.head.user, data=kci_data(6))
            assert plan.kcis.count() == 5
            return
        with pytest.raises(ValidationError, match=r"п\. 46: количество КЦИ составляет пять; в плане 4"):
            plans.plan_transition(plan=plan, name="submit", by=org.head.user)
    assert fresh(plan).state == LegacyPlanState.DRAFT and fresh(plan).submitted_at is None


def test_R46_deleting_a_kci_renumbers_and_approval_rechecks_five(org, entry):
    plan = plan_with_kcis(org, entry)
    with on(PLAN_DAY):
        plans.delete_kci(kci=plan.kcis.get(number=2), by=org.head.user)
        assert list(plan.kcis.values_list("number", flat=True)) == [1, 2, 3, 4]
        plans.save_kci(plan=plan, by=org.head.user, data=kci_data(5))
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
    # Five at submission; the approval counts again (a KCI cannot vanish, but the rule is the rule).
    assert fresh(plan).kcis.count() == 5


def test_R43_R44_form_9_pdf_prints_draft_until_approved(org, entry):
    plan = plan_with_kcis(org, entry)
    client = Client()
    client.force_login(org.head.user)
    url = reverse("legacy_commission:plan_pdf", kwargs={"legacy_plan_id": plan.pk})
    draft = client.get(url)
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(draft.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "ПРОЕКТ" in text and "Приложение 9" in text and "КЦИ 5" in text
    with on(PLAN_DAY):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        plans.plan_transition(plan=fresh(plan), name="approve", by=org.chairman.user)
    final = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(url).content)).pages)
    assert "ПРОЕКТ" not in final and org.staff[0].last_name in final


def test_R20_plan_is_seen_by_the_person_once_approved_and_by_the_evaluators_never_by_others(org, entry):
    plan = plan_with_kcis(org, entry)
    outsider = EmployeeFactory(organisation=org.organisation, user=UserFactory(username="colleague"))
    url = reverse("legacy_commission:plan_detail", kwargs={"legacy_plan_id": plan.pk})
    pdf = reverse("legacy_commission:plan_pdf", kwargs={"legacy_plan_id": plan.pk})

    def status(user, path=url, post=False):
        client = Client()
        client.force_login(user)
        return (client.post(path, {"reason": "x"}) if post else client.get(path)).status_code

    for user in (org.head.user, org.chairman.user, org.chief.user):
        assert status(user) == 200
    for user in (outsider.user, org.staff[1].user, org.official.user, org.staff[0].user):
        assert status(user) == 404 and status(user, pdf) == 404
        assert status(user, reverse("legacy_commission:plan_transition",
                                    kwargs={"legacy_plan_id": plan.pk, "name": "submit"}), post=True) == 404
    assert fresh(plan).state == LegacyPlanState.DRAFT
    approved = approved_plan(org, legacy_entry_for_second(org), day=D(2022, 4, 5))
    assert status(approved.entry.employee.user,
                  reverse("legacy_commission:plan_detail", kwargs={"legacy_plan_id": approved.pk})) == 200


def legacy_entry_for_second(org):
    """Another chapter-6 line (for a second person) of a II quarter 2022 schedule."""
    from appraisal.models import AbsenceKind
    from appraisal.services.schedules import approve_schedule, submit_schedule
    from tests.factories import AbsenceFactory

    person = org.staff[1]
    AbsenceFactory(employee=person, kind=AbsenceKind.DISABILITY, start=D(2022, 4, 4), end=D(2022, 5, 30))
    with on(D(2022, 4, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 2), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    return schedule.entries.get(employee=person)


def test_R43_plan_page_adds_kcis_and_refuses_a_sixth_with_the_rule(org, entry):
    plan = plan_with_kcis(org, entry, n=5)
    client = Client()
    client.force_login(org.head.user)
    with on(PLAN_DAY):
        page = client.get(reverse("legacy_commission:plan_detail", kwargs={"legacy_plan_id": plan.pk}))
        assert page.status_code == 200 and "kci-add" not in page.content.decode()  # five: no more form
        refused = client.post(reverse("legacy_commission:kci_add", kwargs={"legacy_plan_id": plan.pk}),
                              kci_data(6, deadline="2022-12-01"))
    assert refused.status_code == 400 and "п. 46" in refused.content.decode()
    assert plan.kcis.count() == 5


texts = st.text(max_size=600)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts, criterion=texts, resources=texts, aim_name=texts,
       aim_kind=st.sampled_from(["strategic_goal", "corps_a_agreement", "", "x", "national_project"]),
       deadline=st.one_of(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 1, 1)), st.text(max_size=12),
                          st.none(), st.integers()))
def test_R45_any_input_is_stored_as_given_or_refused_with_nothing_saved(org, title, criterion, resources, aim_name,
                                                                       aim_kind, deadline):
    entry = legacy_entry(org) if not LegacyPlan.objects.exists() else LegacyPlan.objects.get().entry
    plan = LegacyPlan.objects.first() or plan_with_kcis(org, entry, n=0)
    before = list(LegacyKci.objects.values_list("pk", flat=True))
    data = {"title": title, "criterion": criterion, "resources": resources, "aim_name": aim_name,
            "aim_kind": aim_kind, "deadline": deadline}
    with on(PLAN_DAY):
        try:
            kci = plans.save_kci(plan=plan, by=org.head.user, data=data)
        except ValidationError as exc:
            assert all("п. 4" in m or "символ" in m for m in exc.messages), exc.messages
            assert list(LegacyKci.objects.values_list("pk", flat=True)) == before
            return
    kci.refresh_from_db()
    assert kci.title == title.strip() and kci.criterion == criterion.strip() and 0 < len(kci.title) <= 500
    assert D(2022, 10, 1) <= kci.deadline <= D(2022, 12, 31)
    kci.delete()
