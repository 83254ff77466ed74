"""R16: the chief specialist's register of procedure disputes, with its resolution."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from appraisal.models import Dispute, DisputeState
from appraisal.services.disputes import register_dispute, resolve_dispute
from appraisal.validation import EARLIEST_DATE
from tests.conftest import make_org
from tests.factories import EmployeeFactory, OrganisationFactory, RoleAssignmentFactory, UserFactory
from tests.input_strategies import any_date, any_value, limits_settings

TODAY = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def org(db):
    with time_machine.travel(TODAY, tick=False):
        yield make_org()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _other_chief():
    """The chief specialist of another organisation."""
    chief = EmployeeFactory(organisation=OrganisationFactory(), user=UserFactory(username="other_chief"))
    RoleAssignmentFactory(organisation=chief.organisation, user=chief.user, role="chief_specialist")
    return chief


def _dispute(org, **kwargs):
    data = {"organisation": org.organisation, "raised_by": org.staff[0], "raised_on": dt.date(2026, 11, 18),
            "subject": "Не ознакомлена с графиком оценки", "by": org.chief.user, **kwargs}
    return register_dispute(**data)


def test_R16_chief_registers_and_resolves_a_dispute_with_history(org):
    dispute = _dispute(org)
    assert dispute.state == DisputeState.OPEN and dispute.raised_by_name == org.staff[0].full_name
    resolve_dispute(dispute=dispute, resolution="Разъяснено, график вручён повторно",
                    resolved_on=dt.date(2026, 11, 19), by=org.chief.user)
    dispute.refresh_from_db()
    assert (dispute.state, dispute.resolved_on, dispute.resolved_by) == (
        DisputeState.RESOLVED, dt.date(2026, 11, 19), org.chief.user)
    assert [h.state for h in dispute.history.order_by("history_date")] == ["open", "resolved"]
    assert dispute.history.first().history_user == org.chief.user


def test_R16_a_dispute_raised_by_someone_without_a_record(org):
    dispute = _dispute(org, raised_by=None, raised_by_text="Иванов И. И., бывший служащий")
    assert dispute.raised_by_name == "Иванов И. И., бывший служащий"


@pytest.mark.parametrize("change, message", [
    ({"raised_by": None}, "укажите заявителя"),
    ({"raised_by_text": "Иное лицо"}, "одним способом"),
    ({"subject": "   "}, "укажите предмет спора"),
    ({"subject": "x" * 2001}, "не более 2000 знаков"),
    ({"raised_by": None, "raised_by_text": "И" * 301}, "не более 300 знаков"),
    ({"raised_on": dt.date(2026, 11, 21)}, "ещё не наступила"),
    ({"raised_on": None}, "не указана дата обращения"),
])
def test_R16_register_refuses_bad_input_naming_the_rule_and_saves_nothing(org, change, message):
    with pytest.raises(ValidationError, match=rf"п\. 16: .*{message}"):
        _dispute(org, **change)
    assert not Dispute.objects.exists()


def test_R16_register_accepts_today_and_2000_characters(org):
    assert _dispute(org, raised_on=dt.date(2026, 11, 20), subject="x" * 2000).pk


def test_R16_register_refuses_an_employee_of_another_organisation(org):
    with pytest.raises(ValidationError, match=r"п\. 16"):
        _dispute(org, raised_by=_other_chief())
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("resolved_on, resolution, message", [
    (dt.date(2026, 11, 17), "Разъяснено", "раньше даты обращения"),
    (dt.date(2026, 11, 21), "Разъяснено", "ещё не наступила"),
    (dt.date(2026, 11, 19), "", "укажите решение"),
    (dt.date(2026, 11, 19), "р" * 2001, "не более 2000 знаков"),
])
def test_R16_resolution_refused_with_bad_date_or_text_and_the_dispute_stays_open(org, resolved_on, resolution,
                                                                                  message):
    dispute = _dispute(org)
    with pytest.raises(ValidationError, match=rf"п\. 16: .*{message}"):
        resolve_dispute(dispute=dispute, resolution=resolution, resolved_on=resolved_on, by=org.chief.user)
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.OPEN and dispute.resolution == "" and dispute.history.count() == 1


def test_R16_resolution_on_the_day_raised_is_allowed_and_only_once(org):
    dispute = _dispute(org)
    resolve_dispute(dispute=dispute, resolution="Отказано", resolved_on=dt.date(2026, 11, 18), by=org.chief.user)
    with pytest.raises(ValidationError, match=r"п\. 16: спор уже рассмотрен"):
        resolve_dispute(dispute=dispute, resolution="Иначе", resolved_on=dt.date(2026, 11, 19), by=org.chief.user)
    dispute.refresh_from_db()
    assert dispute.resolution == "Отказано"


def test_R16_only_the_chief_specialist_writes_to_the_register(org):
    with pytest.raises(PermissionDenied, match=r"п\. 16"):
        _dispute(org, by=org.official.user)
    dispute = _dispute(org)
    with pytest.raises(PermissionDenied, match=r"п\. 16"):
        resolve_dispute(dispute=dispute, resolution="x", resolved_on=dt.date(2026, 11, 19), by=org.chairman.user)
    assert Dispute.objects.get().state == DisputeState.OPEN


def test_R16_pages_add_and_resolve_through_the_chief_specialist(org):
    client = _client(org.chief.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("dispute_list") in home
    response = client.post(reverse("dispute_list"), {
        "raised_by": org.staff[1].pk, "raised_on": "2026-11-19", "subject": "Срок ознакомления нарушен"})
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dispute_detail", args=[dispute.pk])
    page = client.get(reverse("dispute_list")).content.decode()
    assert "Срок ознакомления нарушен" in page and org.staff[1].full_name in page
    refused = client.post(reverse("dispute_detail", args=[dispute.pk]),
                          {"resolution": "Решено", "resolved_on": "2026-11-18"})
    assert "п. 16: дата решения 18.11.2026 раньше даты обращения 19.11.2026" in refused.content.decode()
    client.post(reverse("dispute_detail", args=[dispute.pk]), {"resolution": "Решено", "resolved_on": "2026-11-20"})
    page = client.get(reverse("dispute_detail", args=[dispute.pk])).content.decode()
    assert "Решено" in page and "20.11.2026" in page and "рассмотрен" in page


def test_R16_register_is_404_for_everyone_but_the_chief_specialist_on_get_and_post(org):
    dispute = _dispute(org)
    other_chief = _other_chief().user
    for user in (org.staff[0].user, org.head.user, org.official.user, org.chairman.user, other_chief):
        client = _client(user)
        urls = [reverse("dispute_detail", args=[dispute.pk])]
        if user == other_chief:  # her own (empty) register, without this organisation's dispute
            assert "Не ознакомлена" not in client.get(reverse("dispute_list")).content.decode()
        else:
            urls.append(reverse("dispute_list"))
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"resolution": "x", "resolved_on": "2026-11-19", "subject": "x",
                                     "raised_on": "2026-11-19", "raised_by_text": "x"}).status_code == 404
    assert Dispute.objects.count() == 1 and Dispute.objects.get().state == DisputeState.OPEN


def _register_or_refusal(org, **kwargs):
    """What the register does with an input: the dispute saved, or the refusal with nothing saved."""
    before = list(Dispute.objects.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            return _dispute(org, **kwargs)
    except ValidationError as exc:
        assert all(m.startswith("п. 16:") for m in exc.messages), exc.messages
        assert list(Dispute.objects.values_list("pk", flat=True)) == before
        return None


@limits_settings
@given(subject=any_value(), raised_by_text=any_value(), raised_on=st.one_of(any_date(), any_value()))
def test_R16_register_with_arbitrary_input_never_fails_and_refusal_stores_nothing(org, subject, raised_by_text,
                                                                                 raised_on):
    with time_machine.travel(TODAY, tick=False):
        dispute = _register_or_refusal(org, raised_by=None, raised_by_text=raised_by_text, raised_on=raised_on,
                                       subject=subject)
    if dispute is not None:
        dispute.refresh_from_db()  # stored exactly as typed (trimmed), nothing cut
        assert dispute.subject == str(subject).strip() and dispute.raised_by_text == str(raised_by_text).strip()
        assert "\x00" not in dispute.subject + dispute.raised_by_text
        assert EARLIEST_DATE <= dispute.raised_on <= TODAY.date()


@limits_settings
@given(resolution=any_value(), resolved_on=st.one_of(any_date(), any_value()))
def test_R16_resolution_with_arbitrary_input_never_fails_and_refusal_leaves_the_dispute_open(org, resolution,
                                                                                             resolved_on):
    with time_machine.travel(TODAY, tick=False):
        dispute = Dispute.objects.filter(state=DisputeState.OPEN).first() or _dispute(org)
        try:
            with transaction.atomic():
                resolve_dispute(dispute=dispute, resolution=resolution, resolved_on=resolved_on, by=org.chief.user)
        except ValidationError as exc:
            assert all(m.startswith("п. 16:") for m in exc.messages), exc.messages
            dispute.refresh_from_db()
            assert (dispute.state, dispute.resolution, dispute.resolved_on) == (DisputeState.OPEN, "", None)
            return
        dispute.refresh_from_db()
        assert dispute.resolution == str(resolution).strip() and "\x00" not in dispute.resolution
        assert dispute.raised_on <= dispute.resolved_on <= TODAY.date()
