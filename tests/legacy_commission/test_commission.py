"""R55–R59, R62–R64: the Commission's composition, the open vote, its decision and approval."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import PeriodResult
from appraisal.scoring import Gradation
from legacy_commission.models import (
    AgendaItem,
    Commission,
    CommissionAmendment,
    CommissionMeeting,
    CommissionMember,
    ItemDecision,
    MeetingState,
    Vote,
)
from legacy_commission.services import commission as svc
from tests.conftest import make_org
from tests.factories import EmployeeFactory, UserFactory
from tests.legacy_commission.commission_helpers import make_commission, on, submitted_sheets

SCHEDULED_ON = dt.date(2022, 7, 15)
MEETING_DAY = dt.date(2022, 7, 20)


@pytest.fixture
def case(db):
    org = make_org(n_staff=2)
    sheets = submitted_sheets(org, org.staff[:2], achieved=(4, 5))  # proper, effective
    board = make_commission(org)
    with on(SCHEDULED_ON):
        meeting = svc.schedule_meeting(commission=board.commission, date=MEETING_DAY, place="зал заседаний",
                                       sheets=sheets, by=org.chief.user)
    return org, board, meeting


def _open(org, board, meeting, n_members=4):
    present = [board.chairman.pk, *[m.pk for m in board.members[:n_members]], board.secretary.pk]
    with on(MEETING_DAY):
        return svc.open_meeting(meeting=meeting, present=present, by=org.chief.user)


def _items(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("pk"))


def _vote(member, item, choice="approve", gradation=None):
    with on(MEETING_DAY, hour=11):
        return svc.cast_vote(item=item, by=member.employee.user, choice=choice, gradation=gradation)


# --- composition -------------------------------------------------------------------------


def test_R59_secretary_must_be_the_chief_specialist(db):
    org = make_org(n_staff=4)
    with on(dt.date(2022, 7, 1)), pytest.raises(ValidationError) as exc:
        svc.create_commission(organisation=org.organisation, name="Комиссия", order_reference="№ 1",
                              chairman=org.staff[0], members=org.staff[1:3], secretary=org.staff[3],
                              by=org.official.user)
    assert "п. 59" in str(exc.value)
    assert not Commission.objects.exists() and not CommissionMember.objects.exists()


def test_R56_commission_is_formed_by_the_authorised_person(db):
    org = make_org(n_staff=3)
    with on(dt.date(2022, 7, 1)), pytest.raises(PermissionDenied) as exc:
        svc.create_commission(organisation=org.organisation, name="Комиссия", order_reference="№ 1",
                              chairman=org.staff[0], members=org.staff[1:3], secretary=org.chief,
                              by=org.chief.user)
    assert "п. 56" in str(exc.value)


def test_D2_new_commission_after_31_08_2023_refused_when_nothing_was_started(db):
    org = make_org(n_staff=3)
    with on(dt.date(2023, 9, 1)), pytest.raises(ValidationError) as exc:
        svc.create_commission(organisation=org.organisation, name="Комиссия", order_reference="№ 1",
                              chairman=org.staff[0], members=org.staff[1:3], secretary=org.chief,
                              by=org.official.user)
    assert "п. 2 решения маслихата" in str(exc.value) and "31.08.2023" in str(exc.value)
    assert not Commission.objects.exists()


def test_R56_replacing_a_member_is_an_amendment_with_decider_date_basis_kept_in_history(case):
    org, board, _meeting = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    with on(dt.date(2022, 7, 18)):
        amendment = svc.replace_member(member=board.members[0], replacement=substitute, decided_on=dt.date(2022, 7, 18),
                                       basis="распоряжение № 14 от 18.07.2022", by=org.official.user)
    old = CommissionMember.objects.get(pk=board.members[0].pk)
    assert not old.active and old.removed_at is not None
    assert amendment.replacement.employee == substitute and amendment.replacement.role == old.role
    assert amendment.decided_by == org.official.user and amendment.basis.startswith("распоряжение № 14")
    assert old.history.count() == 2  # created, then removed from the composition
    assert old.history.first().history_user == org.official.user


def test_R56_replacement_refused_for_others_and_without_a_basis(case):
    org, board, _meeting = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    with on(dt.date(2022, 7, 18)):
        with pytest.raises(PermissionDenied):
            svc.replace_member(member=board.chairman, replacement=substitute, decided_on=dt.date(2022, 7, 18),
                               basis="№ 14", by=org.chief.user)
        with pytest.raises(ValidationError) as exc:
            svc.replace_member(member=board.chairman, replacement=substitute, decided_on=dt.date(2022, 7, 18),
                               basis=" ", by=org.official.user)
    assert "п. 56" in str(exc.value)
    assert not CommissionAmendment.objects.exists()
    assert CommissionMember.objects.get(pk=board.chairman.pk).active


def test_R56_replaced_chairman_lets_the_meeting_open(case):
    org, board, meeting = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    with on(dt.date(2022, 7, 19)):
        amendment = svc.replace_member(member=board.chairman, replacement=substitute, decided_on=dt.date(2022, 7, 19),
                                       basis="распоряжение № 15 от 19.07.2022", by=org.official.user)
    present = [amendment.replacement.pk, *[m.pk for m in board.members]]
    with on(MEETING_DAY):
        svc.open_meeting(meeting=meeting, present=present, by=org.chief.user)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.OPEN


# --- the vote ----------------------------------------------------------------------------


def test_R55_no_quorum_no_vote(case):
    _org, board, meeting = case
    with pytest.raises(ValidationError) as exc:
        _vote(board.chairman, _items(meeting)[0])
    assert "п. 55" in str(exc.value)
    assert not Vote.objects.exists()


def test_R59_the_secretary_cannot_vote(case):
    org, board, meeting = case
    _open(org, board, meeting)
    with pytest.raises(PermissionDenied) as exc:
        _vote(board.secretary, _items(meeting)[0])
    assert "п. 59" in str(exc.value)
    assert not Vote.objects.exists()


def test_R57_someone_not_on_the_commission_or_absent_cannot_vote(case):
    org, board, meeting = case
    _open(org, board, meeting, n_members=3)  # the fourth member absent
    item = _items(meeting)[0]
    outsider = EmployeeFactory(organisation=org.organisation, user=UserFactory(username="outsider"))
    with on(MEETING_DAY), pytest.raises(PermissionDenied) as exc:
        svc.cast_vote(item=item, by=outsider.user, choice="approve")
    assert "п. 57" in str(exc.value)
    with pytest.raises(PermissionDenied) as exc:
        _vote(board.members[3], item)
    assert "присутствующие" in str(exc.value)
    with on(MEETING_DAY), pytest.raises(PermissionDenied):
        svc.cast_vote(item=item, by=org.head.user, choice="approve")  # the evaluator is not a member
    assert not Vote.objects.exists()


def test_R57_nobody_votes_twice(case):
    org, board, meeting = case
    _open(org, board, meeting)
    item = _items(meeting)[0]
    _vote(board.members[0], item)
    with pytest.raises(ValidationError) as exc:
        _vote(board.members[0], item, choice="revise", gradation=Gradation.EFFECTIVE)
    assert "п. 57" in str(exc.value)
    vote = Vote.objects.get()
    assert vote.choice == "approve" and vote.gradation == Gradation.PROPER


def test_R57_two_members_voting_at_the_same_moment_both_count_once(case):
    org, board, meeting = case
    _open(org, board, meeting)
    item = _items(meeting)[0]
    seen_by_a, seen_by_b = AgendaItem.objects.get(pk=item.pk), AgendaItem.objects.get(pk=item.pk)  # both pages open
    _vote(board.members[0], seen_by_a)
    _vote(board.members[1], seen_by_b, choice="revise", gradation=Gradation.SATISFACTORY)
    with pytest.raises(ValidationError):
        _vote(board.members[1], seen_by_a)  # the second click of the same member
    assert Vote.objects.filter(item=item).count() == 2
    assert set(Vote.objects.values_list("member_id", flat=True)) == {board.members[0].pk, board.members[1].pk}


def test_R57_the_database_refuses_a_second_vote_even_past_the_service(case):
    from django.db import IntegrityError, transaction

    org, board, meeting = case
    _open(org, board, meeting)
    item = _items(meeting)[0]
    _vote(board.members[0], item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=board.members[0], choice="approve", gradation=Gradation.PROPER)


def test_R63_revising_to_the_same_result_or_without_one_refused(case):
    org, board, meeting = case
    _open(org, board, meeting)
    item = _items(meeting)[0]
    for gradation in (None, "excellent", Gradation.PROPER):
        with pytest.raises(ValidationError) as exc:
            _vote(board.members[0], item, choice="revise", gradation=gradation)
        assert "п. 63" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _vote(board.members[0], item, choice="abstain")
    assert "п. 62" in str(exc.value)
    assert not Vote.objects.exists()


# --- the decision (R58) -------------------------------------------------------------------


P, E, S, U = Gradation.PROPER, Gradation.EFFECTIVE, Gradation.SATISFACTORY, Gradation.UNSATISFACTORY


def test_R58_majority_of_the_votes_of_the_members_present_decides():
    assert svc.tally(P, [(P, True), (P, False), (S, False)]) == svc.Tally(ItemDecision.APPROVE, P, False)
    assert svc.tally(P, [(P, True), (S, False), (S, False)]) == svc.Tally(ItemDecision.REVISE, S, False)


def test_R58_on_a_tie_the_chairmans_vote_decides():
    assert svc.tally(P, [(S, True), (S, False), (P, False), (P, False)]) == svc.Tally(ItemDecision.REVISE, S, True)
    assert svc.tally(P, [(P, True), (S, False), (P, False), (S, False)]) == svc.Tally(ItemDecision.APPROVE, P, True)


def test_R58_scattered_votes_without_a_majority_leave_the_result():
    assert svc.tally(P, [(S, True), (E, False), (U, False), (P, False)]) == svc.Tally(ItemDecision.APPROVE, P, False)


@settings(max_examples=200, deadline=None)
@given(submitted=st.sampled_from(list(Gradation.values)),
       votes=st.lists(st.tuples(st.sampled_from(list(Gradation.values)), st.booleans()), min_size=1, max_size=9))
def test_R58_tally_properties(submitted, votes):
    votes = [(g, False) for g, _c in votes[1:]] + [(votes[0][0], True)]  # exactly one chairman
    outcome = svc.tally(submitted, votes)
    counts = {g: sum(1 for v, _c in votes if v == g) for g, _c in votes}
    assert outcome.gradation in Gradation.values
    assert (outcome.decision == ItemDecision.APPROVE) == (outcome.gradation == submitted)
    if any(2 * c > len(votes) for c in counts.values()):  # a majority always wins
        assert 2 * counts[outcome.gradation] > len(votes) and not outcome.by_chairman
    if outcome.by_chairman:
        assert outcome.gradation == votes[-1][0] and 2 * counts[outcome.gradation] == len(votes)
    if outcome.decision == ItemDecision.REVISE:  # a revision never passes without a majority or the chairman
        assert 2 * counts[outcome.gradation] >= len(votes)


def test_R58_close_voting_refused_until_every_member_present_voted(case):
    org, board, meeting = case
    _open(org, board, meeting)
    for item in _items(meeting):
        for member in [board.chairman, *board.members[:3]]:
            _vote(member, item)
    with on(MEETING_DAY, hour=12), pytest.raises(ValidationError) as exc:
        svc.close_voting(meeting=meeting, by=org.chief.user)
    assert "п. 57" in str(exc.value) and board.members[3].employee.short_name in str(exc.value)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.OPEN
    assert not AgendaItem.objects.exclude(decision="").exists()


def _decide(org, board, meeting):
    """Item 1 (proper): a tie 2–2 on a revision to satisfactory, the chairman for it; item 2
    (effective): approved by all but one."""
    first, second = _items(meeting)
    _open(org, board, meeting, n_members=3)  # four votes present
    _vote(board.chairman, first, "revise", S)
    _vote(board.members[0], first, "revise", S)
    _vote(board.members[1], first)
    _vote(board.members[2], first)
    for member in (board.chairman, board.members[0], board.members[1]):
        _vote(member, second)
    _vote(board.members[2], second, "revise", P)
    with on(MEETING_DAY, hour=12):
        svc.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
    return first, second


def test_R62_R63_revised_result_goes_to_the_correction_column_tie_decided_by_the_chairman(case):
    org, board, meeting = case
    first, second = _decide(org, board, meeting)
    first, second = AgendaItem.objects.get(pk=first.pk), AgendaItem.objects.get(pk=second.pk)
    assert (first.decision, first.corrected_gradation, first.decided_by_chairman) == ("revise", S, True)
    assert (second.decision, second.corrected_gradation, second.decided_by_chairman) == ("approve", "", False)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.DECIDED
    assert not PeriodResult.objects.exists()  # nothing is a result before the authorised person approves


def test_R64_only_the_authorised_person_approves_and_the_results_are_recorded_original_kept(case):
    org, board, meeting = case
    first, second = _decide(org, board, meeting)
    with on(MEETING_DAY, hour=15), pytest.raises(PermissionDenied) as exc:
        svc.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
    assert "п. 64" in str(exc.value)
    assert not PeriodResult.objects.exists()
    with on(MEETING_DAY, hour=15):
        svc.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.official.user)
    revised = PeriodResult.objects.get(entry=first.sheet.plan.entry)
    assert revised.score is None and revised.gradation == S
    assert revised.original_gradation == P and revised.adjustment_basis == "протокол заседания Комиссии от 20.07.2022"
    approved = PeriodResult.objects.get(entry=second.sheet.plan.entry)
    assert approved.gradation == E and not approved.is_adjusted
    assert AgendaItem.objects.get(pk=first.pk).result == revised
    meeting = CommissionMeeting.objects.get(pk=meeting.pk)
    assert meeting.state == MeetingState.APPROVED and meeting.approved_by == org.official.user


def test_R64_approval_before_the_decisions_refused(case):
    org, board, meeting = case
    _open(org, board, meeting)
    with on(MEETING_DAY, hour=15), pytest.raises(ValidationError) as exc:
        svc.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.official.user)
    assert "п. 64" in str(exc.value)
    assert not PeriodResult.objects.exists()


def test_R55_no_quorum_no_decision(case):
    org, _board, meeting = case  # scheduled, never opened with a quorum
    with on(MEETING_DAY, hour=12), pytest.raises(ValidationError) as exc:
        svc.close_voting(meeting=meeting, by=org.chief.user)
    assert "п. 55" in str(exc.value)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED


def test_R57_votes_are_kept_with_history(case):
    org, board, meeting = case
    _decide(org, board, meeting)
    assert Vote.history.count() == Vote.objects.count() == 8


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.one_of(st.sampled_from(["approve", "revise", "", "abstain"]), st.text(max_size=12)),
       gradation=st.one_of(st.none(), st.sampled_from(list(Gradation.values)), st.text(max_size=20)))
def test_R57_any_vote_input_is_either_stored_as_given_or_refused_with_nothing_saved(case, choice, gradation):
    org, board, meeting = case
    if CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED:
        _open(org, board, meeting)
    item = _items(meeting)[0]
    Vote.objects.filter(item=item).delete()
    try:
        vote = _vote(board.members[0], item, choice, gradation)
    except ValidationError as exc:
        assert any(rule in str(exc) for rule in ("п. 62", "п. 63")), exc
        assert not Vote.objects.filter(item=item).exists()
    else:
        assert vote.choice == choice and vote.gradation in Gradation.values
        assert (vote.gradation == item.submitted_gradation) == (choice == "approve")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks need PostgreSQL (SQLite's shared in-memory test database refuses a second "
                           "writer at once instead of waiting); the sequential stale-copy test above runs everywhere")
@pytest.mark.django_db(transaction=True)
def test_R57_votes_cast_at_the_same_moment_in_parallel_all_count_a_double_click_once():
    """Three requests at once: two members, and the first member's second click. Both members
    count, the second click is refused (the item row lock and the unique constraint)."""
    import threading

    from django.db import close_old_connections

    org = make_org(n_staff=1)
    sheets = submitted_sheets(org, org.staff[:1], achieved=(4,))
    board = make_commission(org)
    with on(SCHEDULED_ON):
        meeting = svc.schedule_meeting(commission=board.commission, date=MEETING_DAY, place="зал", sheets=sheets,
                                       by=org.chief.user)
    _open(org, board, meeting)
    item = _items(meeting)[0]
    voters = [board.members[0], board.members[1], board.members[0]]
    barrier, outcomes = threading.Barrier(len(voters)), []

    def vote(member):
        try:
            barrier.wait()
            with on(MEETING_DAY, hour=11):
                svc.cast_vote(item=AgendaItem.objects.get(pk=item.pk), by=member.employee.user, choice="approve")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=vote, args=(member,)) for member in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o if o == "ok" else "refused" if "п. 57" in o else o for o in outcomes) == [
        "ok", "ok", "refused"], outcomes
    assert sorted(Vote.objects.filter(item=item).values_list("member_id", flat=True)) == sorted(
        [board.members[0].pk, board.members[1].pk])


def test_R20_the_authorised_person_sees_the_meeting_once_there_are_decisions_to_approve(case):
    from legacy_commission.selectors_commission import meetings_for_user

    org, board, meeting = case
    assert not meetings_for_user(org.official.user).filter(pk=meeting.pk).exists()
    _decide(org, board, meeting)
    assert meetings_for_user(org.official.user).filter(pk=meeting.pk).exists()


def test_R20_the_admin_shows_no_vote_decision_or_result_of_the_commission(case):
    from django.contrib import admin
    from django.test import Client
    from django.urls import reverse

    from legacy_commission.models import Appeal, MeetingAttendance
    from tests.factories import UserFactory

    org, board, meeting = case
    _decide(org, board, meeting)
    assert not admin.site.is_registered(Vote) and not admin.site.is_registered(AgendaItem)
    assert not admin.site.is_registered(MeetingAttendance)
    assert admin.site.is_registered(Appeal)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    for name, pk in (("commissionmeeting", meeting.pk), ("commission", board.commission.pk)):
        page = client.get(reverse(f"admin:legacy_commission_{name}_change", args=[pk])).content.decode()
        for label in Gradation.labels:
            assert str(label) not in page, (name, label)
    history = client.get(reverse("admin:legacy_commission_commissionmeeting_history", args=[meeting.pk]))
    assert history.status_code == 200 and "эффективно" not in history.content.decode()


def test_R56_replacement_through_the_page_by_the_authorised_person_only(case):
    from django.test import Client
    from django.urls import reverse

    org, board, _meeting = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    url = reverse("legacy_commission:member_replace", kwargs={"commission_id": board.commission.pk})
    data = {"member": board.members[1].pk, "replacement": substitute.pk, "decided_on": "2022-07-18",
            "basis": "распоряжение № 14 от 18.07.2022"}
    with on(dt.date(2022, 7, 18)):
        chief, official = Client(), Client()
        chief.force_login(org.chief.user)
        official.force_login(org.official.user)
        assert "п. 56" in chief.post(url, data, follow=True).content.decode()
        assert not CommissionAmendment.objects.exists()
        page = official.post(url, data, follow=True).content.decode()
    assert "Состав Комиссии изменён" in page and "распоряжение № 14 от 18.07.2022" in page
    assert CommissionAmendment.objects.get().replacement.employee == substitute


def test_R56_texts_of_100000_characters_are_refused_naming_the_rule_nothing_saved(case):
    org, board, _meeting = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    with on(dt.date(2022, 7, 18)):
        with pytest.raises(ValidationError) as exc:
            svc.replace_member(member=board.chairman, replacement=substitute, decided_on=dt.date(2022, 7, 18),
                               basis="№" * 100_000, by=org.official.user)
        assert "п. 56" in str(exc.value) and "300" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            svc.create_commission(organisation=org.organisation, name="К" * 100_000, order_reference="№ 1",
                                  chairman=substitute, members=[m.employee for m in board.members],
                                  secretary=org.chief, by=org.official.user)
        assert "п. 56" in str(exc.value) and "Наименование" in str(exc.value)
    assert not CommissionAmendment.objects.exists() and Commission.objects.count() == 1
    assert CommissionMember.objects.get(pk=board.chairman.pk).active
