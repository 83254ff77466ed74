"""Shared fixtures: one small organisation shaped like the maslikhat apparatus, with named
personas for each role (the chairman, the head, the chief specialist, the appointing
official, two staff members)."""

import datetime as dt
from dataclasses import dataclass

import pytest

from appraisal.models import Employee, Organisation, Position, PositionKind, Role
from appraisal.services.editions import start_organisation
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


def make_org(n_staff: int = 2, usernames: str = "") -> Org:
    """`usernames` prefixes the log-ins, so that a test can make a second body (issue 12.6)."""
    organisation = OrganisationFactory(name="КГУ «Аппарат Акжарского районного маслихата»", short_name="Аппарат")
    chairman_position = PositionFactory(organisation=organisation, title="Председатель маслихата",
                                        kind=PositionKind.OTHER, category="")
    head_position = PositionFactory(organisation=organisation, title="Руководитель аппарата", kind=PositionKind.HEAD,
                                    category="Е-2", reports_to=chairman_position)
    chairman = EmployeeFactory(organisation=organisation, last_name="Жусупбеков", first_name="Мурат",
                               user=UserFactory(username=f"{usernames}chairman"))
    head = EmployeeFactory(organisation=organisation, last_name="Серикбаева", first_name="Гульнара",
                           user=UserFactory(username=f"{usernames}head"))
    chief = EmployeeFactory(organisation=organisation, last_name="Ахметова", first_name="Айгерим",
                            user=UserFactory(username=f"{usernames}chief"))
    official = EmployeeFactory(organisation=organisation, last_name="Касымов", first_name="Ерлан",
                               user=UserFactory(username=f"{usernames}official"))
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
    start_organisation(organisation)  # as in production: its own copies of the template editions
    return org


@pytest.fixture
def org(db) -> Org:
    return make_org()


# --- transactional tests keep the reference data ---------------------------------------
# Migrations seed reference data (the methodology edition, periods, the chapter apps'
# default tables). A transactional test (live_server, threads) ends with a flush that wipes
# it. Every transactional test therefore runs with serialized_rollback, and, as the
# guarantee, the migrations' own idempotent seeders run again when the data is missing:
# restoring a snapshot depends on which connection object holds it, and Playwright's event
# loop makes Django's connections context-local.

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}
REFERENCE_SEEDERS = (
    ("appraisal.migrations.0002_seed_edition_and_periods", "seed"),
    ("kci.migrations.0002_seed_default_score_table", "seed"),
    ("ranking.migrations.0002_seed_parameters", "seed"),
    ("survey360.migrations.0002_seed_questionnaires", "forwards"),
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


def reseed_reference_data() -> None:
    from importlib import import_module

    from django.apps import apps

    for module, function in REFERENCE_SEEDERS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from appraisal.models import MethodologyEdition

    if not MethodologyEdition.objects.exists():
        reseed_reference_data()
