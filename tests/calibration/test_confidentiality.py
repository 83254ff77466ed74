"""R20: the participants of a session see the case and the person's result for that period
from the approval of the composition until the protocol is posted; nobody else does — the
admin's superuser included, and the admin shows no score, vote or position."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from appraisal.selectors import results_visible_to, schedule_entries_visible_to
from calibration.services import session
from tests.calibration.conftest import at, compose
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _sees(user, case) -> bool:
    return schedule_entries_visible_to(user).filter(pk=case.result.entry_id).exists()


def _get(user, name, case, day):
    client = Client()
    with time_machine.travel(at(day, 12), tick=False):
        client.force_login(user)
        return client.get(reverse(name, args=[case.pk]))


def test_R20_participant_sees_the_result_only_between_composition_and_posting(org, case):
    member = org.staff[1].user
    assert not _sees(member, case)
    assert _get(member, "calibration:case", case, dt.date(2026, 10, 7)).status_code == 404
    compose(org, case)
    case.refresh_from_db()
    assert _sees(member, case) and results_visible_to(member).filter(pk=case.result_id).exists()
    assert _get(member, "calibration:case_file", case, dt.date(2026, 10, 8)).status_code == 200
    from tests.calibration.conftest import hold
    hold(org, case)
    case.refresh_from_db()
    with time_machine.travel(at(case.session_date, 16), tick=False):
        session.save_argument(case=case, by=org.head.user, text="Аргументы")
        for person in (org.chief, org.staff[1], org.chairman, org.head):
            session.cast_vote(case=case, by=person.user, choice="keep")
        session.sign_protocol(case=case, by=org.chief.user, signed_on=case.session_date)
        assert _sees(member, case)
        case.refresh_from_db()
        session.post_protocol(case=case, by=org.chief.user)
    case.refresh_from_db()
    assert not _sees(member, case)
    for name in ("calibration:case", "calibration:case_file", "calibration:protocol_pdf"):
        assert _get(member, name, case, dt.date(2026, 10, 20)).status_code == 404, name
    assert _get(org.staff[0].user, "calibration:protocol_pdf", case, dt.date(2026, 10, 20)).status_code == 200
    # The appointing official (here not a participant) still sees the decision, never the outcome.
    official = _get(org.official.user, "calibration:case", case, dt.date(2026, 10, 20)).content.decode()
    assert "протокол размещён" in official and "3,00" not in official and 'id="outcome"' not in official


def test_R20_outsider_and_superuser_get_404_on_every_case_page(org, case):
    compose(org, case)
    outsider = EmployeeFactory(organisation=org.organisation).user
    admin = get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345")
    for user in (outsider, admin):
        for name in ("calibration:case", "calibration:case_file", "calibration:protocol_pdf",
                     "calibration:feedback_pdf"):
            assert _get(user, name, case, dt.date(2026, 10, 8)).status_code == 404, (user, name)
        client = Client()
        with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False):
            client.force_login(user)
            response = client.post(reverse("calibration:vote", args=[case.pk]), {"choice": "keep"})
        assert response.status_code == 404


def test_R20_the_admin_shows_the_composition_but_no_application_score_vote_or_position(org, held):
    with time_machine.travel(at(held.session_date, 16), tick=False):
        session.save_argument(case=held, by=org.head.user, text="Секретный аргумент")
        session.cast_vote(case=held, by=org.chief.user, choice="adjust", score="4.75", position="Секретная позиция")
    root = get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345")
    client = Client()
    with time_machine.travel(at(held.session_date, 17), tick=False):
        client.force_login(root)
        pages = [client.get(reverse("admin:calibration_calibrationcase_change", args=[held.pk])),
                 client.get(reverse("admin:calibration_calibrationcase_changelist")),
                 client.get(reverse("admin:calibration_calibrationcase_history", args=[held.pk]))]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        for secret in ("Секретный аргумент", "Секретная позиция", "4,75", "4.75", "3,00", "3.00", "Не согласна"):
            assert secret not in page, secret
    assert org.chairman.short_name in pages[0].content.decode()  # the composition is shown


def test_R20_the_official_sees_the_application_but_not_the_result(org, case):
    page = _get(org.official.user, "calibration:case", case, dt.date(2026, 10, 8)).content.decode()
    assert "Не согласна" in page and "3,00" not in page and "3.00" not in page
    assert _get(org.official.user, "calibration:case_file", case, dt.date(2026, 10, 8)).status_code == 404


def test_R40_case_file_links_the_sheet_and_pdf_which_participants_open_only_in_the_window(org):
    from tests.calibration.conftest import acknowledge, file, ranked

    result, sheet = ranked(org)
    member = org.staff[1].user
    client = Client()
    sheet_url = reverse("ranking:sheet", args=[sheet.pk])
    with time_machine.travel(at(dt.date(2026, 10, 5), 17), tick=False):
        client.force_login(member)
        assert client.get(sheet_url).status_code == 404  # not a participant yet
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    compose(org, case)
    with time_machine.travel(at(dt.date(2026, 10, 8), 12), tick=False):
        client.force_login(member)
        page = client.get(reverse("calibration:case_file", args=[case.pk])).content.decode()
        assert sheet_url in page and reverse("ranking:sheet_pdf", args=[sheet.pk]) in page
        assert "Не согласна" in page  # the application is in the file
        assert client.get(sheet_url).status_code == 200
        assert client.get(reverse("ranking:sheet_pdf", args=[sheet.pk])).status_code == 200
