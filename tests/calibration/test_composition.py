"""R38–R40: the decision to hold the session, its composition and date, the invitations."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from appraisal.models import OutboxMessage
from appraisal.notifications.outbox import send_due
from calibration.models import CaseState, Participant, ParticipantRole
from calibration.services import composition
from tests.calibration.conftest import at, compose, working_day

pytestmark = pytest.mark.django_db


def test_R38_composition_on_the_third_working_day_is_not_late(org, case):
    due = working_day(dt.date(2026, 10, 7), 3)
    assert case.composition_due == due
    compose(org, case, when=at(due), session_date=due)
    case.refresh_from_db()
    assert case.state == CaseState.COMPOSITION_APPROVED and not case.composition_late


def test_R38_composition_the_day_after_is_approved_and_flagged_late(org, case):
    due = case.composition_due
    compose(org, case, when=at(due + dt.timedelta(days=1)), session_date=due + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == CaseState.COMPOSITION_APPROVED and case.composition_late
    invite = OutboxMessage.objects.filter(rule_id="R39").first()
    assert "п. 38" in invite.body  # the participants are told the decision came late


def test_R38_only_the_appointing_official_approves(org, case):
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False), pytest.raises(PermissionDenied):
        composition.approve_composition(case=case, by=org.chief.user, session_date=dt.date(2026, 10, 9),
                                        place="каб. 1", members=[org.staff[1]])
    case.refresh_from_db()
    assert case.state == CaseState.FILED and not Participant.objects.exists()


def test_R38_composition_holds_the_evaluator_the_chief_specialist_and_the_members(org, case):
    compose(org, case)
    seats = {(p.employee_id, p.role) for p in Participant.objects.filter(case=case)}
    assert seats == {(org.head.pk, ParticipantRole.EVALUATOR), (org.chief.pk, ParticipantRole.ORGANISER),
                     (org.staff[1].pk, ParticipantRole.MEMBER), (org.chairman.pk, ParticipantRole.MEMBER)}


def test_R38_the_evaluated_person_does_not_sit_in_their_own_session(org, case):
    with pytest.raises(ValidationError) as refused:
        compose(org, case, members=[org.staff[0]])
    assert "п. 38" in refused.value.messages[0]
    assert not Participant.objects.exists()


def test_R39_session_on_the_tenth_working_day_is_accepted(org, case):
    due = working_day(dt.date(2026, 10, 7), 10)
    assert case.session_due == due
    compose(org, case, session_date=due)
    case.refresh_from_db()
    assert case.session_date == due


def test_R39_session_the_day_after_the_tenth_working_day_is_refused_naming_the_rule(org, case):
    with pytest.raises(ValidationError) as refused:
        compose(org, case, session_date=case.session_due + dt.timedelta(days=1))
    assert "п. 39" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.state == CaseState.FILED and not Participant.objects.exists()
    assert not OutboxMessage.objects.filter(rule_id="R39").exists()


def test_R39_participants_get_date_and_place_with_an_ics_invitation(org, case):
    compose(org, case, session_date=dt.date(2026, 10, 9))
    with time_machine.travel(at(dt.date(2026, 10, 8), 12), tick=False):
        send_due()
    invites = [m for m in mail.outbox if m.to == [org.staff[1].email]]
    assert len(invites) == 1
    body = invites[0].body
    assert "09.10.2026" in body and "Малый зал" in body
    (filename, content, mimetype), = invites[0].attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "DTSTART:20261009T100000Z" in content and "LOCATION:Малый зал\\, каб. 12" in content
    assert "3.00" not in content and "3.00" not in body  # no score leaves in an invitation


def test_R40_the_chief_specialist_opens_the_session_on_its_day(org, case):
    compose(org, case, session_date=dt.date(2026, 10, 9))
    case.refresh_from_db()
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False), pytest.raises(ValidationError):
        from calibration.services.session import open_session
        open_session(case=case, by=org.chief.user)
    with time_machine.travel(at(dt.date(2026, 10, 9)), tick=False), pytest.raises(PermissionDenied):
        open_session(case=case, by=org.official.user)
    with time_machine.travel(at(dt.date(2026, 10, 9)), tick=False):
        open_session(case=case, by=org.chief.user)
    case.refresh_from_db()
    assert case.state == CaseState.HELD


def test_R38_official_approves_on_the_page(org, case):
    client = Client()
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False):
        client.force_login(org.official.user)
        page = client.get(reverse("calibration:case", args=[case.pk])).content.decode()
        assert 'id="composition"' in page
        assert "3,00" not in page and "3.00" not in page  # the official decides without the score (R20)
        client.post(reverse("calibration:compose", args=[case.pk]), {
            "session_date": "2026-10-12", "session_time": "10:00", "place": "каб. 3",
            "members": [org.staff[1].pk, org.chairman.pk]})
    case.refresh_from_db()
    assert case.state == CaseState.COMPOSITION_APPROVED and case.session_date == dt.date(2026, 10, 12)


def test_R38_official_approves_in_the_admin_through_the_same_service(org, case):
    org.official.user.is_staff = True
    org.official.user.save()
    from django.contrib.auth.models import Permission
    org.official.user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="calibration", codename__in=["view_calibrationcase", "change_calibrationcase"]))
    client = Client()
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False):
        client.force_login(org.official.user)
        url = reverse("admin:calibration_calibrationcase_transition", args=[case.pk, "approve_composition"])
        change = client.get(reverse("admin:calibration_calibrationcase_change", args=[case.pk])).content.decode()
        assert "approve_composition" in change and "Не согласна" not in change
        late = client.post(url, {"session_date": "2026-11-30", "place": "каб. 3",
                                 "members": [org.staff[1].pk, org.chairman.pk]}, follow=True)
        assert "п. 39" in late.content.decode().lower()  # the admin capitalises its messages
        client.post(url, {"session_date": "2026-10-12", "session_time": "10:00", "place": "каб. 3",
                          "members": [org.staff[1].pk, org.chairman.pk]})
    case.refresh_from_db()
    assert case.state == CaseState.COMPOSITION_APPROVED and case.decided_by == org.official.user
    assert Participant.objects.filter(case=case).count() == 4


def test_R38_official_home_lists_the_application_with_its_day_and_flags_it_late_the_day_after(org, case):
    client = Client()
    due = case.composition_due
    with time_machine.travel(at(due), tick=False):
        client.force_login(org.official.user)
        page = client.get(reverse("home")).content.decode()
    assert 'id="calibration-home"' in page and due.strftime("%d.%m.%Y") in page and "срок п. 38 истёк" not in page
    with time_machine.travel(at(due + dt.timedelta(days=1)), tick=False):
        client.force_login(org.official.user)
        page = client.get(reverse("home")).content.decode()
    assert "срок п. 38 истёк" in page


def _dismiss(employee, on: dt.date) -> None:
    employee.appointments.update(end=on, dismissed=True)


def test_R38_a_dismissed_employee_is_not_offered_and_is_refused_as_a_member(org, case):
    _dismiss(org.staff[1], dt.date(2026, 10, 7))  # left the apparatus before the decision
    client = Client()
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False):
        client.force_login(org.official.user)
        page = client.get(reverse("calibration:case", args=[case.pk])).content.decode()
        assert f'value="{org.staff[1].pk}"' not in page and f'value="{org.chairman.pk}"' in page
    with pytest.raises(ValidationError) as refused:
        compose(org, case, members=[org.staff[1], org.chairman])
    assert "п. 38" in refused.value.messages[0] and org.staff[1].short_name in refused.value.messages[0]
    case.refresh_from_db()
    assert case.state == CaseState.FILED and not Participant.objects.exists()


def test_R38_a_member_leaving_before_the_session_day_is_refused(org, case):
    _dismiss(org.staff[1], dt.date(2026, 10, 9))  # serving on the decision day, gone on the session day
    with pytest.raises(ValidationError) as refused:
        compose(org, case, session_date=dt.date(2026, 10, 12), members=[org.staff[1], org.chairman])
    assert "п. 38" in refused.value.messages[0]
    assert not Participant.objects.exists()


def test_R38_admin_case_page_names_the_people_in_russian(org, case):
    from django.contrib.auth.models import Permission
    org.official.user.is_staff = True
    org.official.user.save()
    org.official.user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="calibration", codename__in=["view_calibrationcase", "change_calibrationcase"]))
    client = Client()
    client.force_login(org.official.user)
    page = client.get(reverse("admin:calibration_calibrationcase_change", args=[case.pk])).content.decode()
    assert "Заявление подал(а)" in page
    for english in ("Filed by", "Decided by", "Posted by"):
        assert english not in page


def test_R38_an_evaluator_whose_account_is_closed_is_named_and_nothing_is_approved(org, case):
    # The evaluator left (the account closed): seated, they could neither argue nor vote,
    # and the session would hang at «голосование» for good.
    org.head.user.is_active = False
    org.head.user.save()
    with pytest.raises(ValidationError) as refused:
        compose(org, case)
    message = refused.value.messages[0]
    assert "п. 41" in message and org.head.short_name in message
    case.refresh_from_db()
    assert case.state == CaseState.FILED and not Participant.objects.exists()


def test_R39_a_participant_reads_when_and_where_and_that_voting_opens_on_the_day(org, case):
    compose(org, case)
    client = Client()
    client.force_login(org.staff[1].user)
    page = client.get(reverse("calibration:case", args=[case.pk])).content.decode()
    step = page[page.index('id="next-step"'):][:400]
    assert "08.10.2026 в 15:00" in step and "Малый зал, каб. 12" in step and "п. 41" in step
