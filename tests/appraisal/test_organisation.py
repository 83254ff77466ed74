"""Bad input on the organisation model: an appointment ending before it starts, a dismissal
without its date, an absence ending before it starts — refused with a Russian message naming
the field, and the database refuses them even past the forms."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from appraisal.models import Absence, AbsenceKind, Appointment


@pytest.mark.django_db
def test_appointment_ending_before_it_starts_refused_naming_the_field(org):
    appointment = Appointment(employee=org.staff[0], position=org.head_position,
                              start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 30))
    with pytest.raises(ValidationError) as refused:
        appointment.full_clean()
    assert refused.value.message_dict["end"] == ["Дата освобождения раньше даты назначения."]
    with pytest.raises(IntegrityError), transaction.atomic():
        appointment.save()
    assert not Appointment.objects.filter(start=dt.date(2024, 5, 1)).exists()


@pytest.mark.django_db
def test_R6_dismissal_needs_its_date(org):
    appointment = Appointment(employee=org.staff[0], position=org.head_position, start=dt.date(2024, 5, 1),
                              dismissed=True)
    with pytest.raises(ValidationError) as refused:
        appointment.full_clean()
    assert "п. 6" in refused.value.message_dict["end"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        appointment.save()


@pytest.mark.django_db
def test_absence_ending_before_it_starts_refused(org):
    absence = Absence(employee=org.staff[0], kind=AbsenceKind.TRAINING, start=dt.date(2024, 5, 2), end=dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as refused:
        absence.full_clean()
    assert "end" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        absence.save()
