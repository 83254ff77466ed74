"""R21–R25: the individual work plan, its KCIs, transitions and amendments."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal.models import Method, Participation, ScheduleState
from appraisal.services import schedules
from kci import services
from kci.models import IndividualPlan, Kci, PlanState, PlanVersion
from kci.selectors import plan_deadlines
from tests.factories import AppointmentFactory, EmployeeFactory, UserFactory, quarter
from tests.kci.conftest import approved_schedule, head_entry, kci_data, plan_with_kcis, posted_plan


def test_R21_head_is_evaluated_by_kci_and_staff_are_not(org, schedule, entry):
    plan = services.create_plan(entry=entry, by=org.chairman.user)
    assert plan.entry.employee == org.head
    staff_entry = schedule.entries.get(employee=org.staff[0])
    assert staff_entry.method == Method.RANKING
    with pytest.raises(ValidationError, match=r"п. 21"):
        services.create_plan(entry=staff_entry, by=org.chairman.user)


def test_R10_no_plan_without_approved_schedule(org, q2):
    schedule = schedules.generate_schedule(organisation=org.organisation, period=q2, by=org.chief.user)
    assert schedule.state != ScheduleState.APPROVED
    with pytest.raises(ValidationError, match=r"п. 10"):
        services.create_plan(entry=head_entry(schedule, org), by=org.chairman.user)
    assert not IndividualPlan.objects.exists()


def test_R22_1_only_the_evaluator_drafts_the_plan(org, entry):
    for user in (org.chief.user, org.head.user, org.official.user):
        with pytest.raises(PermissionDenied, match=r"п. 22.1"):
            services.create_plan(entry=entry, by=user)
    assert services.create_plan(entry=entry, by=org.chairman.user).state == PlanState.DRAFT


def test_R22_1_plan_due_in_10_working_days_and_flagged_overdue_not_blocked(org, entry, q2):
    plan = plan_with_kcis(org, entry)
    # 1 April 2025 is a Tuesday; ten working days after it: 15 April.
    statuses = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 4, 10))}
    assert statuses["R22.1"].date == dt.date(2025, 4, 15)
    assert not statuses["R22.1"].overdue
    assert {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 4, 16))}["R22.1"].overdue
    with time_machine.travel(dt.datetime(2025, 4, 25, 10), tick=False):
        services.plan_transition(plan=plan, name="agree", by=org.chief.user)
        services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED  # late, but not void: flagged
    status = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 4, 26))}["R22.1"]
    assert status.done_on == dt.date(2025, 4, 25) and status.overdue


def test_R22_2_deadline_from_a_later_appointment(org):
    q3 = quarter(2025, 3)
    org.head.appointments.update(end=dt.date(2025, 6, 30))
    new_head = EmployeeFactory(organisation=org.organisation, user=UserFactory(username="newhead2"))
    AppointmentFactory(employee=new_head, position=org.head_position, start=dt.date(2025, 7, 1))
    schedule = approved_schedule(org, q3)
    plan = services.create_plan(entry=schedule.entries.get(employee=new_head), by=org.chairman.user)
    # moving the appointment into the period: the deadline follows it (R22.2)
    new_head.appointments.update(start=dt.date(2025, 7, 3))
    statuses = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 7, 4))}
    assert "R22.2" in statuses
    # 3 July 2025 (Thu) + 10 working days; Capital Day (Sun 6 July) moves the day off to
    # Monday 7 July, so the tenth working day is 18 July.
    assert statuses["R22.2"].date == dt.date(2025, 7, 18)
    assert not statuses["R22.2"].overdue


def test_R22_3_posting_due_five_working_days_after_approval(org, entry):
    plan = plan_with_kcis(org, entry)
    with time_machine.travel(dt.datetime(2025, 4, 7, 10), tick=False):  # Monday
        services.plan_transition(plan=plan, name="agree", by=org.chief.user)
        services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    plan.refresh_from_db()
    status = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 4, 14))}["R22.3"]
    assert status.date == dt.date(2025, 4, 14) and not status.overdue
    assert {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 4, 15))}["R22.3"].overdue
    with pytest.raises(PermissionDenied, match=r"п. 22.3"):
        services.plan_transition(plan=plan, name="post", by=org.chairman.user)
    services.plan_transition(plan=plan, name="post", by=org.chief.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.POSTED


def test_R22_4_no_plan_with_two_months_left(org):
    q2 = quarter(2025, 2)
    org.head.appointments.update(start=dt.date(2025, 4, 20))
    schedule = approved_schedule(org, q2, on=dt.date(2025, 4, 21))
    entry = head_entry(schedule, org)
    assert entry.method == Method.NONE and entry.rule_id == "R22.4"
    assert entry.participation == Participation.NOT_EVALUATED
    with pytest.raises(ValidationError, match=r"п. 22.4"):
        services.create_plan(entry=entry, by=org.chairman.user)
    assert not IndividualPlan.objects.exists()


def test_R22_roles_each_transition_only_by_its_role(org, entry):
    plan = plan_with_kcis(org, entry)
    with pytest.raises(PermissionDenied, match=r"согласовывает главный специалист"):
        services.plan_transition(plan=plan, name="agree", by=org.chairman.user)
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, name="agree", by=org.head.user)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    with pytest.raises(PermissionDenied, match=r"утверждает оценивающее лицо"):
        services.plan_transition(plan=plan, name="approve", by=org.chief.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.AGREED
    buttons = {t.name for t in plan.get_available_user_state_transitions(org.chairman.user)}
    assert buttons == {"approve", "return_to_draft"}
    assert {t.name for t in plan.get_available_user_state_transitions(org.head.user)} == set()


def test_R22_1_role_refusal_in_the_users_language(org, entry):
    """The refusal is translated when it is raised, not once when the module is imported."""
    from django.utils import translation

    plan = plan_with_kcis(org, entry)
    with translation.override("kk"), pytest.raises(PermissionDenied) as refused:
        services.plan_transition(plan=plan, name="agree", by=org.chairman.user)
    with translation.override("kk"):
        assert str(refused.value) == "22.1-т.: ТНК-ны бас маман келіседі."


def test_R23_two_kcis_refused(org, entry):
    plan = plan_with_kcis(org, entry, n=2)
    with pytest.raises(ValidationError, match=r"п. 23: от 3 до 5 КЦИ"):
        services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_R23_six_kcis_refused(org, entry):
    plan = plan_with_kcis(org, entry, n=5)
    with pytest.raises(ValidationError, match=r"п. 23: от 3 до 5 КЦИ"):
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(title="шестой"))
    assert plan.kcis.count() == 5
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)


@pytest.mark.parametrize("field,value,rule", [
    ("title", "", "конкретн"), ("unit", " ", "измерения"), ("target", "abc", "число"),
    ("target", "0", "п. 27"), ("deadline", "2025-07-01", "в пределах оцениваемого периода"),
    ("resources", "", "достижим"), ("document_kind", "", "направлен"), ("document_name", "", "документ"),
    ("indicator_kind", "other", "вид показателя"),
])
def test_R24_every_smart_field_required(org, entry, field, value, rule):
    plan = services.create_plan(entry=entry, by=org.chairman.user)
    with pytest.raises(ValidationError) as exc:
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(**{field: value}))
    assert field in exc.value.message_dict
    assert rule in " ".join(exc.value.message_dict[field])
    assert not Kci.objects.exists()


def test_R24_kci_edits_only_in_draft_and_by_evaluator(org, entry):
    plan = posted_plan(org, entry)
    kci = plan.kcis.first()
    with pytest.raises(ValidationError, match=r"п. 25"):
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(title="иначе"), kci=kci)
    kci.refresh_from_db()
    assert kci.title == "КЦИ 1"


def test_R25_amendment_without_reason_refused(org, entry):
    plan = posted_plan(org, entry)
    for basis, reason in (("", "реорганизация"), ("structure", "  "), ("other", "просто так")):
        with pytest.raises(ValidationError, match=r"п. 25"):
            services.plan_transition(plan=plan, name="amend", by=org.chairman.user, basis=basis, reason=reason)
    plan.refresh_from_db()
    assert plan.state == PlanState.POSTED and plan.version == 1


def test_R25_amendment_is_approved_like_the_plan_and_keeps_every_version(org, entry):
    plan = posted_plan(org, entry)
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, name="amend", by=org.head.user, basis="functions", reason="x")
    services.plan_transition(plan=plan, name="amend", by=org.chairman.user, basis="structure",
                             reason="Приказ № 12: передача функций отдела")
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.version == 2
    first = plan.kcis.first()
    services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(title="КЦИ 1 в новой редакции"), kci=first)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].kcis[0]["title"] == "КЦИ 1"
    assert versions[1].kcis[0]["title"] == "КЦИ 1 в новой редакции"
    assert versions[1].amendment_basis == "structure"
    assert first.history.count() == 2  # the row's own history too


def test_R19_chief_may_return_agreed_plan_with_reason(org, entry):
    plan = plan_with_kcis(org, entry)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    with pytest.raises(ValidationError):
        services.plan_transition(plan=plan, name="return_to_draft", by=org.chief.user, reason="")
    services.plan_transition(plan=plan, name="return_to_draft", by=org.chief.user, reason="уточнить КЦИ 2")
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.return_reason == "уточнить КЦИ 2"


def test_concurrent_plan_transition_second_is_told(org, entry):
    plan = plan_with_kcis(org, entry)
    stale = IndividualPlan.objects.get(pk=plan.pk)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    with pytest.raises(ValidationError):
        services.plan_transition(plan=stale, name="agree", by=org.chief.user)
    assert IndividualPlan.objects.get(pk=plan.pk).state == PlanState.AGREED
