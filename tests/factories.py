import datetime as dt

import factory
from django.contrib.auth import get_user_model

from appraisal.models import (
    Absence,
    AbsenceKind,
    Appointment,
    Employee,
    Organisation,
    Period,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"КГУ «Аппарат маслихата № {n}»")
    short_name = factory.Sequence(lambda n: f"Аппарат № {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Главный специалист {n}")
    kind = PositionKind.STAFF
    category = "Е-4"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Асель"
    middle_name = "Маратовна"
    email = factory.Sequence(lambda n: f"employee{n}@example.kz")
    mobile = "+77010000000"


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    employee = factory.SubFactory(EmployeeFactory)
    position = factory.SubFactory(PositionFactory)
    start = dt.date(2020, 1, 1)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    employee = factory.SubFactory(EmployeeFactory)
    kind = AbsenceKind.LABOUR_LEAVE
    start = dt.date(2024, 4, 1)
    end = dt.date(2024, 4, 20)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CHIEF_SPECIALIST


def quarter(year: int, q: int) -> Period:
    """Periods 2023–2027 are seeded by a migration; others are made on demand."""
    start, end = Period.bounds("quarter", year, q)
    return Period.objects.get_or_create(kind="quarter", year=year, quarter=q, defaults={"start": start, "end": end})[0]


def year_period(year: int) -> Period:
    start, end = Period.bounds("year", year)
    return Period.objects.get_or_create(kind="year", year=year, quarter=None, defaults={"start": start, "end": end})[0]


def installation_admin(username: str = "installation_admin"):
    """A user with the installation-level role: she keeps the national working-day calendar
    for every body (appraisal.roles.is_installation_admin)."""
    from appraisal.services.installation import grant_installation_admin

    user = UserFactory(username=username)
    grant_installation_admin(user)
    return user
