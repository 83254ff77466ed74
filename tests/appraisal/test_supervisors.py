"""R2 (definitions 1–2): the direct and the higher supervisor follow from the positions and
who holds them on a given date; nobody types them."""

import datetime as dt

import pytest

from appraisal.models import Appointment
from appraisal.selectors import higher_supervisor_of, holders_by_position, supervisor_of
from tests.factories import AppointmentFactory, EmployeeFactory


def _holders(org, day):
    appointments = list(Appointment.objects.filter(position__organisation=org.organisation).select_related("employee"))
    return holders_by_position(appointments, day)


@pytest.mark.django_db
def test_R2_direct_and_higher_supervisor_of_staff_are_head_and_chairman(org):
    staff_position = org.staff[0].appointments.get().position
    holders = _holders(org, dt.date(2024, 6, 30))
    assert supervisor_of(staff_position, holders) == org.head
    assert higher_supervisor_of(staff_position, holders) == org.chairman
    # The head's direct supervisor is the chairman, and nobody stands above the chairman.
    assert supervisor_of(org.head_position, holders) == org.chairman
    assert higher_supervisor_of(org.head_position, holders) is None


@pytest.mark.django_db
def test_R2_supervisor_changes_with_the_holder_on_the_date(org):
    """A new head appointed on 1 July is the supervisor from that day, not before."""
    org.head.appointments.update(end=dt.date(2024, 6, 30), dismissed=True)
    new_head = EmployeeFactory(organisation=org.organisation, last_name="Новый")
    AppointmentFactory(employee=new_head, position=org.head_position, start=dt.date(2024, 7, 1))
    staff_position = org.staff[0].appointments.get().position
    assert supervisor_of(staff_position, _holders(org, dt.date(2024, 6, 30))) == org.head
    assert supervisor_of(staff_position, _holders(org, dt.date(2024, 7, 1))) == new_head
