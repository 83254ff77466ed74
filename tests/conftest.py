"""Shared fixtures: one small organisation shaped like the maslikhat apparatus, with named
personas for each role (the chairman, the head, the chief specialist, the appointing
official, two staff members)."""

import datetime as dt
from dataclasses import dataclass

import pytest

from appraisal.models import Employee, Organisation, Position, PositionKind, Role
from tests.factories import (
    AppointmentFactory,
    EmployeeFactory,
    OrganisationFactory,
    PositionFactory,
    RoleAssignmentFactory,
    UserFactory,
)


@dataclass
class Org:
    organisation: Organisation
    chairman_position: Position
    head_position: Position
    chairman: Employee
    head: Employee
    chief: Employee  # the chief specialist: also corps-B staff, evaluated by ranking
    official: Employee  # the appointing official
    staff: list[Employee]

    def add_staff(self, n: int, *, start=dt.date(2020, 1, 1), prefix="Служащий") -> list[Employee]:
        added = []
        for i in range(n):
            employee = EmployeeFactory(organisation=self.organisation, last_name=f"{prefix}{len(self.staff) + i}")
            position = PositionFactory(organisation=self.organisation, reports_to=self.head_position,
                                       title=f"{prefix} должность {len(self.staff) + i}")
            AppointmentFactory(employee=employee, position=position, start=start)
            added.append(employee)
        self.staff.extend(added)
        return added


def make_org(n_staff: int = 2) -> Org:
    organisation = OrganisationFactory(name="КГУ «Аппарат Акжарского районного маслихата»", short_name="Аппарат")
    chairman_position = PositionFactory(organisation=organisation, title="Председатель маслихата",
                                        kind=PositionKind.OTHER, category="")
    head_position = PositionFactory(organisation=organisation, title="Руководитель аппарата", kind=PositionKind.HEAD,
                                    category="Е-2", reports_to=chairman_position)
    chairman = EmployeeFactory(organisation=organisation, last_name="Жусупбеков", first_name="Мурат",
                               user=UserFactory(username="chairman"))
    head = EmployeeFactory(organisation=organisation, last_name="Серикбаева", first_name="Гульнара",
                           user=UserFactory(username="head"))
    chief = EmployeeFactory(organisation=organisation, last_name="Ахметова", first_name="Айгерим",
                            user=UserFactory(username="chief"))
    official = EmployeeFactory(organisation=organisation, last_name="Касымов", first_name="Ерлан",
                               user=UserFactory(username="official"))
    AppointmentFactory(employee=chairman, position=chairman_position, start=dt.date(2019, 1, 1))
    AppointmentFactory(employee=head, position=head_position, start=dt.date(2019, 1, 1))
    chief_position = PositionFactory(organisation=organisation, title="Главный специалист по кадрам",
                                     reports_to=head_position)
    AppointmentFactory(employee=chief, position=chief_position, start=dt.date(2019, 1, 1))
    RoleAssignmentFactory(organisation=organisation, user=chairman.user, role=Role.CHAIRMAN)
    RoleAssignmentFactory(organisation=organisation, user=chief.user, role=Role.CHIEF_SPECIALIST)
    RoleAssignmentFactory(organisation=organisation, user=official.user, role=Role.APPOINTING_OFFICIAL)
    org = Org(organisation, chairman_position, head_position, chairman, head, chief, official, [])
    org.add_staff(n_staff)
    return org


@pytest.fixture
def org(db) -> Org:
    return make_org()
