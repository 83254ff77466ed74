"""R10: the schedule is generated and submitted by the chief specialist, approved by the
appointing official; one approved schedule per period; transitions are safe under concurrency."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appraisal import hooks
from appraisal.models import Schedule, ScheduleEntry, ScheduleState
from appraisal.services.schedules import (
    approve_schedule,
    approved_schedule,
    generate_schedule,
    return_schedule,
    submit_schedule,
)
from tests.factories import quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_calls():
    calls = []

    def record(schedule):
        calls.append(schedule.pk)

    hooks.on_schedule_approved(record)
    yield calls
    hooks._schedule_approved.remove(record)


def _generate(org, period=None):
    return generate_schedule(organisation=org.organisation, period=period or quarter(2024, 1), by=org.chief.user)


def test_R10_generate_submit_approve_by_the_right_roles(org, approved_calls):
    schedule = _generate(org)
    assert schedule.state == ScheduleState.DRAFT
    assert schedule.entries.count() == 4  # head, chief, two staff
    assert approved_schedule(org.organisation, schedule.period) is None
    submit_schedule(schedule=schedule, by=org.chief.user)
    assert schedule.state == ScheduleState.ON_APPROVAL and schedule.submitted_at
    approve_schedule(schedule=schedule, by=org.official.user)
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.APPROVED
    assert schedule.approved_by == org.official.user
    assert approved_schedule(org.organisation, schedule.period) == schedule
    assert approved_calls == [schedule.pk]
    assert schedule.history.count() >= 3


def test_R10_wrong_role_refused_with_russian_message(org, approved_calls):
    with pytest.raises(PermissionDenied, match=r"п\. 10: график оценки формирует главный специалист"):
        generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.official.user)
    schedule = _generate(org)
    with pytest.raises(PermissionDenied, match=r"п\. 10"):
        submit_schedule(schedule=schedule, by=org.official.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    with pytest.raises(PermissionDenied, match=r"п\. 10: это действие выполняет другой участник процесса"):
        approve_schedule(schedule=schedule, by=org.chief.user)
    with pytest.raises(PermissionDenied):
        approve_schedule(schedule=schedule, by=org.staff[0].user)
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.ON_APPROVAL
    assert approved_calls == []


def test_R10_wrong_role_via_the_view_gets_a_message_and_nothing_changes(client, org):
    schedule = _generate(org)
    submit_schedule(schedule=schedule, by=org.chief.user)
    client.force_login(org.chief.user)
    response = client.post(reverse("schedule_transition", args=[schedule.pk, "approve"]))
    assert response.status_code == 302
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert any("п. 10" in t for t in texts), texts
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.ON_APPROVAL
    # The chief specialist is not offered the approve button.
    page = client.get(reverse("schedule_detail", args=[schedule.pk])).content.decode()
    assert "Утвердить" not in page
    client.force_login(org.official.user)
    page = client.get(reverse("schedule_detail", args=[schedule.pk])).content.decode()
    assert "Утвердить" in page and "Вернуть на доработку" in page
    response = client.post(reverse("schedule_transition", args=[schedule.pk, "approve"]))
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.APPROVED


def test_R10_return_for_rework_needs_a_reason(org):
    schedule = _generate(org)
    submit_schedule(schedule=schedule, by=org.chief.user)
    with pytest.raises(ValidationError, match="причину"):
        return_schedule(schedule=schedule, by=org.official.user, reason="  ")
    return_schedule(schedule=schedule, by=org.official.user, reason="Нет нового служащего")
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.DRAFT and schedule.return_reason == "Нет нового служащего"


def test_R10_overlapping_approved_schedule_refused(org, approved_calls):
    period = quarter(2024, 1)
    first = _generate(org, period)
    submit_schedule(schedule=first, by=org.chief.user)
    # A second schedule of the same period, also on approval (e.g. made before the rule was checked).
    second = Schedule.objects.create(organisation=org.organisation, period=period, state=ScheduleState.ON_APPROVAL)
    ScheduleEntry.objects.create(schedule=second, employee=org.staff[0], position=org.staff[0].appointments.get().position,
                                 method="ranking", participation="with", reason="regular", rule_id="R28")
    approve_schedule(schedule=first, by=org.official.user)
    with pytest.raises(ValidationError, match=r"п\. 10: на период .* уже утверждён график оценки"):
        approve_schedule(schedule=second, by=org.official.user)
    second.refresh_from_db()
    assert second.state == ScheduleState.ON_APPROVAL
    with pytest.raises(ValidationError, match=r"п\. 10"):
        generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    assert approved_calls == [first.pk]
    assert Schedule.objects.filter(state=ScheduleState.APPROVED).count() == 1


def test_R10_regenerating_a_draft_rebuilds_entries(org):
    period = quarter(2024, 1)
    schedule = _generate(org, period)
    assert schedule.entries.count() == 4
    org.add_staff(2, start=dt.date(2023, 1, 1))
    again = _generate(org, period)
    assert again.pk == schedule.pk
    assert again.entries.count() == 6
    assert Schedule.objects.filter(period=period).count() == 1


def test_R10_regenerating_updates_changed_lines_and_removes_departed_people(org):
    period = quarter(2024, 1)
    schedule = _generate(org, period)
    changed, departed = org.staff
    kept_pk = schedule.entries.get(employee=changed).pk
    changed.appointments.update(start=dt.date(2024, 3, 20))  # now under one month in the period (R5.1)
    departed.appointments.update(start=dt.date(2024, 5, 1))  # appointed only after the period
    _generate(org, period)
    entry = schedule.entries.get(employee=changed)
    assert entry.pk == kept_pk and entry.rule_id == "R5.1" and entry.participation == "not_evaluated"
    assert not schedule.entries.filter(employee=departed).exists()
    history_types = set(ScheduleEntry.history.filter(schedule_id=schedule.pk).values_list("history_type", flat=True))
    assert history_types == {"+", "~", "-"}


def test_R10_schedule_on_approval_cannot_be_regenerated(org):
    period = quarter(2024, 1)
    schedule = _generate(org, period)
    submit_schedule(schedule=schedule, by=org.chief.user)
    entry_ids = set(schedule.entries.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="на утверждении"):
        _generate(org, period)
    assert set(schedule.entries.values_list("pk", flat=True)) == entry_ids


def test_R10_empty_schedule_cannot_be_submitted(org):
    schedule = Schedule.objects.create(organisation=org.organisation, period=quarter(2024, 1))
    with pytest.raises(ValidationError, match="нет ни одного"):
        submit_schedule(schedule=schedule, by=org.chief.user)


def test_R10_concurrent_transition_refused_nothing_lost(org, approved_calls):
    schedule = _generate(org)
    submit_schedule(schedule=schedule, by=org.chief.user)
    copy_a = Schedule.objects.get(pk=schedule.pk)
    copy_b = Schedule.objects.get(pk=schedule.pk)
    approve_schedule(schedule=copy_a, by=org.official.user)
    with pytest.raises(ValidationError, match="изменён другим пользователем"):
        return_schedule(schedule=copy_b, by=org.official.user, reason="поздно")
    copy_c = Schedule.objects.get(pk=schedule.pk)
    assert copy_c.state == ScheduleState.APPROVED and copy_c.return_reason == ""
    copy_d = Schedule.objects.get(pk=schedule.pk)
    copy_d_stale = Schedule.objects.get(pk=schedule.pk)
    assert copy_d.state == copy_d_stale.state == ScheduleState.APPROVED
    assert approved_calls == [schedule.pk]


def test_R10_concurrent_double_approval_runs_the_hook_once(org, approved_calls):
    schedule = _generate(org)
    submit_schedule(schedule=schedule, by=org.chief.user)
    copy_a = Schedule.objects.get(pk=schedule.pk)
    copy_b = Schedule.objects.get(pk=schedule.pk)
    approve_schedule(schedule=copy_a, by=org.official.user)
    with pytest.raises(ValidationError):
        approve_schedule(schedule=copy_b, by=org.official.user)
    assert approved_calls == [schedule.pk]
    assert Schedule.objects.get(pk=schedule.pk).approved_by == org.official.user


def test_R10_schedule_uses_only_this_organisations_appointments(org):
    from tests.factories import AppointmentFactory, PositionFactory

    employee = org.staff[0]
    own_position = employee.appointments.get().position
    employee.appointments.update(end=dt.date(2024, 2, 29))  # transferred to another state body
    elsewhere = PositionFactory(title="Должность в другом органе")
    AppointmentFactory(employee=employee, position=elsewhere, start=dt.date(2024, 3, 1))
    entry = _generate(org).entries.get(employee=employee)
    assert entry.position == own_position
    assert entry.method == "ranking" and entry.participation == "with"


def test_R10_entries_have_history_rows(org):
    schedule = _generate(org)
    entries = list(schedule.entries.all())
    history = ScheduleEntry.history.filter(schedule_id=schedule.pk)
    assert history.count() == len(entries)
    assert {h.history_type for h in history} == {"+"}
    assert {h.history_user_id for h in history} == {org.chief.user.pk}
